import type * as z from 'zod';
import type { accountRefSchema, connectionRefSchema } from '../../../packages/events/src/event-parts.js';
import { secretStoreOf } from '../../../packages/events/src/secret-store.js';
import { maskEmail } from '../mask-email.js';

// The schemas are the subscriber kit's (packages/events): one source for the service and its subscribers.
export { type MewsEnvironment, SCHEMA_VERSION } from '../../../packages/events/src/event-parts.js';

/** The account as events describe it: the email masked, the label capped. */
export function accountRef(account: {
  id: string;
  label: string | null;
  email: string;
}): z.infer<typeof accountRefSchema> {
  return { id: account.id, label: capText(account.label), maskedEmail: capText(maskEmail(account.email)) };
}

/**
 * Longest free text an event carries (names, labels, messages and ids as Mews or an operator gave
 * them): 1,000 characters, so that no event outgrows its EventBridge entry whatever Mews sends.
 * Longer text is cut and ends in `…`.
 */
export const MAX_TEXT_LENGTH = 1_000;

/** Longest code (a currency, a language) an event carries as Mews sent it. */
export const MAX_CODE_LENGTH = 32;

export function capText(text: string, max?: number): string;
export function capText(text: string | null, max?: number): string | null;
export function capText(text: string | null, max = MAX_TEXT_LENGTH): string | null {
  if (text === null || text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // Do not leave half of a surrogate pair behind.
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** The connection as events describe it (free text capped, see MAX_TEXT_LENGTH). */
export function connectionRef(
  connection: {
    id: string;
    name: string | null;
    propertyId: string;
    propertyName: string;
    secretRef: string | null;
  },
  accountId: string,
): z.infer<typeof connectionRefSchema> {
  return {
    id: connection.id,
    name: capText(connection.name),
    propertyId: capText(connection.propertyId),
    propertyName: capText(connection.propertyName),
    accountId,
    ...secretLocation(connection.secretRef ?? ''),
  };
}

/** A token's reference and the store it is in (told from the reference's format). */
export function secretLocation(secretRef: string) {
  return { secretRef, secretStore: secretStoreOf(secretRef) };
}
