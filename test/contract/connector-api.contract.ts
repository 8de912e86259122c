import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConnectorApi } from '../../shared/ports/connector-api.js';
import { MewsRefusal, MewsTransientFailure } from '../../shared/ports/mews-failure.js';

export type IntegrationState = 'enabled' | 'disabled' | 'canceled' | 'deleted';

/** Mews' Connector API side of the world, whichever Mews is behind `api`. */
export interface ConnectorWorldDriver {
  api: ConnectorApi;
  addEnterprise(id: string, name: string): void;
  /** Creates an integration of the enterprise; returns its access token. */
  addIntegration(enterpriseId: string): string;
  setStatus(accessToken: string, status: IntegrationState): void;
  /** Mews regenerates the access token: returns the new one (the old one stops working). */
  rotate(accessToken: string): string;
}

export type ConnectorWorldFactory = () => Promise<ConnectorWorldDriver>;

const hex = () => randomBytes(6).toString('hex');

async function refusal(call: Promise<unknown>): Promise<unknown> {
  const error = await call.then(
    () => {
      throw new Error('the call succeeded');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MewsRefusal);
  expect(error).not.toBeInstanceOf(MewsTransientFailure);
  expect(error).toMatchObject({ code: null });
  return error;
}

/** ConnectorApi: what every implementation must do, as Mews does it. */
export function connectorApiContract(makeWorld: ConnectorWorldFactory): void {
  async function integration() {
    const world = await makeWorld();
    const enterprise = `ent-${hex()}`;
    world.addEnterprise(enterprise, `Sample Hostel ${enterprise}`);
    return { world, api: world.api, enterprise, accessToken: world.addIntegration(enterprise) };
  }

  describe('getConfiguration', () => {
    it("answers the integration's enterprise configuration", async () => {
      const { api, enterprise, accessToken } = await integration();
      const configuration = await api.getConfiguration(accessToken);
      expect(configuration).toMatchObject({ id: enterprise, name: `Sample Hostel ${enterprise}` });
      expect(configuration.currencies).toEqual(
        expect.arrayContaining([expect.objectContaining({ isDefault: true, isEnabled: true })]),
      );
      expect(JSON.stringify(configuration)).not.toContain(accessToken);
    });

    it('a disabled or canceled integration is refused for good until it is enabled again', async () => {
      const { world, api, accessToken } = await integration();
      for (const status of ['disabled', 'canceled'] as const) {
        world.setStatus(accessToken, status);
        const error = await refusal(api.getConfiguration(accessToken));
        expect(JSON.stringify({ message: (error as Error).message, json: error })).not.toContain(accessToken);
      }
      world.setStatus(accessToken, 'enabled');
      expect(await api.getConfiguration(accessToken)).toBeDefined();
    });

    it('a deleted integration, an unknown token and a regenerated one are refused for good', async () => {
      const { world, api, enterprise, accessToken } = await integration();
      const rotated = world.rotate(accessToken);
      await refusal(api.getConfiguration(accessToken));
      expect((await api.getConfiguration(rotated)).id).toBe(enterprise);
      world.setStatus(rotated, 'deleted');
      await refusal(api.getConfiguration(rotated));
      await refusal(api.getConfiguration(`FAKE-access-${hex()}`));
    });
  });
}
