import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MewsFault } from '../../shared/adapters/memory/memory-mews-faults.js';
import type { Channel } from '../../shared/mews/channels.schema.js';
import type { ChannelManagerApi } from '../../shared/ports/channel-manager-api.js';
import { MewsRefusal, MewsTransientFailure } from '../../shared/ports/mews-failure.js';

/** A configuration as Mews documents it (without `success` and the echoed token). */
export type ConfigurationInput = {
  property: { name: string; languageCode?: string | null; timeZoneIdentifier?: string | null };
  spaceCategories: { code: string; name?: string | null; isSynchronized?: boolean | null }[];
  ratePlans: {
    code: string;
    name?: string | null;
    isSynchronized?: boolean | null;
    currencyCode?: string | null;
  }[];
  inventoryMappings: { ratePlanCode: string; spaceTypeCode: string }[];
  products?: { code: string; name?: string | null }[];
  ageCategories?: {
    code: string;
    name?: string | null;
    minimumAge?: number | null;
    maximumAge?: number | null;
  }[];
};

/**
 * Mews' world as a contract case changes it, whichever Mews is behind `api` (the in-memory one,
 * or the HTTP client against the simulator). Every id and token is the test's (fake).
 */
export interface MewsWorldDriver {
  api: ChannelManagerApi;
  addEnterprise(id: string, name: string): void;
  addProperty(enterpriseId: string, id: string, name: string, configuration: ConfigurationInput): void;
  renameProperty(propertyId: string, name: string): void;
  /** The property's configuration is what its connections answer. */
  setConfiguration(propertyId: string, configuration: ConfigurationInput): void;
  addConnection(propertyId: string, token: string, name?: string): void;
  removeConnection(token: string): void;
  setConnectionEnabled(token: string, enabled: boolean): void;
  addEmployee(enterpriseId: string, email: string, propertyIds?: string[]): void;
  lockEmployee(email: string): void;
  /** The next matching call fails with `fault` (as the HTTP client reports it once it gives up). */
  failNext(
    fault: MewsFault,
    scope: {
      operation: 'getProperties' | 'getConfiguration' | 'getChannels';
      email?: string;
      token?: string;
    },
  ): void;
}

/** Returns a driver of a world with CONTRACT_CHANNELS and no enterprise of the tests' ids. */
export type MewsWorldFactory = () => Promise<MewsWorldDriver>;

export const CONTRACT_CHANNELS: Channel[] = [
  { code: 1, name: 'Booking.com' },
  { code: 2, name: 'Expedia' },
];

const hex = () => randomBytes(6).toString('hex');

export function configurationInput(name: string, categories = ['DBL', 'SGL']): ConfigurationInput {
  return {
    property: { name, languageCode: 'en-GB', timeZoneIdentifier: 'Europe/London' },
    spaceCategories: categories.map((code) => ({ code, name: `Category ${code}`, isSynchronized: true })),
    ratePlans: [{ code: 'FLEX', name: 'Flexible', isSynchronized: true, currencyCode: 'GBP' }],
    inventoryMappings: categories.map((code) => ({ ratePlanCode: 'FLEX', spaceTypeCode: code })),
    products: [{ code: 'BRK', name: 'Breakfast' }],
    ageCategories: [{ code: 'ADULT', name: 'Adult', minimumAge: null, maximumAge: null }],
  };
}

/** An enterprise with two properties (one connected twice, one not connected) and an employee who sees both. */
async function hotelGroup(makeWorld: MewsWorldFactory) {
  const world = await makeWorld();
  const id = hex();
  const enterprise = `ent-${id}`;
  const [harbour, annex] = [`prop-${id}-harbour`, `prop-${id}-annex`];
  const email = `front.desk-${id}@hotel.example`;
  const tokens = [`FAKE-conn-${id}-1`, `FAKE-conn-${id}-2`] as const;
  world.addEnterprise(enterprise, `Harbour Group ${id}`);
  world.addProperty(enterprise, harbour, 'Harbour Hostel', configurationInput('Harbour Hostel'));
  world.addProperty(enterprise, annex, 'Harbour Annex', configurationInput('Harbour Annex', ['DORM']));
  world.addConnection(harbour, tokens[0], 'Dorm beds');
  world.addConnection(harbour, tokens[1]);
  world.addEmployee(enterprise, email);
  return { world, api: world.api, id, enterprise, harbour, annex, email, tokens };
}

