import fc from 'fast-check';
import type { MewsFault } from '../../shared/adapters/memory/memory-mews-faults.js';
import type { StepPlan } from './interleaver.js';
import { type FaultOperation, MEWS_FAULTS, type MewsFaultKind } from './sim-mews.js';
import {
  emailAt,
  NO_PLAN,
  type Participant,
  type QueueName,
  type Sim,
  type WorldChange,
} from './sim-system.js';
import type { IntegrationAction } from './world.js';

/**
 * The simulation's commands: changes in Mews' world, the service's work (deliveries of queue
 * messages, in any order, twice, concurrently; relays; schedules; change notifications),
 * faults, crashes and operator actions. Each prints as one readable line (a failure shows the
 * shrunk history with them); what it resolved to at run time is in the trace the failure prints.
 */

type Model = Record<string, never>;

/** Between two commands time moves on a little, so events of different steps differ in time. */
const TICK_MS = 30_000;

class SimCommand implements fc.AsyncCommand<Model, Sim> {
  constructor(
    readonly text: string,
    readonly action: (sim: Sim) => Promise<void>,
  ) {}

  check(): boolean {
    return true;
  }

  async run(_model: Model, sim: Sim): Promise<void> {
    sim.clock.advance(TICK_MS);
    await this.action(sim);
    sim.checkStep();
  }

  toString(): string {
    return this.text;
  }
}

// ---------------------------------------------------------------- descriptions

export function describeChange(c: WorldChange): string {
  switch (c.op) {
    case 'add':
      return `Mews: a ${c.shape} connection (config #${c.variant}) appears in ent${c.enterprise}-p${c.property}`;
    case 'remove':
      return `Mews: connection #${c.index} disconnects`;
    case 'move':
      return `Mews: connection #${c.index} moves to ${c.enterprise === null ? 'its enterprise' : `ent${c.enterprise}`}'s p${c.property}`;
    case 'disable':
    case 'enable':
      return `Mews: connection #${c.index} ${c.op}d`;
    case 'config':
      return `Mews: connection #${c.index} configuration -> ${c.kind}${c.kind === 'cosmetic' ? '' : ` #${c.variant}`}`;
    case 'revoke':
      return `Mews: connection #${c.index} token revoked`;
    case 'restore':
      return `Mews: disconnected connection #${c.index} connects again`;
    case 'lock':
    case 'unlock':
      return `Mews: ${emailAt(c.email)} ${c.op === 'lock' ? 'locked out' : 'unlocked'}`;
    case 'access':
      return `Mews: ${emailAt(c.email)} access -> ${c.access}`;
    case 'integration-create':
      return `Mews: ent${c.enterprise} installs an integration${c.enabled ? '' : ' (disabled)'}`;
    case 'integration':
      return `Mews: integration #${c.index} ${c.action}`;
  }
}

function describeParticipant(p: Participant): string {
  switch (p.kind) {
    case 'deliver':
      return `deliver ${p.queue === 'polls' ? 'poll' : 'sync'} message #${p.index}${p.dup === 'concurrent' ? ' to two handlers at once' : p.dup === 'later' ? ' (and again later)' : ''}`;
    case 'poll':
      return `poll ${emailAt(p.email)}${p.dup === 'concurrent' ? ' (delivered to two handlers at once)' : ''}`;
    case 'sync':
      return `sync known connection #${p.connection} (${p.reason})${p.dup === 'concurrent' ? ' (delivered to two handlers at once)' : ''}`;
    case 'relay':
      return 'relay the outbox';
    case 'schedule':
      return p.refresh ? 'schedule polls (with a third of the refreshes)' : 'schedule polls';
    case 'refreshes':
      return p.all ? 'schedule every refresh' : 'schedule a third of the refreshes';
    case 'notify':
      return `Mews notifies ${['created', 'updated', 'activated', 'deactivated', 'deleted'][p.type % 5]} for token #${p.token}${p.badClientToken ? ' (wrong client token)' : ''}`;
    case 'world':
      return describeChange(p.change);
    case 'webhook':
      return `Mews delivers pending webhook #${p.index}${p.dup === 'concurrent' ? ' to two handlers at once' : p.dup === 'later' ? ' (and again later)' : ''}`;
  }
}

