import type { WebhookDeps } from '../../shared/adapters/http/webhook-router.js';
import { secretMatcher } from '../../shared/lib/secret-matcher.js';
import { createLocalRunner, type LocalRunner } from '../../shared/local/local-runner.js';
import { type LocalWebhookServer, startLocalWebhookServer } from '../../shared/local/webhook-server.js';
import { startPipeline, type TestPipeline } from './pipeline.js';

/** Obviously fake, long enough for the AWS composition's minimum. */
export const TEST_INTEGRATION_SECRET = 'fake-integration-webhook-secret-0123456789';

export interface WebhookPipeline extends TestPipeline {
  webhook: LocalWebhookServer;
  /** What the endpoint runs with (shared by reference: a test may swap a part). */
  webhookDeps: WebhookDeps;
  runner: LocalRunner;
  /** Waits until the drains the webhooks triggered are done (events relayed to the sink). */
  settled(): Promise<void>;
}

/**
 * The local pipeline (DynamoDB Local, simulator, file vault, JSON-lines sink) plus its webhook
 * endpoint, as `npm start` runs it: webhooks queue work and trigger an immediate drain. The
 * simulator sends its notifications and integration webhooks to that endpoint.
 */
export async function startWebhookPipeline(label: string): Promise<WebhookPipeline> {
  const p = await startPipeline(label);
  const s = p.services;
  const runner = createLocalRunner(s, {
    onError: (error) => p.logLines.push(`drain failed: ${String(error)}`),
  });
  const deps: WebhookDeps = {
    notifications: s,
    integrations: {
      integrations: s.integrations,
      vault: s.integrationVault,
      connector: s.connector,
      clock: s.clock,
      logger: s.logger,
      environment: s.environment,
      secretMatches: secretMatcher(TEST_INTEGRATION_SECRET),
    },
    logger: s.logger,
  };
  const webhook = await startLocalWebhookServer({ deps, onWork: () => runner.drainSoon() });
  p.simulator.setWebhookTarget({ url: webhook.url, integrationSecret: TEST_INTEGRATION_SECRET });
  const close = p.close;
  return {
    ...p,
    webhook,
    webhookDeps: deps,
    runner,
    settled: () => runner.idle(),
    async close() {
      await webhook.close();
      await runner.idle();
      await close();
    },
  };
}
