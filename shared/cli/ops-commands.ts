import { isConnectionId } from '../domain/identity.js';
import type { ConnectionStatus } from '../domain/model.js';
import { type CliIo, EXIT, json, table, UsageError, widthFor } from './cli-io.js';
import type { FailedRun } from './failed-run-record.js';
import type { DeadLetterView, Operations } from './operations.js';

export const STATUS_HELP = `Usage:
  provisioner status [--json]   accounts and connections by state, queues, dead letters, last cycle
`;

export const EVENTS_HELP = `Usage:
  provisioner events replay --connection <id> [--since <ISO time>]
      publish a connection's events again, oldest first, with their original eventIds
      (subscribers drop what they have seen). Replays what the state table's outbox keeps
      (30 days after publication); for older events or the whole bus use the archive:
      aws events start-replay --event-source-arn <EventArchiveArn output> ...
`;

export const DLQ_HELP = `Usage:
  provisioner dlq list [--json]   messages that failed every attempt, with the reason where known
  provisioner dlq redrive         send them back to their queues (locally: and work them off now)

On a stack, list also shows the failed runs of the scheduled functions (queue failed-runs: Lambda's
record of a run it gave up on, with its input and error). redrive leaves those alone: they are not
work to send back, and the next scheduled run does the same work. Fix the cause, then clear them
with aws sqs purge-queue --queue-url <FailedRunsQueueUrl output>.
`;

export async function statusCommand(args: { json: boolean }, ops: Operations, io: CliIo): Promise<number> {
  const [accounts, connections, pending, queues, lastCycle] = await Promise.all([
    ops.store.listAccounts(),
    ops.store.listConnections(),
    ops.store.listPendingEvents(1000),
    ops.queueDepths(),
    ops.lastCycle(),
  ]);
  const byStatus: Record<ConnectionStatus, number> = {
    discovered: 0,
    provisioned: 0,
    deactivated: 0,
    removed: 0,
  };
  for (const c of connections) byStatus[c.status]++;
  const status = {
    where: ops.where,
    accounts: {
      total: accounts.length,
      ok: accounts.filter((a) => a.access.status === 'ok').length,
      failing: accounts.filter((a) => a.access.status === 'failing').length,
      held: accounts.filter((a) => a.hold !== null).length,
    },
    connections: { total: connections.length, ...byStatus },
    outbox: { pending: pending.length },
    queues,
    lastCycle,
  };
  if (args.json) {
    io.out(json(status));
    return EXIT.ok;
  }
  const a = status.accounts;
  io.out(
    [
      `where        ${status.where}`,
      `accounts     ${a.total}: ${a.ok} ok, ${a.failing} failing, ${a.held} with removals held`,
      `connections  ${connections.length}: ${Object.entries(byStatus)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}`,
      `outbox       ${pending.length} event(s) waiting to be published`,
      `last cycle   ${lastCycle ? `${lastCycle.at}: ${lastCycle.summary}` : 'not recorded here (on AWS: the PollSucceeded metric and its alarm)'}`,
      '',
    ].join('\n'),
  );
  io.out(
    table(
      ['QUEUE', 'WAITING', 'IN FLIGHT'],
      queues.map((q) => [q.queue, String(q.waiting), String(q.inFlight)]),
      widthFor(io),
    ),
  );
  return EXIT.ok;
}

export async function resyncCommand(id: string | undefined, ops: Operations, io: CliIo): Promise<number> {
  const connectionId = requireConnectionId(id);
  const connection = await ops.store.getConnection(connectionId);
  if (!connection) {
    io.err(`no connection ${connectionId} (see \`provisioner connections list\`)\n`);
    return EXIT.failed;
  }
  io.out(`${await ops.resync(connectionId, connection.discoveredBy)}\n`);
  return EXIT.ok;
}

