import type { MemoryChannelManager } from '../../shared/adapters/memory/memory-channel-manager.js';
import { parseAnswer } from '../../shared/mews/channel-manager-client.js';
import type { Channel } from '../../shared/mews/channels.schema.js';
import {
  type Configuration,
  type ConfigurationExtent,
  getConfigurationResponseSchema,
} from '../../shared/mews/configuration.schema.js';
import { MewsApiError, type MewsOperation, MewsTransportError } from '../../shared/mews/errors.js';
import { getPropertiesResponseSchema, type PropertiesResponse } from '../../shared/mews/properties.schema.js';
import type { ChannelManagerApi } from '../../shared/ports/channel-manager-api.js';
import { SimulatedCrash } from './interleaver.js';

/**
 * What the simulation can make a Mews call fail with, on top of the world's own answers (code 8
 * for a locked-out employee or a gone token, code 3 for a disabled connection). Each stands for
 * what the HTTP client (shared/mews/channel-manager-client.ts) throws once its retries give up,
 * built from the client's own error classes, or for an odd but valid answer.
 */
export const MEWS_FAULTS = [
  /** Code 1: transient. */
  'system-error',
  /** Connection reset, timeout, 429, a body that is not JSON: transient. */
  'network',
  'timeout',
  'rate-limited',
  'garbled',
  /** JSON of the wrong shape: the client's schema refuses it (MewsResponseError, transient). */
  'malformed',
  /** `success: false` without a code: garbled, transient. */
  'no-code',
  /** Permanent codes. */
  'refused-3',
  'refused-6',
  'refused-7',
  'refused-8',
  'refused-9',
  /**
   * getProperties only (a getConfiguration call they hit answers as usual), valid answers: tokens
   * as the deprecated `code`, duplicates, a property twice.
   */
  'odd-listing',
  /** getProperties only, valid but wrong: nothing listed, or only the first property. */
  'empty-listing',
  'partial-listing',
] as const;
export type MewsFaultKind = (typeof MEWS_FAULTS)[number];

export type FaultOperation = 'getProperties' | 'getConfiguration';

interface Rule {
  operation: FaultOperation;
  kind: MewsFaultKind;
  remaining: number;
}

/** The in-memory Channel Manager with the simulation's faults on top. */
export class SimMews implements ChannelManagerApi {
  readonly #inner: MemoryChannelManager;
  #rules: Rule[] = [];

  constructor(inner: MemoryChannelManager) {
    this.#inner = inner;
  }

  /** The next `times` calls of `operation` fail (or answer oddly) this way. */
  inject(operation: FaultOperation, kind: MewsFaultKind, times: number): void {
    this.#rules.push({ operation, kind, remaining: times });
  }

  clearFaults(): void {
    this.#rules = [];
  }

  pendingFaults(): number {
    return this.#rules.reduce((n, r) => n + r.remaining, 0);
  }

  #take(operation: FaultOperation): MewsFaultKind | undefined {
    const rule = this.#rules.find((r) => r.operation === operation);
    if (!rule) return undefined;
    rule.remaining--;
    if (rule.remaining <= 0) this.#rules.splice(this.#rules.indexOf(rule), 1);
    return rule.kind;
  }

  async getProperties(email: string): Promise<PropertiesResponse> {
    const operation = 'getProperties';
    let answer: PropertiesResponse | undefined;
    let failure: unknown;
    try {
      answer = await this.#inner.getProperties(email);
    } catch (error) {
      if (error instanceof SimulatedCrash) throw error;
      failure = error;
    }
    const fault = this.#take(operation);
    if (fault === 'odd-listing' || fault === 'empty-listing' || fault === 'partial-listing') {
      if (answer === undefined) throw failure;
      return reshape(answer, fault);
    }
    if (fault) throw failureFor(operation, fault);
    if (answer === undefined) throw failure;
    return answer;
  }

  async getConfiguration(connectionToken: string, extent?: ConfigurationExtent): Promise<Configuration> {
    const operation = 'getConfiguration';
    let answer: Configuration | undefined;
    let failure: unknown;
    try {
      answer = await this.#inner.getConfiguration(connectionToken, extent);
    } catch (error) {
      if (error instanceof SimulatedCrash) throw error;
      failure = error;
    }
    const fault = this.#take(operation);
    if (fault && fault !== 'odd-listing' && fault !== 'empty-listing' && fault !== 'partial-listing') {
      throw failureFor(operation, fault);
    }
    if (answer === undefined) throw failure;
    // Through the client's schema, as Mews' JSON would go: with the echoed token, which it strips.
    return parseAnswer(operation, getConfigurationResponseSchema, {
      body: { ...answer, connectionToken, addedByMewsLater: { any: 'thing' } },
    });
  }

  getChannels(): Promise<Channel[]> {
    return this.#inner.getChannels();
  }
}

function failureFor(operation: MewsOperation, fault: MewsFaultKind): Error {
  switch (fault) {
    case 'system-error':
      return new MewsApiError({
        operation,
        codes: [1],
        mewsMessage: 'System error, try again later.',
        attempts: 3,
      });
    case 'no-code':
      return new MewsApiError({ operation, codes: [], mewsMessage: null, attempts: 3 });
    case 'network':
      return new MewsTransportError({ operation, reason: 'network', causeCode: 'ECONNRESET', attempts: 3 });
    case 'timeout':
      return new MewsTransportError({ operation, reason: 'timeout', attempts: 3 });
    case 'rate-limited':
      return new MewsTransportError({ operation, reason: 'rate-limited', status: 429, retryAfterMs: 1000 });
    case 'garbled':
      return new MewsTransportError({ operation, reason: 'invalid-json', status: 200 });
    case 'malformed':
      try {
        parseAnswer(
          operation,
          operation === 'getProperties' ? getPropertiesResponseSchema : getConfigurationResponseSchema,
          {
            body:
              operation === 'getProperties'
                ? { success: true, properties: [{ id: null, connections: [{ name: 'no token' }] }] }
                : { success: true, property: {}, spaceCategories: [{ name: 'no code' }] },
          },
        );
      } catch (error) {
        return error as Error;
      }
      throw new Error('the malformed answer parsed');
    default: {
      const code = Number(fault.slice('refused-'.length));
      return new MewsApiError({ operation, codes: [code], mewsMessage: `Refused with code ${code}.` });
    }
  }
}

/** A successful answer, changed as Mews (or a proxy) might: still valid for the client's schema. */
function reshape(
  answer: PropertiesResponse,
  fault: 'odd-listing' | 'empty-listing' | 'partial-listing',
): PropertiesResponse {
  if (fault === 'empty-listing') return { success: true, properties: [] };
  if (fault === 'partial-listing') return { success: true, properties: answer.properties.slice(0, 1) };
  const properties: Record<string, unknown>[] = answer.properties.map((p) => ({
    id: p.id,
    name: p.name === '' ? null : p.name,
    connections:
      p.connections.length === 0
        ? null
        : p.connections.map((c, i) => (i % 2 === 0 ? { code: c.token, name: c.name } : { token: c.token })),
  }));
  const first = answer.properties.find((p) => p.connections.length > 0);
  // The first property again, under its id, with its connections listed twice.
  if (first)
    properties.push({
      id: first.id,
      name: first.name,
      connections: [...first.connections, ...first.connections],
    });
  return parseAnswer('getProperties', getPropertiesResponseSchema, {
    body: { success: true, properties, nextPage: null },
  });
}
