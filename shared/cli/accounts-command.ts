import { readFile } from 'node:fs/promises';
import { maskEmail } from '../domain/mask-email.js';
import { registerAccount, unregisterAccount } from '../use-cases/accounts.js';
import type { UseCaseDeps } from '../use-cases/use-case-deps.js';
import { parseAccountsCsv } from './accounts-csv.js';
import { type CliIo, EXIT, json, table, UsageError, widthFor } from './cli-io.js';
import { resolveAccountId } from './resolve-id.js';

type Deps = Pick<UseCaseDeps, 'store' | 'clock'>;

export const ACCOUNTS_HELP = `Usage:
  provisioner accounts add <email> [--label L]   register a Mews employee email (idempotent, any case);
                                                 one email per command (several: import). On a registered
                                                 email --label sets its label (--label '' clears it)
  provisioner accounts list [--json]             list registered accounts
  provisioner accounts remove <email|id>         stop polling an email
  provisioner accounts release <email|id>        confirm a held mass disappearance: its removals go ahead
  provisioner accounts import <file.csv>         register every row of a CSV with the columns email[,label];
                                                 a bad row stops the import before anything is written;
                                                 a row's label replaces a registered email's label

An account id may be shortened to a unique prefix (acc_2382 or acc_2382…). Every command takes --json.
`;

export async function accountsCommand(
  args: { sub: string | undefined; email: string | undefined; label: string | undefined; json: boolean },
  deps: Deps,
  io: CliIo,
): Promise<number> {
  switch (args.sub) {
    case 'add': {
      const { account, created, labelChanged } = await registerAccount(
        { email: requireEmail(args.email), label: args.label },
        deps,
      );
      if (args.json) {
        io.out(json({ ...account, created, labelChanged: labelChanged ?? false }));
        return EXIT.ok;
      }
      const what = created ? 'registered' : labelChanged ? 'relabelled' : 'already registered';
      const label = labelChanged
        ? account.label
          ? `, label ${JSON.stringify(account.label)}`
          : ', label cleared'
        : '';
      io.out(`${what} ${account.id} (${maskEmail(account.email)})${label}\n`);
      return EXIT.ok;
    }
    case 'remove': {
      const accountId = await resolveAccountId(args.email, deps.store);
      const removed = await unregisterAccount({ accountId }, deps);
      if (!removed) {
        io.err(`no such account: ${accountId} is not registered (see \`provisioner accounts list\`)\n`);
        return EXIT.failed;
      }
      io.out(args.json ? json({ accountId, removed: true }) : `removed ${accountId}\n`);
      return EXIT.ok;
    }
    case 'import': {
      if (!args.email)
        throw new UsageError('missing <file.csv>: give a CSV with a header line `email,label`');
      let text: string;
      try {
        text = await readFile(args.email, 'utf8');
      } catch (error) {
        io.err(
          `cannot read ${args.email}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
        );
        return EXIT.failed;
      }
      const { rows, problems } = parseAccountsCsv(text);
      if (problems.length > 0) {
        const shown = problems.slice(0, 10).join('\n  ');
        const more = problems.length > 10 ? `\n  ...and ${problems.length - 10} more` : '';
        throw new UsageError(
          `${args.email} has ${problems.length} bad line(s); nothing was imported:\n  ${shown}${more}`,
        );
      }
      let created = 0;
      let relabelled = 0;
      for (const [i, row] of rows.entries()) {
        // An empty label in the file leaves a registered email's label as it is.
        const result = await registerAccount({ email: row.email, label: row.label || undefined }, deps);
        if (result.created) created++;
        if (result.labelChanged) relabelled++;
        io.progress(`importing ${i + 1}/${rows.length}`);
      }
      const existing = rows.length - created;
      io.out(
        args.json
          ? json({ rows: rows.length, registered: created, alreadyRegistered: existing, relabelled })
          : `imported ${rows.length} account(s): ${created} registered, ${existing} already registered${relabelled ? ` (${relabelled} relabelled)` : ''}\n`,
      );
      return EXIT.ok;
    }
    case 'release': {
      const accountId = await resolveAccountId(args.email, deps.store);
      const released = await deps.store.releaseAccountHold(accountId);
      if (!released) {
        io.err(`${accountId} has no held disappearance to release (see \`provisioner accounts list\`)\n`);
        return EXIT.failed;
      }
      io.out(
        args.json
          ? json({ accountId, released: true })
          : `released ${accountId}: the next polls count its missing connections and remove the confirmed ones\n`,
      );
      return EXIT.ok;
    }
    case 'list': {
      const accounts = await deps.store.listAccounts();
      if (args.json) {
        io.out(json(accounts));
        return EXIT.ok;
      }
      io.out(
        table(
          ['ID', 'EMAIL', 'LABEL', 'ACCESS', 'HOLD'],
          accounts.map((a) => [
            a.id,
            a.email,
            a.label ?? '',
            a.access.status === 'ok'
              ? 'ok'
              : `failing since ${a.access.since} (code ${a.access.code ?? '-'})`,
            a.hold
              ? `${a.hold.missing} of ${a.hold.known} missing since ${a.hold.since}${a.hold.released ? ', released' : ''}`
              : '',
          ]),
          widthFor(io),
        ),
      );
      return EXIT.ok;
    }
    default:
      throw new UsageError(
        `unknown accounts command '${args.sub ?? ''}': use add, list, remove, release or import`,
      );
  }
}

function requireEmail(email: string | undefined): string {
  if (!email) throw new UsageError('missing <email>: give the Mews employee email');
  return email;
}
