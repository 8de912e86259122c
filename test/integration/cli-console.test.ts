import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import type { CliIo } from '../../shared/cli/cli-io.js';
import { main } from '../../shared/cli/main.js';
import { accountIdFromEmail } from '../../shared/domain/identity.js';
import { appendDeadLetters } from '../../shared/local/dead-letter-file.js';
import { type MewsSimulator, startMewsSimulator } from '../../shared/simulator/index.js';
import { freshTable, type TestTable } from '../support/dynamo.js';

/** Issue 10, parts 5 and 6: arguments, --json everywhere, ids and prefixes, tables, dlq, events tail. */
let table: TestTable;
let simulator: MewsSimulator;
let stateDir: string;

beforeAll(async () => {
  table = await freshTable('cli-console');
  simulator = await startMewsSimulator();
  stateDir = await mkdtemp(join(tmpdir(), 'provisioner-cli-console-'));
});
afterAll(async () => {
  await simulator.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function cli(
  args: string[],
  env: Record<string, string | undefined> = {},
  signal?: AbortSignal,
  onOut?: (stdout: string) => void,
) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (t) => {
      stdout += t;
      onOut?.(stdout);
    },
    err: (t) => {
      stderr += t;
    },
    progress: () => {},
    env: {
      PROVISIONER_STATE_DIR: stateDir,
      PROVISIONER_TABLE_NAME: table.tableName,
      MEWS_PLATFORM_ADDRESS: simulator.url,
      MEWS_CLIENT_TOKEN: simulator.clientToken,
      ...env,
    },
  };
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  const code = await main(args, io, signal ? { signal } : {});
  return { code, stdout, stderr };
}

const EMAIL = 'reception@sample-hostel.example';

