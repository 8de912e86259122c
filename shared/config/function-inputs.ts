import * as z from '../lib/zod-mini.js';

/**
 * What EventBridge Scheduler passes to the scheduled functions (the schedule target's input).
 * The stack sets these constants as the inputs; the handlers accept them (and the shapes noted
 * below), so the two sides cannot drift apart.
 */
export const SCHEDULE_POLLS_INPUT = { kind: 'schedule-polls' } as const;
export const SWEEP_OUTBOX_INPUT = { kind: 'sweep-outbox' } as const;

/**
 * schedule-polls: no input, `{}`, or SCHEDULE_POLLS_INPUT; the schedule adds `scheduledTime`
 * (Scheduler's `<aws.scheduler.scheduled-time>`, e.g. 2026-03-22T18:55:00Z), the time the run
 * stands for: a retry carries the same one, so it computes the same refresh window.
 */
export const schedulePollsInputSchema = z.pipe(
  z.transform((v) => (v === undefined || v === null || v === '' ? {} : v)),
  z.strictObject({
    kind: z.optional(z.literal(SCHEDULE_POLLS_INPUT.kind)),
    scheduledTime: z.optional(
      z.iso.datetime({ message: 'must be an ISO 8601 UTC time such as 2026-03-22T18:55:00Z' }),
    ),
  }),
);

/** The relay's scheduled sweep: SWEEP_OUTBOX_INPUT, or `{ "sweep": true }`. */
export const sweepOutboxInputSchema = z
  .strictObject({
    kind: z.optional(z.literal(SWEEP_OUTBOX_INPUT.kind)),
    sweep: z.optional(z.literal(true)),
  })
  .check(
    z.refine((v) => v.kind !== undefined || v.sweep !== undefined, {
      message: `expected ${JSON.stringify(SWEEP_OUTBOX_INPUT)} or {"sweep":true}`,
    }),
  );

/** The token sweep (tokenStore parameter-store): SWEEP_TOKENS_INPUT, `{}` or nothing. */
export const SWEEP_TOKENS_INPUT = { kind: 'sweep-tokens' } as const;
export const sweepTokensInputSchema = z.pipe(
  z.transform((v) => (v === undefined || v === null || v === '' ? {} : v)),
  z.strictObject({ kind: z.optional(z.literal(SWEEP_TOKENS_INPUT.kind)) }),
);
