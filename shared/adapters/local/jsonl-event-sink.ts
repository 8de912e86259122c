import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { entryTooLargeReason, outboxEventEntrySize } from '../../domain/events/entry-size.js';
import type { OutboxEvent } from '../../domain/model.js';
import type { EventPublisher, PublishResult } from '../../ports/event-publisher.js';

/** An event as an EventBridge rule target receives it. */
export interface DeliveredEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface JsonlEventSinkOptions {
  /** The JSON-lines file (its folder is created). */
  file: string;
  source: string;
  region?: string;
  account?: string;
  /** Called with each delivered event after it is written (e.g. to print `formatEventLine`). */
  onEvent?: (delivered: DeliveredEvent) => void;
}

/**
 * The local stand-in for the EventBridge bus: appends each event as one JSON line in the shape
 * subscribers receive, so what works against the file works against a rule target. It refuses
 * what EventBridge refuses, the same way: an entry of 256 KB or more (measured as EventBridge
 * measures it, with this sink's source) and an unreadable time come back failed and permanent,
 * so a local run shows what AWS would.
 */
export class JsonlEventSink implements EventPublisher {
  private readonly file: string;
  private readonly source: string;
  private readonly region: string;
  private readonly account: string;
  private readonly onEvent: ((delivered: DeliveredEvent) => void) | undefined;
  /** Appends run one after another, so lines keep the publish order. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(options: JsonlEventSinkOptions) {
    this.file = options.file;
    this.source = options.source;
    this.region = options.region ?? 'local';
    this.account = options.account ?? '000000000000';
    this.onEvent = options.onEvent;
  }

  publish(events: OutboxEvent[]): Promise<PublishResult> {
    const run = this.tail.then(() => this.write(events));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async write(events: OutboxEvent[]): Promise<PublishResult> {
    const failed: PublishResult['failed'] = [];
    const delivered: DeliveredEvent[] = [];
    for (const event of events) {
      const time = new Date(event.time);
      if (Number.isNaN(time.getTime())) {
        failed.push({
          eventId: event.eventId,
          reason: `time ${JSON.stringify(event.time)} is not a valid timestamp`,
          permanent: true,
        });
        continue;
      }
      const tooLarge = entryTooLargeReason(outboxEventEntrySize(event, this.source));
      if (tooLarge !== undefined) {
        failed.push({ eventId: event.eventId, reason: `${tooLarge}: not delivered`, permanent: true });
        continue;
      }
      delivered.push({
        version: '0',
        id: randomUUID(),
        'detail-type': event.detailType,
        source: this.source,
        account: this.account,
        // EventBridge delivers whole seconds: 2024-05-01T10:42:01Z
        time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: this.region,
        resources: [],
        detail: event.detail,
      });
    }
    if (delivered.length === 0) return { failed };

    try {
      await mkdir(dirname(this.file), { recursive: true });
      // One append per publish: the lines of a call land together.
      await appendFile(this.file, delivered.map((d) => `${JSON.stringify(d)}\n`).join(''), 'utf8');
    } catch (error) {
      const reason = `could not append to ${this.file}: ${(error as { code?: string }).code ?? String(error)}`;
      const alreadyFailed = new Set(failed.map((f) => f.eventId));
      for (const event of events)
        if (!alreadyFailed.has(event.eventId))
          failed.push({ eventId: event.eventId, reason, permanent: false });
      return { failed };
    }

    for (const d of delivered) {
      try {
        this.onEvent?.(d);
      } catch {
        // The console feed is a courtesy; the event is already on the "bus".
      }
    }
    return { failed };
  }
}

const CONSOLE_ID_LENGTH = 8;

/**
 * One readable console line, e.g.
 * `10:42:01  Connection Provisioned  con_ab12…  Sample Hostel / Connection for dorms`.
 * Shows ids, names and labels only: never a secret reference's contents, never an email.
 */
export function formatEventLine(delivered: DeliveredEvent): string {
  const parts = [clock(delivered.time), delivered['detail-type']];
  const detail = delivered.detail;
  const connection = record(detail.connection);
  const account = record(detail.account);
  const integration = record(detail.integration);
  if (connection) {
    parts.push(shortId(text(connection.id) ?? '?'));
    const property = text(connection.propertyName);
    const name = text(connection.name);
    const label = [property, name].filter((s): s is string => s !== undefined && s !== '').join(' / ');
    if (label) parts.push(label);
  } else if (account) {
    parts.push(shortId(text(account.id) ?? '?'));
    const label = text(account.label);
    if (label) parts.push(label);
  } else if (integration) {
    parts.push(shortId(text(integration.id) ?? '?'));
    const label = [text(record(detail.enterprise)?.name), text(integration.name)]
      .filter((s): s is string => s !== undefined && s !== '')
      .join(' / ');
    if (label) parts.push(label);
  }
  const error = record(detail.error);
  const problem = text(error?.message) ?? text(detail.reason);
  if (problem) parts.push(truncate(problem, 100));
  return parts.join('  ');
}

function clock(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
}

function shortId(id: string): string {
  return id.length > CONSOLE_ID_LENGTH ? `${id.slice(0, CONSOLE_ID_LENGTH)}…` : id;
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
