import * as z from 'zod/mini';
import { ENGLISH } from './messages.js';
import {
  type DetailType,
  describeIssues,
  type EventDetail,
  EventParseError,
  parseEventDetail,
} from './registry.js';

/** The EventBridge envelope (and `npm start`'s events.jsonl lines, which have the same shape). */
const envelopeSchema = z.object({
  version: z.string(),
  /** EventBridge's id: differs per delivery. Deduplicate by `detail.eventId` instead. */
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.unknown(),
});

type Envelope = Omit<z.output<typeof envelopeSchema>, 'detail-type' | 'detail'>;

/** One event as a rule target receives it, typed by its detail-type. */
export type ProvisionerEvent<T extends DetailType = DetailType> = {
  [K in T]: Envelope & { 'detail-type': K; detail: EventDetail<K> };
}[T];

/**
 * Validates a whole event (envelope and detail) and returns it typed: switch on `detail-type` to
 * narrow `detail`. Throws an EventParseError naming the fields that are wrong (never their
 * values), for an unknown detail-type too. Unknown fields are dropped: a newer provisioner may
 * add some (`schemaVersion` changes only on a breaking change).
 */
export function parseEvent(event: unknown): ProvisionerEvent {
  const envelope = envelopeSchema.safeParse(event, ENGLISH);
  if (!envelope.success) throw new EventParseError(describeIssues(envelope.error), 'EventBridge event');
  const { 'detail-type': detailType, detail, ...rest } = envelope.data;
  return {
    ...rest,
    'detail-type': detailType,
    detail: parseEventDetail(detailType, detail),
  } as ProvisionerEvent;
}