function describePlan(plan: StepPlan, participants: number): string {
  const parts: string[] = [];
  if (participants > 1 && plan.choices.length > 0) parts.push(`order [${plan.choices.join(',')}]`);
  if (plan.crash) parts.push(`crash ${plan.crash.when} port call ${plan.crash.at}`);
  return parts.length > 0 ? ` {${parts.join('; ')}}` : '';
}

// ---------------------------------------------------------------- arbitraries

const index = fc.nat({ max: 40 });
const emailIndex = fc.nat({ max: 6 });

const worldChange: fc.Arbitrary<WorldChange> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      enterprise: fc.nat({ max: 2 }),
      property: fc.nat({ max: 2 }),
      shape: fc.oneof(
        { weight: 15, arbitrary: fc.constant('small' as const) },
        { weight: 1, arbitrary: fc.constant('huge' as const) },
      ),
      variant: fc.nat({ max: 9 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), index }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('move' as const),
      index,
      enterprise: fc.option(fc.nat({ max: 2 }), { nil: null }),
      property: fc.nat({ max: 2 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('disable' as const, 'enable' as const), index }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('config' as const),
      index,
      kind: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom('small' as const, 'cosmetic' as const) },
        { weight: 1, arbitrary: fc.constantFrom('huge' as const, 'huge-renamed' as const) },
      ),
      variant: fc.nat({ max: 9 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('revoke' as const), index }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('restore' as const), index }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('integration-create' as const),
      enterprise: fc.nat({ max: 2 }),
      enabled: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('integration' as const),
      index: fc.nat({ max: 4 }),
      action: fc.constantFrom<IntegrationAction>(
        'enable',
        'disable',
        'cancel',
        'reinstate',
        'delete',
        'rotate',
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constantFrom('lock' as const, 'unlock' as const), email: emailIndex }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('access' as const),
      email: emailIndex,
      access: fc.constantFrom(
        'default' as const,
        'all' as const,
        'first-only' as const,
        'none-but-last' as const,
      ),
    }),
  },
);

const participant: fc.Arbitrary<Participant> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('deliver' as const),
      queue: fc.constantFrom<QueueName>('polls', 'syncs'),
      index: fc.nat({ max: 8 }),
      dup: fc.constantFrom(
        'none' as const,
        'none' as const,
        'none' as const,
        'concurrent' as const,
        'later' as const,
      ),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('poll' as const),
      email: emailIndex,
      dup: fc.constantFrom('none' as const, 'none' as const, 'concurrent' as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('sync' as const),
      connection: index,
      reason: fc.constantFrom(
        'discovered' as const,
        'retry' as const,
        'refresh' as const,
        'notification' as const,
      ),
      dup: fc.constantFrom('none' as const, 'none' as const, 'concurrent' as const),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'relay' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('webhook' as const),
      index: fc.nat({ max: 4 }),
      dup: fc.constantFrom('none' as const, 'none' as const, 'concurrent' as const, 'later' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('schedule' as const), refresh: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refreshes' as const), all: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('notify' as const),
      token: index,
      type: fc.nat({ max: 4 }),
      badClientToken: fc.nat({ max: 9 }).map((n) => n === 0),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('world' as const), change: worldChange }) },
);

const plan: fc.Arbitrary<StepPlan> = fc.record({
  choices: fc.array(fc.nat({ max: 7 }), { maxLength: 40 }),
  crash: fc.option(
    fc.record({
      at: fc.integer({ min: 1, max: 16 }),
      when: fc.constantFrom('before' as const, 'after' as const),
    }),
    { freq: 3, nil: null },
  ),
});

const stepCommand = fc
  .record({
    participants: fc.oneof(
      { weight: 3, arbitrary: fc.tuple(participant) },
      { weight: 2, arbitrary: fc.array(participant, { minLength: 2, maxLength: 4 }) },
    ),
    plan,
  })
  .map(
    ({ participants, plan }) =>
      new SimCommand(
        `${participants.length > 1 ? 'at once: ' : ''}${participants.map(describeParticipant).join(' | ')}${describePlan(plan, participants.length)}`,
        (sim) => sim.step(participants, plan),
      ),
  );

/**
 * Two polls of one account at once (SQS delivers a message twice; a notification's poll beside the
 * schedule's), their answers made to differ: one of them glitched (an empty or partial listing), or
 * Mews' world changing between their port calls.
 */