describe('arguments', () => {
  it('--version prints the package version; --json too', async () => {
    expect(await cli(['--version'])).toEqual({
      code: 0,
      stdout: `provisioner ${packageJson.version}\n`,
      stderr: '',
    });
    expect(JSON.parse((await cli(['--version', '--json'])).stdout)).toEqual({ version: packageJson.version });
  });

  it('help is a command; a group without its subcommand prints that group help', async () => {
    const help = await cli(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Mews connection provisioner/);
    expect(help.stdout).toMatch(/events tail/);
    const accounts = await cli(['help', 'accounts']);
    expect(accounts).toMatchObject({ code: 0, stderr: '' });
    expect(accounts.stdout).toMatch(/provisioner accounts add <email>/);
    const group = await cli(['accounts']);
    expect(group.code).toBe(2);
    expect(group.stdout).toBe(accounts.stdout);
    expect((await cli(['help', 'nonsense'])).code).toBe(2);
  });

  it.each([
    [['accounts', 'add', 'a@b.example', 'c@d.example'], /unexpected 'c@d\.example': .*accounts import/],
    [['run', '--once', 'now'], /unexpected argument 'now'/],
    [['status', 'extra', 'more'], /unexpected arguments 'extra' 'more'/],
    [['connections', 'list', '--label', 'x'], /`provisioner connections list` does not take --label/],
    [['accounts', 'add', '--label'], /--label needs a value/],
    [['dlq', 'list', '--once'], /does not take --once/],
  ])('%j is refused with exit 2 and nothing is done', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it("an unknown flag's message is well formed (balanced quotes)", async () => {
    const { code, stderr } = await cli(['status', '--frobnicate']);
    expect(code).toBe(2);
    const first = stderr.split('\n')[0] ?? '';
    expect(first).toBe(
      "provisioner: unknown option '--frobnicate' (to pass a value starting with '-', put it after '--')",
    );
    expect((first.match(/'/g) ?? []).length % 2).toBe(0);
    expect((await cli(['accounts', 'list'])).stdout).not.toMatch(/a@b\.example/);
  });

  it('a bad variable names itself, its value and what it accepts', async () => {
    const level = await cli(['status'], { PROVISIONER_LOG_LEVEL: 'loud' });
    expect(level.code).toBe(2);
    expect(level.stderr).toMatch(/PROVISIONER_LOG_LEVEL="loud" must be debug, info, warn, error or silent/);
    const format = await cli(['status'], { PROVISIONER_LOG_FORMAT: 'xml' });
    expect(format.stderr).toMatch(/PROVISIONER_LOG_FORMAT="xml" must be text .* or json/);
    const stack = await cli(['status', '--stack', 'no_such stack']);
    expect(stack.code).toBe(2);
    expect(stack.stderr).toMatch(/--stack 'no_such stack' is not a stack name/);
  });
});

describe('accounts: labels, ids and prefixes', () => {
  it('add --label on a registered email changes its label; --label "" clears it; no --label keeps it', async () => {
    expect((await cli(['accounts', 'add', EMAIL])).stdout).toMatch(/^registered acc_/);
    const relabel = await cli(['accounts', 'add', EMAIL, '--label', 'Front desk']);
    expect(relabel).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^relabelled acc_.*label "Front desk"/),
    });
    await cli(['accounts', 'add', EMAIL]);
    const list = JSON.parse((await cli(['accounts', 'list', '--json'])).stdout);
    expect(list.find((a: { email: string }) => a.email === EMAIL)?.label).toBe('Front desk');
    const json = JSON.parse((await cli(['accounts', 'add', EMAIL, '--label', '', '--json'])).stdout);
    expect(json).toMatchObject({ email: EMAIL, label: null, created: false, labelChanged: true });
  });

  it('release and remove take an account id, or a unique prefix of one as the console shows it', async () => {
    const id = accountIdFromEmail('prefix-me@sample-hostel.example');
    await cli(['accounts', 'add', 'prefix-me@sample-hostel.example']);
    // No hold to release: exit 1, but the id was understood (it names the account).
    const release = await cli(['accounts', 'release', id]);
    expect(release.code).toBe(1);
    expect(release.stderr).toMatch(new RegExp(`${id} has no held disappearance`));
    const accounts = JSON.parse((await cli(['accounts', 'list', '--json'])).stdout) as { id: string }[];
    const others = accounts.filter((a) => a.id !== id).map((a) => a.id);
    let length = 5;
    while (others.some((o) => o.startsWith(id.slice(0, length)))) length++;
    const removed = await cli(['accounts', 'remove', `${id.slice(0, length)}…`, '--json']);
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({ accountId: id, removed: true });
    const gone = await cli(['accounts', 'remove', id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/no account acc_/);
  });

  it('an ambiguous prefix is exit 2 naming the candidates; an unknown one exit 1', async () => {
    // 17 accounts: two of them share their first hex digit.
    const emails = Array.from({ length: 17 }, (_, i) => `many-${i}@sample-hostel.example`);
    for (const email of emails) await cli(['accounts', 'add', email]);
    const ids = emails.map(accountIdFromEmail);
    const shared = ids.find((id, i) => ids.some((o, j) => j !== i && o[4] === id[4])) as string;
    const ambiguous = await cli(['accounts', 'remove', shared.slice(0, 5)]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/is ambiguous: \d+ accounts start with it \(acc_/);
    const prefixes = new Set(ids.map((id) => id.slice(0, 6)));
    const unused = [...'0123456789abcdef']
      .flatMap((a) => [...'0123456789abcdef'].map((b) => `acc_${a}${b}`))
      .find((p) => !prefixes.has(p) && !accountsStartWith(p));
    function accountsStartWith(p: string) {
      return ids.some((id) => id.startsWith(p)) || accountIdFromEmail(EMAIL).startsWith(p);
    }
    const unknown = await cli(['accounts', 'release', unused as string]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no account acc_/);
    for (const email of emails) await cli(['accounts', 'remove', email]);
  });
});

describe('run --once --json, connections by prefix, tables, dlq, events tail', () => {
  it('run --once --json prints one machine-readable report of what happened', async () => {
    const run = await cli(['run', '--once', '--json']);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ ok: true, where: expect.stringMatching(/^local/) });
    expect(report.report.accounts).toBeGreaterThanOrEqual(1);
    expect(report.report.polls).toContainEqual(
      expect.objectContaining({
        accountId: accountIdFromEmail(EMAIL),
        status: 'polled',
        email: 'r***@s***.example',
      }),
    );
    expect(report.report.provisioned).toBeGreaterThan(0);
    expect(report.report.published).toBeGreaterThan(0);
    expect(run.stdout).not.toContain(EMAIL);
  });

  it('run --once --json against a Mews that refuses: ok false, the reason, exit 1', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'provisioner-cli-console-refused-'));
    try {
      await cli(['accounts', 'add', EMAIL], {
        PROVISIONER_STATE_DIR: elsewhere,
        MEWS_PLATFORM_ADDRESS: 'http://127.0.0.1:9',
      });
      const run = await cli(['run', '--once', '--json'], {
        PROVISIONER_STATE_DIR: elsewhere,
        MEWS_PLATFORM_ADDRESS: 'http://127.0.0.1:9',
        MEWS_TIMEOUT_SECONDS: '1',
      });
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({ ok: false, error: expect.stringMatching(/127\.0\.0\.1:9/) });
      expect(report.report.unreachable).not.toBeNull();
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('connections show and resync take a prefix with or without the ellipsis', async () => {
    const connections = JSON.parse((await cli(['connections', 'list', '--json'])).stdout) as { id: string }[];
    const id = connections[0]?.id as string;
    let length = 8;
    while (connections.some((c) => c.id !== id && c.id.startsWith(id.slice(0, length)))) length++;
    for (const form of [id.slice(0, length), `${id.slice(0, length)}…`, `${id.slice(0, length)}...`]) {
      const shown = await cli(['connections', 'show', form, '--json']);
      expect(shown.code).toBe(0);
      expect(JSON.parse(shown.stdout).id).toBe(id);
    }
    const resync = await cli(['connections', 'resync', `${id.slice(0, length)}…`, '--json']);
    expect(resync.code).toBe(0);
    expect(JSON.parse(resync.stdout)).toMatchObject({ ok: true, summary: expect.stringContaining(id) });
    const unknown = await cli(['connections', 'show', 'con_fffffffffff']);
    if (!connections.some((c) => c.id.startsWith('con_fffffffffff'))) {
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/no connection con_fffffffffff/);
    }
    const replay = await cli(['events', 'replay', '--connection', id.slice(0, length), '--json']);
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ ok: true, connectionId: id });
  });

  it('tables fit COLUMNS (cut with …, never wrapped); without a width nothing is cut', async () => {
    const wide = await cli(['connections', 'list']);
    expect(
      Math.max(
        ...wide.stdout
          .trimEnd()
          .split('\n')
          .map((l) => l.length),
      ),
    ).toBeGreaterThan(60);
    expect(wide.stdout).not.toContain('…');
    const narrow = await cli(['connections', 'list'], { COLUMNS: '60' });
    const lines = narrow.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(wide.stdout.trimEnd().split('\n').length);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    expect(narrow.stdout).toContain('…');
  });

  it('dlq list prints a readable summary, not the message JSON', async () => {
    const accountId = accountIdFromEmail(EMAIL);
    await appendDeadLetters(stateDir, [
      {
        message: { kind: 'poll-account', accountId },
        error: 'Mews getProperties answered 503',
        attempts: 3,
        at: '2026-12-01T10:00:00.000Z',
      },
    ]);
    const list = await cli(['dlq', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(
        `account-polls\\s+poll ${accountId}\\s+3\\s+2026-12-01T10:00:00.000Z\\s+Mews getProperties answered 503`,
      ),
    );
    expect(list.stdout).not.toContain('{"kind"');
    expect(list.stdout).toMatch(/1 message\(s\)/);
    const redrive = await cli(['dlq', 'redrive', '--json']);
    expect(JSON.parse(redrive.stdout)).toMatchObject({
      ok: true,
      summary: expect.stringMatching(/redrove 1/),
    });
  });

  it('events tail shows the published events, --type filters, --json prints them whole', async () => {
    const all = await cli(['events', 'tail']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/Connection Provisioned\s+con_[0-9a-f]{4}…/);
    const typed = await cli(['events', 'tail', '--type', 'connection-provisioned', '--json']);
    const events = typed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e['detail-type']).toBe('Connection Provisioned');
    const bad = await cli(['events', 'tail', '--type', 'Nonsense']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--type 'Nonsense' is not an event type: use one of Connection Provisioned/);
  });

  it('events tail --follow shows an event appended while it runs', async () => {
    const lines = (await readFile(join(stateDir, 'events.jsonl'), 'utf8')).trim().split('\n');
    const event = JSON.parse(lines[0] as string);
    const fresh = { ...event, id: 'followed-event', detail: { ...event.detail, eventId: 'evt_followed' } };
    fresh.detail.connection = { ...fresh.detail.connection, propertyName: 'Followed Property' };
    const controller = new AbortController();
    let appended = false;
    const following = cli(['events', 'tail', '--follow'], {}, controller.signal, (stdout) => {
      if (stdout.includes('Followed Property')) controller.abort();
    });
    // The backlog is printed first; then the new line arrives and stops the tail.
    await new Promise((resolve) => setImmediate(resolve));
    await appendFile(join(stateDir, 'events.jsonl'), `${JSON.stringify(fresh)}\n`);
    appended = true;
    const result = await following;
    expect(appended).toBe(true);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Followed Property/);
  });
});
