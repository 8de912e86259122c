/**
 * The hook every in-memory adapter calls before each port call. A simulation uses it to
 * interleave concurrent use cases (await something before letting the call proceed) and to inject
 * a crash (throw: the call then has no effect, as if the process died just before it).
 *
 * Each in-memory port method is `async`, awaits the hook first and then does all its work
 * synchronously, so it takes effect atomically, like one real call, and concurrent callers can
 * only interleave between port calls.
 */
export interface PortCall {
  /** The port's interface name: 'ConnectionStore', 'TokenVault', 'ChannelManagerApi'... */
  port: string;
  method: string;
  /**
   * The call's arguments as passed (not copies: do not change them). They can include tokens
   * (TokenVault.put, ChannelManagerApi.getConfiguration): keep them out of anything persisted.
   */
  args: readonly unknown[];
}

export type OnPortCall = (call: PortCall) => Promise<void> | void;

export interface MemoryAdapterOptions {
  onCall?: OnPortCall;
}

/** Awaits the hook (if any); always yields once, as a real call would. */
export async function beforeCall(
  onCall: OnPortCall | undefined,
  port: string,
  method: string,
  args: readonly unknown[],
): Promise<void> {
  await onCall?.({ port, method, args });
}