const racingPollsCommand = fc
  .record({
    email: fc.nat({ max: 5 }),
    glitch: fc.constantFrom<MewsFaultKind | 'none'>('empty-listing', 'partial-listing', 'none'),
    change: fc.option(worldChange, { nil: null, freq: 2 }),
    plan,
  })
  .map(
    ({ email, glitch, change, plan }) =>
      new SimCommand(
        `two polls of ${emailAt(email)} at once${glitch === 'none' ? '' : ` (one answer: ${glitch})`}${change ? `, while ${describeChange(change)}` : ''}${describePlan(plan, 2)}`,
        async (sim) => {
          if (glitch !== 'none') sim.injectMewsFault('getProperties', glitch, 1);
          const polls: Participant[] = [{ kind: 'poll', email, dup: 'concurrent' }];
          await sim.step(change ? [...polls, { kind: 'world', change }] : polls, plan);
        },
      ),
  );

const cycleCommand = fc.constant(
  new SimCommand('a whole cycle: schedule polls, drain the polls, drain the syncs, relay', async (sim) => {
    await sim.step([{ kind: 'schedule', refresh: false }], NO_PLAN);
    await sim.drain(200);
    await sim.step([{ kind: 'relay' }], NO_PLAN);
  }),
);

const worldCommand = worldChange.map(
  (change) =>
    new SimCommand(describeChange(change), async (sim) => {
      sim.trace.push(sim.applyWorldChange(change));
    }),
);

const mewsFaultCommand = fc
  .record({
    operation: fc.constantFrom<FaultOperation>('getProperties', 'getConfiguration'),
    kind: fc.constantFrom<MewsFaultKind>(...MEWS_FAULTS),
    times: fc.integer({ min: 1, max: 3 }),
  })
  .map(
    ({ operation, kind, times }) =>
      new SimCommand(`Mews fault: the next ${times} ${operation} call(s) -> ${kind}`, async (sim) =>
        sim.injectMewsFault(operation, kind, times),
      ),
  );

const connectorFaultCommand = fc
  .record({
    fault: fc.constantFrom<MewsFault>({ kind: 'system-error' }, { kind: 'network' }, { kind: 'refused' }),
    times: fc.integer({ min: 1, max: 3 }),
  })
  .map(
    ({ fault, times }) =>
      new SimCommand(
        `Mews Connector API fault: the next ${times} configuration/get call(s) -> ${fault.kind}`,
        async (sim) => sim.injectConnectorFault(fault, times),
      ),
  );

const publisherFaultCommand = fc
  .integer({ min: 1, max: 4 })
  .map(
    (times) =>
      new SimCommand(`EventBridge throttles the next ${times} entr(ies)`, async (sim) =>
        sim.injectPublisherFault(times),
      ),
  );

const operatorCommand = fc.oneof(
  {
    weight: 2,
    arbitrary: emailIndex.map(
      (i) => new SimCommand(`operator: register ${emailAt(i)}`, (sim) => sim.register(i)),
    ),
  },
  {
    weight: 1,
    arbitrary: emailIndex.map(
      (i) => new SimCommand(`operator: unregister ${emailAt(i)}`, (sim) => sim.unregister(i)),
    ),
  },
  {
    weight: 1,
    arbitrary: emailIndex.map(
      (i) => new SimCommand(`operator: release the hold of ${emailAt(i)}`, (sim) => sim.release(i)),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constant(new SimCommand('operator: redrive the dead letters', (sim) => sim.redrive())),
  },
  {
    weight: 1,
    arbitrary: index.map(
      (i) => new SimCommand(`operator: replay the events of known connection #${i}`, (sim) => sim.replay(i)),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(10 * 60_000, 6 * 3_600_000, 8 * 86_400_000)
      .map((ms) => new SimCommand(`time passes: ${ms / 60_000} min`, async (sim) => sim.timePasses(ms))),
  },
);

/** The histories; `replayPath` (printed with a failure) lets SIM_PATH jump straight to a shrunk one. */
export const historyArbitrary = (replayPath?: string) =>
  fc.commands(
    [
      stepCommand,
      stepCommand,
      stepCommand,
      stepCommand,
      stepCommand,
      cycleCommand,
      cycleCommand,
      racingPollsCommand,
      worldCommand,
      worldCommand,
      mewsFaultCommand,
      fc.oneof(
        { weight: 2, arbitrary: publisherFaultCommand },
        { weight: 1, arbitrary: connectorFaultCommand },
      ),
      operatorCommand,
    ],
    { maxCommands: 60, size: 'medium', ...(replayPath ? { replayPath } : {}) },
  );
