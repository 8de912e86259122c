import { describe, expect, it } from 'vitest';
import { MewsApiError, MewsResponseError, MewsTransportError } from '../../../shared/mews/errors.js';
import { MewsFailure, MewsRefusal, MewsTransientFailure } from '../../../shared/ports/mews-failure.js';

describe('Mews port failures', () => {
  it("the HTTP client's errors are port failures, told apart by what they say", () => {
    const refused = new MewsApiError({ operation: 'getProperties', codes: [8], mewsMessage: null });
    const disabled = new MewsApiError({ operation: 'getConfiguration', codes: [3], mewsMessage: null });
    const system = new MewsApiError({ operation: 'getProperties', codes: [1], mewsMessage: null });
    const network = new MewsTransportError({ operation: 'getConfiguration', reason: 'network' });
    const forbidden = new MewsTransportError({
      operation: 'getConfiguration',
      reason: 'http-status',
      status: 403,
    });
    const garbled = new MewsResponseError({ operation: 'getProperties', issues: ['properties: required'] });

    for (const e of [refused, disabled, forbidden]) {
      expect(e).toBeInstanceOf(MewsFailure);
      expect(e).toBeInstanceOf(MewsRefusal);
      expect(e).not.toBeInstanceOf(MewsTransientFailure);
    }
    for (const e of [system, network, garbled]) {
      expect(e).toBeInstanceOf(MewsTransientFailure);
      expect(e).not.toBeInstanceOf(MewsRefusal);
    }
    expect(refused.code).toBe(8);
    expect(disabled.code).toBe(3);
    expect(forbidden.code).toBeNull();
  });

  it('the port classes build failures of their own kind, with a safe JSON form', () => {
    const refusal = new MewsRefusal({ operation: 'getConfiguration', code: 3 });
    expect(refusal).toBeInstanceOf(MewsRefusal);
    expect(refusal).toBeInstanceOf(Error);
    expect(refusal).not.toBeInstanceOf(MewsTransientFailure);
    expect(refusal.message).toBe('Mews getConfiguration refused the call (code 3)');
    expect(JSON.parse(JSON.stringify(refusal))).toEqual({
      name: 'MewsRefusal',
      message: refusal.message,
      operation: 'getConfiguration',
      kind: 'permanent',
      code: 3,
    });
    const connector = new MewsRefusal({ operation: 'configuration/get', code: null, status: 401 });
    expect(connector.message).toBe('Mews configuration/get refused the call (HTTP 401)');
    const transient = new MewsTransientFailure({ operation: 'getProperties' });
    expect(transient).toBeInstanceOf(MewsTransientFailure);
    expect(transient).not.toBeInstanceOf(MewsRefusal);
    expect(transient).toMatchObject({ kind: 'transient', code: null, name: 'MewsTransientFailure' });
    expect(new MewsTransientFailure({ operation: 'getProperties', code: 1 }).message).toContain('code 1');
  });

  it('nothing else is a port failure', () => {
    for (const value of [
      new Error('boom'),
      new TypeError('x'),
      'code 8',
      { kind: 'permanent', code: 8 },
      null,
    ]) {
      expect(value instanceof MewsRefusal).toBe(false);
      expect(value instanceof MewsTransientFailure).toBe(false);
      expect(value instanceof MewsFailure).toBe(false);
    }
  });
});
