import type { MewsSimulator } from '../../../shared/simulator/index.js';

/** Test helpers: talk to a running simulator over real HTTP. */

export type Operation = 'getProperties' | 'getConfiguration' | 'getChannels';

export async function callMews(
  sim: MewsSimulator,
  operation: Operation,
  body: unknown,
  init: { raw?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  return fetch(`${sim.url}/api/channelManager/v1/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: init.raw ?? JSON.stringify(body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
}

/** Calls an operation and returns the JSON body (expects HTTP 200). */
export async function mewsJson(sim: MewsSimulator, operation: Operation, body: unknown): Promise<unknown> {
  const response = await callMews(sim, operation, body);
  if (response.status !== 200) throw new Error(`${operation}: HTTP ${response.status}`);
  return response.json();
}

export async function admin(
  sim: MewsSimulator,
  name: string,
  body?: unknown,
  method: 'GET' | 'POST' = 'POST',
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${sim.url}/_admin/${name}`, {
    method,
    ...(method === 'POST'
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }
      : {}),
  });
  return { status: response.status, json: await response.json() };
}

export const RECEPTION = 'reception@sample-hostel.example';
export const REVENUE = 'revenue@sample-hostel.example';
export const NIGHT_DESK = 'night-desk@sample-hostel.example';
export const LOCKED_OUT = 'former-manager@sample-hostel.example';
export const QUIET_INN_OWNER = 'owner@quiet-inn.example';
export const CENTRAL_DORMS = 'fake-conn-harbour-central-dorms';
export const LARGE_CONNECTION = 'fake-conn-grand-resort';
