import * as z from 'zod/mini';
import { ENGLISH } from './messages.js';
import { describeIssues, EventParseError, parseEventDetail, } from './registry.js';
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
/**
 * Validates a whole event (envelope and detail) and returns it typed: switch on `detail-type` to
 * narrow `detail`. Throws an EventParseError naming the fields that are wrong (never their
 * values), for an unknown detail-type too. Unknown fields are dropped: a newer provisioner may
 * add some (`schemaVersion` changes only on a breaking change).
 */
export function parseEvent(event) {
    const envelope = envelopeSchema.safeParse(event, ENGLISH);
    if (!envelope.success)
        throw new EventParseError(describeIssues(envelope.error), 'EventBridge event');
    const { 'detail-type': detailType, detail, ...rest } = envelope.data;
    return {
        ...rest,
        'detail-type': detailType,
        detail: parseEventDetail(detailType, detail),
    };
}