async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('the call succeeded');
    },
    (error: unknown) => error,
  );
}

/** ChannelManagerApi: what every implementation must do, as Mews does it. */
export function channelManagerApiContract(makeWorld: MewsWorldFactory): void {
  describe('getProperties', () => {
    it("lists the employee's properties with their connections' tokens and names", async () => {
      const { api, email, harbour, annex, tokens } = await hotelGroup(makeWorld);
      const answer = await api.getProperties(email);
      expect(answer.success).toBe(true);
      expect([...answer.properties].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        [
          {
            id: harbour,
            name: 'Harbour Hostel',
            connections: [
              { token: tokens[0], name: 'Dorm beds' },
              { token: tokens[1], name: null },
            ],
          },
          { id: annex, name: 'Harbour Annex', connections: [] },
        ].sort((a, b) => a.id.localeCompare(b.id)),
      );
    });

    it('an employee limited to some properties sees only those; the email is not case-sensitive', async () => {
      const { world, api, enterprise, annex, id } = await hotelGroup(makeWorld);
      const email = `Night.Shift-${id}@Hotel.Example`;
      world.addEmployee(enterprise, email.toLowerCase(), [annex]);
      const answer = await api.getProperties(email);
      expect(answer.properties.map((p) => p.id)).toEqual([annex]);
    });

    it('a new connection shows on the next call, a removed one is gone, a rename shows', async () => {
      const { world, api, email, annex, harbour, tokens, id } = await hotelGroup(makeWorld);
      const added = `FAKE-conn-${id}-3`;
      world.addConnection(annex, added, 'Added');
      world.removeConnection(tokens[1]);
      world.renameProperty(harbour, 'Harbour Hostel Central');
      const byId = new Map((await api.getProperties(email)).properties.map((p) => [p.id, p]));
      expect(byId.get(annex)?.connections).toEqual([{ token: added, name: 'Added' }]);
      expect(byId.get(harbour)).toEqual({
        id: harbour,
        name: 'Harbour Hostel Central',
        connections: [{ token: tokens[0], name: 'Dorm beds' }],
      });
    });

    it('an unknown or locked-out email is refused with code 8, naming neither the email nor a token', async () => {
      const { world, api, email, id } = await hotelGroup(makeWorld);
      const unknown = `nobody-${id}@hotel.example`;
      for (const who of [unknown, email]) {
        if (who === email) world.lockEmployee(email);
        const error = await failure(api.getProperties(who));
        expect(error).toBeInstanceOf(MewsRefusal);
        expect(error).not.toBeInstanceOf(MewsTransientFailure);
        expect(error).toMatchObject({ code: 8 });
        expect(JSON.stringify({ message: (error as Error).message, json: error })).not.toContain(who);
      }
    });
  });

  describe('getConfiguration', () => {
    it("answers the connection's configuration", async () => {
      const { api, tokens } = await hotelGroup(makeWorld);
      const configuration = await api.getConfiguration(tokens[0]);
      expect(configuration.property.name).toBe('Harbour Hostel');
      expect(configuration.spaceCategories.map((c) => c.code)).toEqual(['DBL', 'SGL']);
      expect(configuration.ratePlans.map((r) => r.code)).toEqual(['FLEX']);
      expect(configuration.inventoryMappings).toEqual([
        { ratePlanCode: 'FLEX', spaceTypeCode: 'DBL' },
        { ratePlanCode: 'FLEX', spaceTypeCode: 'SGL' },
      ]);
      expect(configuration.products.map((p) => p.code)).toEqual(['BRK']);
      expect(configuration.ageCategories.map((a) => a.code)).toEqual(['ADULT']);
      expect(JSON.stringify(configuration)).not.toContain(tokens[0]);
    });

    it('a changed configuration shows on the next call', async () => {
      const { world, api, harbour, tokens } = await hotelGroup(makeWorld);
      world.setConfiguration(harbour, configurationInput('Harbour Hostel', ['DBL', 'SGL', 'TWN']));
      expect((await api.getConfiguration(tokens[1])).spaceCategories.map((c) => c.code)).toEqual([
        'DBL',
        'SGL',
        'TWN',
      ]);
    });

    it('the default extent includes unsynchronized categories and rates; a narrower extent leaves them out', async () => {
      const { world, api, harbour, tokens } = await hotelGroup(makeWorld);
      const input = configurationInput('Harbour Hostel', ['DBL', 'SGL']);
      input.spaceCategories[1] = { code: 'SGL', name: 'Single', isSynchronized: false };
      input.ratePlans.push({ code: 'NREF', name: 'Non refundable', isSynchronized: false });
      world.setConfiguration(harbour, input);
      const full = await api.getConfiguration(tokens[0]);
      expect(full.spaceCategories.map((c) => c.code)).toEqual(['DBL', 'SGL']);
      expect(full.ratePlans.map((r) => r.code)).toEqual(['FLEX', 'NREF']);
      const narrow = await api.getConfiguration(tokens[0], {
        includeUnsynchronizedCategories: false,
        includeUnsynchronizedRates: false,
      });
      expect(narrow.spaceCategories.map((c) => c.code)).toEqual(['DBL']);
      expect(narrow.ratePlans.map((r) => r.code)).toEqual(['FLEX']);
      expect(narrow.products).toEqual([]);
    });

    it('a disabled connection is still listed but refused with code 3 until it is enabled again', async () => {
      const { world, api, email, tokens } = await hotelGroup(makeWorld);
      world.setConnectionEnabled(tokens[0], false);
      const listed = (await api.getProperties(email)).properties.flatMap((p) =>
        p.connections.map((c) => c.token),
      );
      expect(listed).toContain(tokens[0]);
      const error = await failure(api.getConfiguration(tokens[0]));
      expect(error).toBeInstanceOf(MewsRefusal);
      expect(error).toMatchObject({ code: 3 });
      expect(await api.getConfiguration(tokens[1])).toBeDefined();
      world.setConnectionEnabled(tokens[0], true);
      expect((await api.getConfiguration(tokens[0])).property.name).toBe('Harbour Hostel');
    });

    it('a removed connection (or a token Mews never issued) is refused with code 8, without the token', async () => {
      const { world, api, tokens, id } = await hotelGroup(makeWorld);
      world.removeConnection(tokens[0]);
      for (const token of [tokens[0], `FAKE-conn-${id}-never`]) {
        const error = await failure(api.getConfiguration(token));
        expect(error).toBeInstanceOf(MewsRefusal);
        expect(error).toMatchObject({ code: 8 });
        expect(JSON.stringify({ message: (error as Error).message, json: error })).not.toContain(token);
      }
    });
  });

  describe('failures (after the implementation gave up retrying)', () => {
    it('Mews code 1 is transient, with its code; the next call goes through', async () => {
      const { world, api, email } = await hotelGroup(makeWorld);
      world.failNext({ kind: 'system-error' }, { operation: 'getProperties', email });
      const error = await failure(api.getProperties(email));
      expect(error).toBeInstanceOf(MewsTransientFailure);
      expect(error).not.toBeInstanceOf(MewsRefusal);
      expect(error).toMatchObject({ code: 1 });
      expect((await api.getProperties(email)).properties).toHaveLength(2);
    });

    it('no answer (network, 5xx) is transient without a code', async () => {
      const { world, api, tokens } = await hotelGroup(makeWorld);
      world.failNext({ kind: 'network' }, { operation: 'getConfiguration', token: tokens[0] });
      const error = await failure(api.getConfiguration(tokens[0]));
      expect(error).toBeInstanceOf(MewsTransientFailure);
      expect(error).toMatchObject({ code: null });
      expect(await api.getConfiguration(tokens[0])).toBeDefined();
    });

    it('an injected refusal (code 8) or disablement (code 3) is permanent and hits only the calls it names', async () => {
      const { world, api, email, tokens } = await hotelGroup(makeWorld);
      world.failNext({ kind: 'refused' }, { operation: 'getConfiguration', token: tokens[0] });
      expect(await api.getConfiguration(tokens[1])).toBeDefined();
      expect(await api.getProperties(email)).toBeDefined();
      expect(await failure(api.getConfiguration(tokens[0]))).toMatchObject({ code: 8 });
      world.failNext({ kind: 'disabled' }, { operation: 'getConfiguration', token: tokens[1] });
      const disabled = await failure(api.getConfiguration(tokens[1]));
      expect(disabled).toBeInstanceOf(MewsRefusal);
      expect(disabled).toMatchObject({ code: 3 });
      expect(await api.getConfiguration(tokens[1])).toBeDefined();
    });
  });

  describe('getChannels', () => {
    it('lists the channels', async () => {
      const world = await makeWorld();
      expect(await world.api.getChannels()).toEqual(CONTRACT_CHANNELS);
    });
  });
}
