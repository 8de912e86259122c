import * as z from 'zod/mini';
import { type DetailType, type EventDetail } from './registry.js';
/** The EventBridge envelope (and `npm start`'s events.jsonl lines, which have the same shape). */
declare const envelopeSchema: z.ZodMiniObject<{
    version: z.ZodMiniString<string>;
    id: z.ZodMiniString<string>;
    'detail-type': z.ZodMiniString<string>;
    source: z.ZodMiniString<string>;
    account: z.ZodMiniString<string>;
    time: z.ZodMiniString<string>;
    region: z.ZodMiniString<string>;
    resources: z.ZodMiniArray<z.ZodMiniString<string>>;
    detail: z.ZodMiniUnknown;
}, z.core.$strip>;
type Envelope = Omit<z.output<typeof envelopeSchema>, 'detail-type' | 'detail'>;
/** One event as a rule target receives it, typed by its detail-type. */
export type ProvisionerEvent<T extends DetailType = DetailType> = {
    [K in T]: Envelope & {
        'detail-type': K;
        detail: EventDetail<K>;
    };
}[T];
/**
 * Validates a whole event (envelope and detail) and returns it typed: switch on `detail-type` to
 * narrow `detail`. Throws an EventParseError naming the fields that are wrong (never their
 * values), for an unknown detail-type too. Unknown fields are dropped: a newer provisioner may
 * add some (`schemaVersion` changes only on a breaking change).
 */
export declare function parseEvent(event: unknown): ProvisionerEvent;
export {};
