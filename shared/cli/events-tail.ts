import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type DeliveredEvent, formatEventLine } from '../adapters/local/jsonl-event-sink.js';
import { eventRegistry } from '../domain/events/registry.js';
import { type CliIo, EXIT, UsageError } from './cli-io.js';

/** Events shown before following: the last this many (of the type asked for). */
const BACKLOG = 20;
/** How often --follow looks for new lines. */
const FOLLOW_EVERY_MS = 200;

export const EVENTS_TAIL_HELP = `  provisioner events tail [--follow] [--type T] [--json]
      the last ${BACKLOG} events published locally (<state dir>/events.jsonl), one line each; with
      --follow, then every new one as it is published, until Ctrl-C. --type keeps one detail-type
      (\`Connection Provisioned\` or connection-provisioned); --json prints the events as they are
      stored, one JSON object per line. Locally only: on a stack, subscribe a rule to the bus.
`;

const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The detail-type `--type` names, any case, spaces or dashes. */
function detailType(type: string | undefined): string | undefined {
  if (type === undefined) return undefined;
  const known = Object.keys(eventRegistry);
  const match = known.find((k) => squash(k) === squash(type));
  if (!match) throw new UsageError(`--type '${type}' is not an event type: use one of ${known.join(', ')}`);
  return match;
}

export async function eventsTailCommand(
  args: { stateDir: string; follow: boolean; type: string | undefined; json: boolean; signal?: AbortSignal },
  io: CliIo,
): Promise<number> {
  const type = detailType(args.type);
  const file = join(args.stateDir, 'events.jsonl');
  const show = (line: string) => {
    let event: DeliveredEvent;
    try {
      event = JSON.parse(line) as DeliveredEvent;
    } catch {
      return; // a line being written; the next read has it whole
    }
    if (type && event['detail-type'] !== type) return;
    io.out(args.json ? `${line}\n` : `${formatEventLine(event)}\n`);
  };

  let offset = 0;
  let partial = '';
  const readNew = async (): Promise<string[]> => {
    const size = await stat(file).then(
      (s) => s.size,
      () => 0,
    );
    if (size < offset) offset = 0; // the file was replaced (a reset)
    if (size === offset) return [];
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(size - offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      offset += bytesRead;
      const text = partial + buffer.subarray(0, bytesRead).toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      return lines.filter((l) => l.trim() !== '');
    } finally {
      await handle.close();
    }
  };

  const backlog = (await readNew()).filter((line) => {
    if (!type) return true;
    try {
      return (JSON.parse(line) as DeliveredEvent)['detail-type'] === type;
    } catch {
      return false;
    }
  });
  if (backlog.length === 0 && !args.follow) {
    io.err(`no events${type ? ` of type ${type}` : ''} in ${file} yet\n`);
  }
  for (const line of backlog.slice(-BACKLOG)) show(line);
  if (!args.follow) return EXIT.ok;

  const signal = args.signal;
  while (!signal?.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FOLLOW_EVERY_MS);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
    for (const line of await readNew()) show(line);
  }
  return EXIT.ok;
}
