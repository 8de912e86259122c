import type { OutboxEvent } from '../model.js';

/**
 * The one place that knows how big an event is on EventBridge. The event builders budget their
 * detail with it, the local sink refuses what EventBridge would refuse with it, and the
 * EventBridge publisher checks every entry and packs its requests with it.
 *
 * EventBridge ("Calculating Amazon EventBridge PutEvents event entry size"): an entry counts 14
 * bytes for `Time` when given, plus the UTF-8 bytes of `Source`, `DetailType`, `Detail` and of each
 * `Resources` entry; `EventBusName` does not count. "The total entry size must be less than 256KB",
 * and so must the sum over one PutEvents request.
 */
export const EVENTBRIDGE_ENTRY_LIMIT_BYTES = 256 * 1024;

/** PutEvents takes at most 10 entries per request. */
export const EVENTBRIDGE_MAX_ENTRIES_PER_REQUEST = 10;

/**
 * What an event builder lets a detail take: 200 KB, leaving 56 KB of the entry for `Source`,
 * `DetailType`, `Time` and `Resources` (a source is at most a few hundred bytes).
 */
export const DETAIL_BUDGET_BYTES = 200 * 1024;

/** The parts of a PutEvents entry that count, shaped like the SDK's `PutEventsRequestEntry`. */
export interface PutEventsEntryParts {
  Time?: unknown;
  Source?: string | undefined;
  DetailType?: string | undefined;
  Detail?: string | undefined;
  Resources?: readonly (string | null | undefined)[] | undefined;
  /** Not counted by EventBridge; accepted so an SDK entry can be passed as it is. */
  EventBusName?: string | undefined;
}

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** UTF-8 bytes of `value` as JSON.stringify writes it (how a detail travels). */
export const jsonBytes = (value: unknown): number => utf8Bytes(JSON.stringify(value) ?? 'null');

/** The size of a PutEvents entry as EventBridge computes it. */
export function putEventsEntrySize(entry: PutEventsEntryParts): number {
  let size = entry.Time === undefined || entry.Time === null ? 0 : 14;
  size += utf8Bytes(entry.Source ?? '') + utf8Bytes(entry.DetailType ?? '');
  if (entry.Detail !== undefined) size += utf8Bytes(entry.Detail);
  for (const resource of entry.Resources ?? []) if (resource) size += utf8Bytes(resource);
  return size;
}

/**
 * The size of the entry an outbox event becomes on a bus with this `source`: Time, Source,
 * DetailType, the detail as JSON, no Resources (what the publisher sends and the sink writes).
 */
export function outboxEventEntrySize(
  event: Pick<OutboxEvent, 'detailType' | 'detail'>,
  source: string,
): number {
  return putEventsEntrySize({
    Time: true,
    Source: source,
    DetailType: event.detailType,
    Detail: JSON.stringify(event.detail),
  });
}

const fitsEventBridgeEntry = (size: number): boolean => size < EVENTBRIDGE_ENTRY_LIMIT_BYTES;

/** Why EventBridge refuses an entry of `size` bytes, or undefined when it fits. */
export function entryTooLargeReason(size: number): string | undefined {
  return fitsEventBridgeEntry(size)
    ? undefined
    : `the entry is ${size} bytes; EventBridge takes entries under ${EVENTBRIDGE_ENTRY_LIMIT_BYTES} bytes (256 KB)`;
}