export async function eventsCommand(
  args: { sub: string | undefined; connection: string | undefined; since: string | undefined },
  ops: Operations,
  io: CliIo,
): Promise<number> {
  if (args.sub !== 'replay') throw new UsageError(`unknown events command '${args.sub ?? ''}': use replay`);
  const connectionId = requireConnectionId(args.connection, '--connection');
  let since: Date | undefined;
  if (args.since !== undefined) {
    since = new Date(args.since);
    if (Number.isNaN(since.getTime())) {
      throw new UsageError(
        `--since '${args.since}' is not a time: give an ISO 8601 time like 2026-11-27T10:00:00Z`,
      );
    }
  }
  if (!(await ops.store.getConnection(connectionId))) {
    io.err(`no connection ${connectionId} (see \`provisioner connections list\`): nothing replayed\n`);
    return EXIT.failed;
  }
  const count = await ops.replay(connectionId, since, (done, total) =>
    io.progress(`replayed ${done}/${total}`),
  );
  io.out(`replayed ${count} event(s) of ${connectionId} with their original eventIds\n`);
  return EXIT.ok;
}

export async function dlqCommand(
  args: { sub: string | undefined; json: boolean },
  ops: Operations,
  io: CliIo,
) {
  if (args.sub === 'redrive') {
    io.out(`${await ops.redrive()}\n`);
    return EXIT.ok;
  }
  if (args.sub !== 'list')
    throw new UsageError(`unknown dlq command '${args.sub ?? ''}': use list or redrive`);
  const dead = await ops.deadLetters();
  if (args.json) {
    io.out(json(dead));
    return EXIT.ok;
  }
  if (dead.length === 0) {
    io.out('no dead letters\n');
    return EXIT.ok;
  }
  io.out(
    table(
      ['QUEUE', 'WORK', 'ATTEMPTS', 'AT', 'REASON'],
      dead.map((d) => [
        d.queue,
        describeWork(d.message),
        String(d.attempts ?? '-'),
        d.at ?? '-',
        d.reason ?? '(see the function logs)',
      ]),
      widthFor(io),
    ),
  );
  const failedRuns = dead.filter((d) => d.queue === 'failed-runs').length;
  io.out(
    failedRuns === 0
      ? `${dead.length} message(s); --json for them whole, \`provisioner dlq redrive\` to retry them\n`
      : `${dead.length} message(s); --json for them whole. \`provisioner dlq redrive\` retries the work messages; ` +
          `the ${failedRuns} failed run(s) are records to read, not work to retry: fix the cause (the next scheduled run does the same work), ` +
          'then clear them with aws sqs purge-queue --queue-url <FailedRunsQueueUrl output>\n',
  );
  return EXIT.ok;
}

/** A dead letter's work in a few words: `poll acc_…` or `sync con_… (refresh, for acc_…)`. */
function describeWork(message: DeadLetterView['message']): string {
  if (typeof message === 'string') return `unreadable message: ${message.slice(0, 60)}`;
  if (message.kind === 'failed-run') return describeRun(message);
  if (message.kind === 'poll-account') return `poll ${message.accountId}`;
  return `sync ${message.connectionId} (${message.reason}, for ${message.accountId})`;
}

/** `run of schedule-polls for 2026-12-02T04:00:00Z`: what the scheduled input asked for, else the function. */
function describeRun(run: FailedRun): string {
  const input = (typeof run.input === 'object' && run.input !== null ? run.input : {}) as {
    kind?: unknown;
    scheduledTime?: unknown;
  };
  const what = typeof input.kind === 'string' ? input.kind : run.functionName;
  return `run of ${what}${typeof input.scheduledTime === 'string' ? ` for ${input.scheduledTime}` : ''}`;
}

function requireConnectionId(id: string | undefined, what = '<id>'): `con_${string}` {
  if (!id) throw new UsageError(`missing ${what}: give a connection id like con_0123456789abcdef01234567`);
  if (!isConnectionId(id)) {
    throw new UsageError(`'${id}' is not a connection id: they look like con_ followed by 24 hex digits`);
  }
  return id;
}
