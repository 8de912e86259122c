/**
 * A big first poll under a deadline (issue 12's throughput finding): the poll stores its new
 * tokens a chunk at a time, stops starting chunks when its budget is spent, queues a continuation
 * and succeeds; only a complete pass counts misses or removes anything; no token known stored is
 * put again. Over the in-memory twins, the budget counted in token writes instead of milliseconds.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { PortCall } from '../../shared/adapters/memory/port-call.js';
import { accountIdFromEmail, connectionIdFromToken } from '../../shared/domain/identity.js';
import type { AccountId } from '../../shared/domain/model.js';
import type { PollAccountMessage } from '../../shared/ports/work-queue.js';
import { registerAccount } from '../../shared/use-cases/accounts.js';
import {
  type PollBudget,
  type PollOutcome,
  PollOutOfTime,
  pollAccount,
} from '../../shared/use-cases/poll-account.js';
import { syncConnection } from '../../shared/use-cases/sync-connection.js';
import { cycle, deliverSyncs, MemoryPipeline } from './support.js';

const EMAIL = 'backfill@continuation.example';
const PROPERTY = 'continuation-property';
const ACCOUNT: AccountId = accountIdFromEmail(EMAIL);

let p: MemoryPipeline;
/** TokenVault.put calls so far (every pipeline's hook counts them). */
let puts: number;
/** Runs before every port call after the counting (a crash hook throws). */
let also: ((call: PortCall) => void) | undefined;

beforeEach(() => {
  p = new MemoryPipeline();
  puts = 0;
  also = undefined;
  p.hook = (call) => {
    if (call.port === 'TokenVault' && call.method === 'put') puts++;
    also?.(call);
  };
});

/** One account listing `count` connections of one property. */
async function backfillOf(count: number): Promise<string[]> {
  const { world } = p.services;
  world.addEnterprise({ id: 'continuation-enterprise' });
  world.addProperty('continuation-enterprise', { id: PROPERTY });
  const tokens = addConnections(count, 'first');
  world.grantAccess(EMAIL, 'continuation-enterprise');
  await registerAccount({ email: EMAIL }, p.deps);
  return tokens;
}

function addConnections(count: number, batch: string): string[] {
  return Array.from({ length: count }, (_, i) =>
    p.services.world.addConnection(PROPERTY, { token: `fake-${batch}-${i + 1}` }),
  );
}

/** A budget with room for `tokens` token writes from now on (a chunk of n needs n). */
function budgetFor(tokens: number): PollBudget {
  const until = puts + tokens;
  // ChunkTimer wants at least 1 s plus 525 ms a token before its first chunk: 1 ms per write
  // left is far below, so "room for n more writes" is 60 s, and none left is 0.
  return { timeLeftMs: () => (puts < until ? 60_000 : 0), polls: p.services.polls };
}

const pollOnce = (budget: PollBudget | undefined, message: PollAccountMessage) =>
  pollAccount(message, { ...p.deps, ...(budget ? { budget } : {}) });

/** Delivers every waiting poll (each with a fresh budget of `tokens` writes), once each. */
async function deliverPolls(tokens: number) {
  const outcomes: PollOutcome[] = [];
  while (p.services.polls.size() > 0) {
    await p.services.polls.deliverOne(async (m) => {
      outcomes.push(await pollOnce(budgetFor(tokens), m));
    });
  }
  return outcomes;
}

const continuation: PollAccountMessage = { kind: 'poll-account', accountId: ACCOUNT, reason: 'continuation' };

async function expectEveryTokenStored(tokens: string[]) {
  for (const token of tokens) expect(await p.services.vault.get(connectionIdFromToken(token))).toBe(token);
}

