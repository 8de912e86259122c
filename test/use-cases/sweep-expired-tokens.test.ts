import { describe, expect, it } from 'vitest';
import { SsmParameterTokenVault } from '../../shared/adapters/aws/ssm-parameter-token-vault.js';
import { ManualClock } from '../../shared/adapters/memory/manual-clock.js';
import { MemoryTokenVault } from '../../shared/adapters/memory/memory-token-vault.js';
import type { ConnectionId } from '../../shared/domain/model.js';
import type { Logger } from '../../shared/ports/logger.js';
import { sweepExpiredTokens } from '../../shared/use-cases/sweep-expired-tokens.js';
import { ParameterStoreFake } from '../support/parameter-store-fake.js';

const DAY = 86_400_000;
const ids = (n: number) =>
  Array.from({ length: n }, (_, i) => `con_${String(i).padStart(24, '0')}` as ConnectionId);

function recordingLogger() {
  const lines: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: (m, ...x) => lines.push(`${m} ${JSON.stringify(x)}`),
    warn: (m, ...x) => lines.push(`WARN ${m} ${JSON.stringify(x)}`),
    error: (m) => lines.push(`ERROR ${m}`),
  };
  return { logger, lines };
}

describe('sweepExpiredTokens', () => {
  it('over Parameter Store: deletes every due token across pages, keeps the rest, and a second run finds nothing', async () => {
    const fake = new ParameterStoreFake();
    const clock = new ManualClock({ start: '2026-03-01T00:00:00.000Z' });
    const vault = new SsmParameterTokenVault({
      client: fake.client,
      connectionPath: '/p/connections/',
      integrationPath: '/p/integrations/',
      kmsKeyId: 'alias/test',
      clock,
    });
    const due = ids(120);
    for (const id of due) {
      await vault.put(id, `FAKE-${id}`);
      await vault.scheduleDeletion(id, 7);
    }
    await vault.put('con_notyet', 'FAKE-notyet');
    await vault.scheduleDeletion('con_notyet', 30);
    await vault.put('con_live', 'FAKE-live');
    clock.advance(8 * DAY);
    const { logger, lines } = recordingLogger();

    expect(await sweepExpiredTokens({ sweep: vault, clock, logger })).toEqual({
      deleted: 120,
      pending: 1,
      pages: 3,
      complete: true,
    });
    expect([...fake.parameters.keys()].sort()).toEqual([
      '/p/connections/con_live',
      '/p/deleted/connections/con_notyet',
    ]);
    expect(lines.join('\n')).not.toContain('FAKE-');
    expect(await sweepExpiredTokens({ sweep: vault, clock, logger })).toEqual({
      deleted: 0,
      pending: 1,
      pages: 1,
      complete: true,
    });
  });

  it('stops between pages when the invocation runs out of time; the next run goes on', async () => {
    const clock = new ManualClock();
    const vault = new MemoryTokenVault({ clock });
    for (const id of ids(3)) {
      await vault.put(id, 'FAKE');
      await vault.scheduleDeletion(id, 1);
    }
    clock.advance(DAY);
    const { logger, lines } = recordingLogger();
    const out = await sweepExpiredTokens({ sweep: vault, clock, logger, remainingMs: () => 5_000 });
    expect(out).toEqual({ deleted: 0, pending: 0, pages: 0, complete: false });
    expect(lines.some((l) => l.startsWith('WARN token sweep stopped for time'))).toBe(true);
    expect(
      await sweepExpiredTokens({ sweep: vault, clock, logger, remainingMs: () => 60_000 }),
    ).toMatchObject({
      deleted: 3,
      complete: true,
    });
  });

  it('a sweep that fails midway (throttled past its retries) deleted only due tokens, and a rerun finishes', async () => {
    const fake = new ParameterStoreFake();
    const clock = new ManualClock();
    const vault = new SsmParameterTokenVault({
      client: fake.client,
      connectionPath: '/p/connections/',
      integrationPath: '/p/integrations/',
      kmsKeyId: 'alias/test',
      clock,
    });
    for (const id of ids(60)) {
      await vault.put(id, 'FAKE');
      await vault.scheduleDeletion(id, 1);
    }
    clock.advance(DAY);
    let calls = 0;
    const failing = {
      deleteExpired: async (now: Date, cursor?: string) => {
        if (++calls === 2) throw new Error('SSM DescribeParameters failed: ThrottlingException');
        return vault.deleteExpired(now, cursor);
      },
    };
    const { logger } = recordingLogger();
    await expect(sweepExpiredTokens({ sweep: failing, clock, logger })).rejects.toThrow(/Throttling/);
    expect(fake.parameters.size).toBe(10);
    expect(await sweepExpiredTokens({ sweep: vault, clock, logger })).toMatchObject({
      deleted: 10,
      complete: true,
    });
    expect(fake.parameters.size).toBe(0);
  });
});
