/**
 * A command that ran but could not do what it was asked (Mews unreachable, an unknown id, a
 * redrive that moved nothing): exit code 1. `output` is what it did manage, for stdout; the
 * message, the reason, goes to stderr.
 */
export class CommandFailure extends Error {
  readonly output: string;

  constructor(message: string, output = '') {
    super(message);
    this.name = 'CommandFailure';
    this.output = output;
  }
}
