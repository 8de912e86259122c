import { accountIdFromEmail, isConnectionId } from '../domain/identity.js';
import type { AccountId, ConnectionId } from '../domain/model.js';
import type { StateStore } from '../ports/state-store.js';
import { NotFound, UsageError } from './cli-io.js';

/** How many candidates an ambiguous prefix names. */
const SHOWN = 5;

/** `con_4fb2…`, `con_4fb2...` and `con_4fb2` are the same prefix: the console shortens ids with an ellipsis. */
function stripEllipsis(text: string): string {
  return text.trim().replace(/(…|\.\.\.)$/, '');
}

function pick<T extends string>(kind: string, prefix: string, ids: T[], listCommand: string): T {
  const matches = ids.filter((id) => id.startsWith(prefix));
  if (matches.length === 1) return matches[0] as T;
  if (matches.length === 0) {
    throw new NotFound(`no ${kind} ${prefix}${prefix.length < 28 ? '…' : ''} (see \`${listCommand}\`)`);
  }
  const shown = matches.slice(0, SHOWN).join(', ');
  throw new UsageError(
    `${prefix}… is ambiguous: ${matches.length} ${kind}s start with it (${shown}${matches.length > SHOWN ? ', …' : ''}); give more of the id`,
  );
}

/** A full connection id, or a unique prefix of one (at least `con_` and one hex digit). */
export async function resolveConnectionId(
  input: string | undefined,
  store: Pick<StateStore, 'listConnections'>,
  what = '<id>',
): Promise<ConnectionId> {
  if (!input) throw new UsageError(`missing ${what}: give a connection id like con_0123456789abcdef01234567`);
  const text = stripEllipsis(input).toLowerCase();
  if (isConnectionId(text)) return text;
  if (!/^con_[0-9a-f]{1,23}$/.test(text)) {
    throw new UsageError(
      `'${input}' is not a connection id: they look like con_ followed by 24 hex digits (a unique prefix will do)`,
    );
  }
  const ids = (await store.listConnections()).map((c) => c.id);
  return pick('connection', text, ids, 'provisioner connections list');
}

/** An email (registered or not: the id follows from it), a full account id, or a unique prefix of one. */
export async function resolveAccountId(
  input: string | undefined,
  store: Pick<StateStore, 'listAccounts'>,
): Promise<AccountId> {
  if (!input) throw new UsageError('missing <email|id>: give the Mews employee email or the account id');
  if (input.includes('@')) return accountIdFromEmail(input);
  const text = stripEllipsis(input).toLowerCase();
  if (!/^acc_[0-9a-f]{1,16}$/.test(text)) {
    throw new UsageError(
      `'${input}' is neither an email nor an account id: ids look like acc_ followed by 16 hex digits (a unique prefix will do)`,
    );
  }
  const ids = (await store.listAccounts()).map((a) => a.id);
  if (text.length === 20 && !ids.includes(text as AccountId)) {
    throw new NotFound(`no account ${text} (see \`provisioner accounts list\`)`);
  }
  return pick('account', text, ids, 'provisioner accounts list');
}