describe('poll-account under a deadline', () => {
  it('a budget for two chunks: 100 of 230 stored, a continuation queued, no miss counted, nothing removed; the continuations finish with one put per token', async () => {
    // Prepare: a known connection X already missed once (one more complete miss removes it).
    const [x] = await backfillOf(1);
    const X = connectionIdFromToken(x as string);
    await cycle(p);
    p.services.world.removeConnection(x as string);
    await cycle(p);
    expect((await p.services.store.getMembership(ACCOUNT, X))?.missingPolls).toBe(1);
    const tokens = addConnections(230, 'new');
    puts = 0;

    // Act: the first pass has room for 100 writes.
    const first = await pollOnce(budgetFor(100), { kind: 'poll-account', accountId: ACCOUNT });

    // Assess: two chunks stored and queued, the rest continues; X neither counted nor removed.
    expect(first).toEqual({ status: 'continued', listed: 230, discovered: 100, restored: 0, left: 130 });
    expect(puts).toBe(100);
    expect(p.services.polls.waiting()).toEqual([continuation]);
    expect(p.services.syncs.waiting()).toHaveLength(100);
    expect(p.services.syncs.waiting().every((m) => m.reason === 'discovered')).toBe(true);
    expect((await p.services.store.getMembership(ACCOUNT, X))?.missingPolls).toBe(1);
    expect((await p.services.store.getConnection(X))?.status).toBe('provisioned');
    expect(await p.services.vault.get(X)).toBe(x);
    await expectEveryTokenStored(tokens.slice(0, 100));

    // Act: the continuations, each with room for 100 writes.
    const rest = await deliverPolls(100);

    // Assess: one more continuation, then a complete pass; 230 puts in all, none twice.
    expect(rest.map((o) => o.status)).toEqual(['continued', 'polled']);
    expect(rest[1]).toMatchObject({ discovered: 30, resent: 200, removed: 1 });
    expect(puts).toBe(230);
    await expectEveryTokenStored(tokens);
    expect((await p.services.store.getConnection(X))?.status).toBe('removed');
    // The complete pass retried the syncs still pending (none ran yet): 230 + 200 retries.
    expect(p.services.syncs.waiting()).toHaveLength(430);
    await deliverSyncs(p);
    for (const token of tokens) {
      const connection = await p.services.store.getConnection(connectionIdFromToken(token));
      expect(connection?.status).toBe('provisioned');
    }
  });

  it('a pass that cannot store its first chunk fails as usual: nothing recorded, no continuation', async () => {
    await backfillOf(60);
    const budget: PollBudget = { timeLeftMs: () => 20_000, polls: p.services.polls };

    await expect(pollOnce(budget, continuation)).rejects.toThrow(PollOutOfTime);

    expect(puts).toBe(0);
    expect(p.services.polls.size()).toBe(0);
    expect(await p.services.store.listMembershipsOf(connectionIdFromToken('fake-first-1'))).toEqual([]);
  });

  it('a redelivered poll (cut short by a crash after two chunks) puts no token stored already', async () => {
    const tokens = await backfillOf(130);
    let records = 0;
    also = (call) => {
      if (call.method === 'recordDiscoveries' && ++records === 3) throw new Error('crash');
    };

    await expect(pollOnce(undefined, { kind: 'poll-account', accountId: ACCOUNT })).rejects.toThrow('crash');
    expect(puts).toBe(100);
    also = undefined;
    const again = await pollOnce(undefined, { kind: 'poll-account', accountId: ACCOUNT });

    expect(again).toMatchObject({ status: 'polled', discovered: 30, resent: 100 });
    expect(puts).toBe(130);
    await expectEveryTokenStored(tokens);
  });

  it('a token a sync finds missing (awaiting-token) is put once by the next poll, and then no more', async () => {
    const [token] = await backfillOf(1);
    const id = connectionIdFromToken(token as string);
    await cycle(p);
    await p.services.vault.scheduleDeletion(id, 7); // lost
    await syncConnection({ connectionId: id, accountId: ACCOUNT, reason: 'refresh' }, p.deps);
    expect((await p.services.store.getMembership(ACCOUNT, id))?.status).toBe('awaiting-token');
    puts = 0;

    await cycle(p);
    expect(puts).toBe(1);
    expect(await p.services.vault.get(id)).toBe(token);
    expect((await p.services.store.getMembership(ACCOUNT, id))?.status).toBe('synced');
    await cycle(p);
    expect(puts).toBe(1);
  });

  it('a crash before any port call of a cut-short pass loses no token: later polls store every one', async () => {
    // Count the calls of one budgeted pass over 60 connections (one chunk, then the continuation).
    const probe = await backfillOf(60);
    let calls = 0;
    also = () => {
      calls++;
    };
    expect(await pollOnce(budgetFor(50), { kind: 'poll-account', accountId: ACCOUNT })).toMatchObject({
      status: 'continued',
    });
    also = undefined;
    expect(calls).toBeGreaterThan(50);

    for (let at = 1; at <= calls; at++) {
      p = new MemoryPipeline();
      puts = 0;
      const counting = (call: PortCall) => {
        if (call.port === 'TokenVault' && call.method === 'put') puts++;
      };
      p.hook = counting;
      const tokens = await backfillOf(60);
      expect(tokens).toEqual(probe);
      let n = 0;
      p.hook = (call) => {
        counting(call);
        if (++n === at) throw new Error(`crash before call ${at} (${call.port}.${call.method})`);
      };
      await pollOnce(budgetFor(50), { kind: 'poll-account', accountId: ACCOUNT }).catch(() => undefined);
      p.hook = counting;
      // Recovery: the continuation (if queued), then scheduled cycles.
      await deliverPolls(1_000);
      for (let i = 0; i < 3; i++) await cycle(p);
      await expectEveryTokenStored(tokens);
      for (const token of tokens) {
        const connection = await p.services.store.getConnection(connectionIdFromToken(token));
        expect(connection?.status, `crash before call ${at}`).toBe('provisioned');
      }
    }
  });

  it('confirmed disappearances settled while time allows: the rest wait, still confirmed, for the next poll', async () => {
    // Prepare: 20 provisioned connections; 6 leave Mews (under the mass-disappearance share).
    const tokens = await backfillOf(20);
    await cycle(p);
    const gone = tokens.slice(0, 6);
    for (const token of gone) p.services.world.removeConnection(token);
    await cycle(p); // the first miss of each
    let removals = 0;
    also = (call) => {
      if (call.port === 'TokenVault' && call.method === 'scheduleDeletion') removals++;
    };
    // Room for two removals (each schedules its token's deletion), then none.
    const budget: PollBudget = { timeLeftMs: () => (removals < 2 ? 60_000 : 0), polls: p.services.polls };

    // Act: the confirming pass, short of time.
    const short = await pollOnce(budget, { kind: 'poll-account', accountId: ACCOUNT });

    // Assess: two removed, four deferred, no continuation (a pass seconds later would count the
    // other misses too soon); the next poll settles the rest.
    expect(short).toMatchObject({ status: 'polled', missing: 6, removed: 2, deferred: 4 });
    expect(p.services.polls.size()).toBe(0);
    const statuses = async () =>
      Promise.all(
        gone.map(async (t) => (await p.services.store.getConnection(connectionIdFromToken(t)))?.status),
      );
    expect((await statuses()).filter((s) => s === 'removed')).toHaveLength(2);

    const next = await pollOnce(undefined, { kind: 'poll-account', accountId: ACCOUNT });

    expect(next).toMatchObject({ status: 'polled', removed: 4, deferred: 0 });
    expect(await statuses()).toEqual(gone.map(() => 'removed'));
    for (const token of tokens.slice(6)) {
      expect((await p.services.store.getConnection(connectionIdFromToken(token)))?.status).toBe(
        'provisioned',
      );
    }
  });
});
