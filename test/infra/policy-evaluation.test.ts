/**
 * Least privilege, proven by evaluating the synthesized policies with an IAM policy simulator
 * (@cloud-copilot/iam-simulate, a devDependency only: it is AGPL-3.0, and nothing deployed or
 * published bundles it). The template's intrinsics are resolved to concrete ARNs for a fixed account
 * and region; then, for each function's role (its inline and attached policies, with the key policy
 * for KMS calls) and for each exported managed policy, every call the code makes must be allowed
 * and every call in the denied list must be denied.
 *
 * Each token layout is an entry of LAYOUTS: how to synthesize it, its principals (functions and
 * exported policies by logical id prefix) and their Expectations. The Parameter Store layout's
 * table is in policy-expectations-parameter-store.ts. The resolver and the evaluation are shared.
 */
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { resolveStageConfig, STAGE_NAMES, type StageConfig } from '../../infra/config/stages.js';
import {
  PARAMETER_STORE_FUNCTION_IDS,
  PARAMETER_STORE_POLICY_IDS,
  parameterStoreLayout,
} from './policy-expectations-parameter-store.js';
import { type Json, logicalId, synth, synthStage } from './synth.js';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const PSEUDO: Record<string, string> = {
  'AWS::AccountId': ACCOUNT,
  'AWS::Region': REGION,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'policy-evaluation',
  'AWS::NoValue': '',
};

// ---- the template, resolved to concrete JSON ----

/** A stable, UUID-shaped id for a resource (KMS key ids). */
function uuidOf(id: string): string {
  const hex = [...id]
    .reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7)
    .toString(16)
    .padStart(8, '0');
  return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}

/** What `Ref` and `Fn::GetAtt` answer for the resources these policies name, plausibly. */
class Resolver {
  private readonly resources: Record<string, Json>;

  constructor(template: Template) {
    this.resources = template.toJSON().Resources;
  }

  resolve(node: Json): Json {
    if (Array.isArray(node)) return node.map((n) => this.resolve(n));
    if (node === null || typeof node !== 'object') return node;
    const keys = Object.keys(node);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const arg = node[key];
      if (key === 'Ref') return PSEUDO[arg] ?? this.ref(arg);
      if (key === 'Fn::GetAtt') return this.getAtt(arg[0], arg[1]);
      if (key === 'Fn::Join') return this.resolve(arg[1]).join(arg[0]);
      if (key === 'Fn::Select') return this.resolve(arg[1])[Number(arg[0])];
      if (key === 'Fn::Split') return this.resolve(arg[1]).split(arg[0]);
      if (key === 'Fn::Sub') return this.sub(arg);
      if (key.startsWith('Fn::')) throw new Error(`cannot resolve ${key}`);
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, this.resolve(v)]));
  }

  private resource(id: string): { type: string; props: Json } {
    const resource = this.resources[id];
    if (!resource) throw new Error(`no resource ${id}`);
    return { type: resource.Type, props: resource.Properties ?? {} };
  }

  private nameOf(id: string, property: string): string {
    const value = this.resource(id).props[property];
    return value === undefined ? id.toLowerCase() : String(this.resolve(value));
  }

  private ref(id: string): string {
    const { type } = this.resource(id);
    switch (type) {
      case 'AWS::KMS::Key':
        return uuidOf(id);
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${this.nameOf(id, 'Name')}-AbCdEf`;
      case 'AWS::SQS::Queue':
        return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${this.nameOf(id, 'QueueName')}`;
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${REGION}:${ACCOUNT}:${this.nameOf(id, 'TopicName')}`;
      case 'AWS::IAM::ManagedPolicy':
        return `arn:aws:iam::${ACCOUNT}:policy/${this.nameOf(id, 'ManagedPolicyName')}`;
      case 'AWS::DynamoDB::Table':
        return this.nameOf(id, 'TableName');
      case 'AWS::Lambda::Function':
        return this.nameOf(id, 'FunctionName');
      case 'AWS::IAM::Role':
        return this.nameOf(id, 'RoleName');
      default:
        return this.nameOf(id, 'Name');
    }
  }

  private getAtt(id: string, attribute: string): string {
    const { type } = this.resource(id);
    const at = `${REGION}:${ACCOUNT}`;
    if (attribute === 'StreamArn') return `${this.getAtt(id, 'Arn')}/stream/2026-01-01T00:00:00.000`;
    if (attribute !== 'Arn') return `${id}.${attribute}`;
    switch (type) {
      case 'AWS::KMS::Key':
        return `arn:aws:kms:${at}:key/${uuidOf(id)}`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${at}:${this.nameOf(id, 'QueueName')}`;
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${at}:table/${this.ref(id)}`;
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${at}:function:${this.ref(id)}`;
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${ACCOUNT}:role/${this.ref(id)}`;
      case 'AWS::Events::EventBus':
        return `arn:aws:events:${at}:event-bus/${this.ref(id)}`;
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${at}:log-group:${this.nameOf(id, 'LogGroupName')}:*`;
      default:
        return `arn:aws:${type.split('::')[1]?.toLowerCase()}:${at}:${id}`;
    }
  }

  private sub(arg: Json): string {
    const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
    return String(text).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (vars[name] !== undefined) return String(this.resolve(vars[name]));
      if (PSEUDO[name] !== undefined) return PSEUDO[name];
      const [id, attribute] = name.split('.');
      return attribute ? this.getAtt(id as string, attribute) : this.ref(id as string);
    });
  }
}

interface NamedPolicy {
  name: string;
  policy: Json;
}

/** Everything a role may do by identity: its inline policies, the policies naming it, and attached customer managed ones. */
function policiesOfRole(template: Template, resolver: Resolver, roleId: string): NamedPolicy[] {
  const resources = template.toJSON().Resources as Record<string, Json>;
  const policies: NamedPolicy[] = [];
  const role = resources[roleId];
  for (const inline of role.Properties.Policies ?? []) {
    policies.push({
      name: `${roleId}/${inline.PolicyName}`,
      policy: resolver.resolve(inline.PolicyDocument),
    });
  }
  for (const [id, resource] of Object.entries(resources)) {
    if (!['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(resource.Type)) continue;
    if (!(resource.Properties.Roles ?? []).some((r: Json) => r.Ref === roleId)) continue;
    policies.push({ name: id, policy: resolver.resolve(resource.Properties.PolicyDocument) });
  }
  for (const arn of role.Properties.ManagedPolicyArns ?? []) {
    // AWS managed policies cannot be resolved here; the stack attaches none (stack.test.ts checks it).
    const id = (arn as Json).Ref;
    if (!id) throw new Error(`${roleId} has a managed policy this test cannot evaluate`);
    policies.push({ name: id, policy: resolver.resolve(resources[id].Properties.PolicyDocument) });
  }
  return policies;
}

// ---- evaluation ----

interface Call {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  /** What the code does with it (allowed), or why it must not (denied). */
  why: string;
}

interface Expectations {
  allowed: Call[];
  denied: Call[];
}

interface Principal {
  name: string;
  arn: string;
  policies: NamedPolicy[];
}

/** KMS key ARN → its key policy (resolved), evaluated as the resource policy of KMS calls. */
type KeyPolicies = Map<string, Json>;

/**
 * The simulator's decision. runSimulation validates the policies, the action and the resource type
 * and drops context keys the action does not take; in 0.1.173 it also drops
 * `kms:EncryptionContext:<key>` (a variable key with a ':' separator it does not match), which
 * would make every SecretARN condition fail. For those calls the same, validated request is
 * evaluated again by its engine without that filtering.
 */
async function decide(principal: Principal, call: Call, keyPolicies: KeyPolicies): Promise<string> {
  const keyPolicy = keyPolicies.get(call.resource);
  const simulation: Simulation = {
    identityPolicies: principal.policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(keyPolicy ? { resourcePolicy: keyPolicy } : {}),
    request: {
      action: call.action,
      principal: principal.arn,
      resource: { resource: call.resource, accountId: ACCOUNT },
      contextVariables: call.context ?? {},
    },
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`${call.action}: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== 'single') throw new Error(`${call.action} on ${call.resource}: not one resource`);
  const ignored = result.result.ignoredContextKeys ?? [];
  if (ignored.length === 0) return result.overallResult;
  if (!ignored.every((key) => /^kms:EncryptionContext:/i.test(key))) {
    throw new Error(`${call.action}: context keys the action does not take: ${ignored.join(', ')}`);
  }
  return runUnsafeSimulation(
    {
      ...simulation,
      // The unsafe engine loads an unnamed resource policy only in its validated form.
      ...(keyPolicy
        ? {
            resourcePolicy: { __validated: true, policyDocument: keyPolicy, metadata: { name: 'KeyPolicy' } },
          }
        : {}),
    } as Simulation,
    {},
  );
}

// ---- the Secrets Manager layout (the default) ----

const secret = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;

/** What Secrets Manager sends to KMS on behalf of a caller, for one secret. */
const viaSecretsManager = (secretArn: string) => ({
  'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com`,
  'kms:CallerAccount': ACCOUNT,
  'kms:EncryptionContext:SecretARN': secretArn,
});

interface LayoutNames {
  keyArn: string;
  clientToken: string;
  webhookSecret: string;
}

/** Every principal's allowed and denied calls in the Secrets Manager layout. */
function secretsManagerLayout(config: StageConfig, names: LayoutNames): Record<string, Expectations> {
  const p = config.resourcePrefix;
  const connection = secret(`${p}/connections/con_0123456789abcdef01234567`);
  const integration = secret(`${p}/integrations/int_0123456789abcdef01234567`);
  const legacyIntegration = secret(`${p}/connections/int_0123456789abcdef01234567`);
  const { keyArn, clientToken, webhookSecret } = names;
  const sm = (action: string, resource: string, why: string): Call => ({
    action: `secretsmanager:${action}`,
    resource,
    why,
  });
  const kms = (action: string, secretArn: string, why: string): Call => ({
    action: `kms:${action}`,
    resource: keyArn,
    context: viaSecretsManager(secretArn),
    why,
  });
  const kmsDirect = (action: string, secretArn: string, why: string): Call => ({
    action: `kms:${action}`,
    resource: keyArn,
    context: { 'kms:CallerAccount': ACCOUNT, 'kms:EncryptionContext:SecretARN': secretArn },
    why,
  });
  const readsClientToken: Call[] = [
    sm('GetSecretValue', clientToken, 'reads the Mews client token at cold start'),
    kms('Decrypt', clientToken, 'decrypts it through Secrets Manager'),
  ];
  const noTokenAtAll: Call[] = [
    sm('GetSecretValue', connection, 'reads no connection token'),
    sm('GetSecretValue', integration, 'reads no integration token'),
    sm('GetSecretValue', clientToken, 'needs no client token'),
    kms('Decrypt', connection, 'decrypts no token'),
  ];
  const noIntegrationToken: Call[] = [
    sm('GetSecretValue', integration, 'reads no integration access token'),
    sm('CreateSecret', integration, 'stores no integration access token'),
    sm('GetSecretValue', legacyIntegration, 'reads no access token left under the connection prefix'),
    sm('DeleteSecret', legacyIntegration, 'deletes no access token left under the connection prefix'),
    kms('Decrypt', integration, 'decrypts no integration access token'),
    kms('GenerateDataKey', integration, 'encrypts no integration access token'),
    sm('GetSecretValue', webhookSecret, 'needs no integration webhook secret'),
  ];
  return {
    'poll-account': {
      allowed: [
        sm('CreateSecret', connection, 'stores a new connection token'),
        sm('TagResource', connection, 'tags it with its connection id'),
        sm('RestoreSecret', connection, 'restores one within the recovery window'),
        sm('PutSecretValue', connection, 'gives a restored secret the token'),
        sm('DeleteSecret', connection, 'schedules a removed connection’s secret for deletion'),
        kms('GenerateDataKey', connection, 'encrypts it through Secrets Manager'),
        kms('Decrypt', connection, 'Secrets Manager decrypts to re-encrypt a new version'),
        ...readsClientToken,
      ],
      denied: [
        sm('GetSecretValue', connection, 'never reads a connection token'),
        sm('DescribeSecret', connection, 'needs no secret metadata (the ref is the name it derives)'),
        kmsDirect('Decrypt', connection, 'uses the key only through Secrets Manager'),
        ...noIntegrationToken,
      ],
    },
    'sync-connection': {
      allowed: [
        sm('GetSecretValue', connection, 'reads the connection token for getConfiguration'),
        sm('DescribeSecret', connection, 'describes it'),
        kms('Decrypt', connection, 'decrypts it through Secrets Manager'),
        ...readsClientToken,
      ],
      denied: [
        sm('CreateSecret', connection, 'creates no connection secret'),
        sm('PutSecretValue', connection, 'changes no connection token'),
        sm('DeleteSecret', connection, 'deletes no connection secret'),
        kms('GenerateDataKey', connection, 'encrypts nothing'),
        kmsDirect('Decrypt', connection, 'uses the key only through Secrets Manager'),
        ...noIntegrationToken,
      ],
    },
    webhook: {
      allowed: [
        sm('CreateSecret', integration, 'stores a new integration’s access token'),
        sm('TagResource', integration, 'tags it with its integration id'),
        sm('GetSecretValue', integration, 'compares a regenerated key with the stored one'),
        sm('PutSecretValue', integration, 'stores a regenerated key'),
        sm('RestoreSecret', integration, 'restores one scheduled for deletion'),
        sm('DeleteSecret', integration, 'schedules a deleted integration’s token for deletion'),
        kms('GenerateDataKey', integration, 'encrypts it through Secrets Manager'),
        kms('Decrypt', integration, 'decrypts it through Secrets Manager'),
        ...readsClientToken,
        sm('GetSecretValue', webhookSecret, 'reads the secret of the integration webhook URL'),
        kms('Decrypt', webhookSecret, 'decrypts it through Secrets Manager'),
      ],
      denied: [
        sm('CreateSecret', connection, 'the webhook cannot create a connection secret'),
        sm('GetSecretValue', connection, 'reads no connection token'),
        sm('PutSecretValue', connection, 'changes no connection token'),
        sm('DeleteSecret', connection, 'deletes no connection secret'),
        sm('GetSecretValue', legacyIntegration, 'the migration (CLI), not the webhook, reads the old names'),
        sm('DeleteSecret', legacyIntegration, 'the migration (CLI), not the webhook, deletes the old names'),
        kms('GenerateDataKey', connection, 'encrypts no connection token'),
        kms('Decrypt', connection, 'decrypts no connection token'),
        kmsDirect('Decrypt', integration, 'uses the key only through Secrets Manager'),
      ],
    },
    'schedule-polls': { allowed: [], denied: noTokenAtAll },
    'relay-outbox': { allowed: [], denied: noTokenAtAll },
    'consumer policy (connection tokens)': {
      allowed: [
        sm('GetSecretValue', connection, 'a subscriber reads the token at secretRef'),
        sm('DescribeSecret', connection, 'describes it'),
        kms('Decrypt', connection, 'decrypts it through Secrets Manager'),
      ],
      denied: [
        sm('GetSecretValue', integration, 'the consumer policy cannot read an integration access token'),
        sm('GetSecretValue', legacyIntegration, 'nor one still under the connection prefix'),
        kms('Decrypt', integration, 'nor decrypt one'),
        kms('Decrypt', legacyIntegration, 'nor decrypt one under the old name'),
        sm('GetSecretValue', clientToken, 'nor the Mews client token'),
        sm('GetSecretValue', webhookSecret, 'nor the integration webhook secret'),
        sm('PutSecretValue', connection, 'changes no connection token'),
        sm('CreateSecret', connection, 'creates no secret'),
        kmsDirect('Decrypt', connection, 'uses the key only through Secrets Manager'),
      ],
    },
    'integration consumer policy': {
      allowed: [
        sm('GetSecretValue', integration, 'a subscriber reads the access token at secretRef'),
        sm('DescribeSecret', integration, 'describes it'),
        kms('Decrypt', integration, 'decrypts it through Secrets Manager'),
        sm('GetSecretValue', legacyIntegration, 'until the migration has run, at its old name'),
        kms('Decrypt', legacyIntegration, 'and decrypts it there'),
      ],
      denied: [
        sm('GetSecretValue', connection, 'reads no connection token'),
        kms('Decrypt', connection, 'decrypts no connection token'),
        sm('GetSecretValue', clientToken, 'nor the Mews client token'),
        sm('PutSecretValue', integration, 'changes no access token'),
        sm('DeleteSecret', integration, 'deletes no access token'),
        kmsDirect('Decrypt', integration, 'uses the key only through Secrets Manager'),
      ],
    },
  };
}

// ---- the principals of a synthesized stack ----

/** Logical id prefixes of the functions (Functions construct ids). */
const FUNCTION_IDS: Record<string, string> = {
  'schedule-polls': 'FunctionsSchedulePolls',
  'poll-account': 'FunctionsPollAccount',
  'sync-connection': 'FunctionsSyncConnection',
  'relay-outbox': 'FunctionsRelayOutbox',
  webhook: 'FunctionsWebhook',
};

const MANAGED_POLICY_IDS: Record<string, string> = {
  'consumer policy (connection tokens)': 'SecretsConsumerPolicy',
  'integration consumer policy': 'SecretsIntegrationConsumerPolicy',
};

function principalsOf(
  template: Template,
  functionIds: Record<string, string> = FUNCTION_IDS,
  policyIds: Record<string, string> = MANAGED_POLICY_IDS,
): Map<string, Principal> {
  const resolver = new Resolver(template);
  const principals = new Map<string, Principal>();
  const functions = template.findResources('AWS::Lambda::Function');
  for (const [name, prefix] of Object.entries(functionIds)) {
    const [, fn] = Object.entries(functions).find(([id]) => id.startsWith(prefix)) ?? [];
    if (!fn) throw new Error(`no function ${prefix}*`);
    const roleId: string = fn.Properties.Role['Fn::GetAtt'][0];
    principals.set(name, {
      name,
      arn: resolver.resolve({ 'Fn::GetAtt': [roleId, 'Arn'] }),
      policies: policiesOfRole(template, resolver, roleId),
    });
  }
  for (const [name, prefix] of Object.entries(policyIds)) {
    const id = logicalId(template, 'AWS::IAM::ManagedPolicy', prefix);
    const document = template.toJSON().Resources[id].Properties.PolicyDocument;
    principals.set(name, {
      name,
      arn: `arn:aws:iam::${ACCOUNT}:role/downstream-consumer`,
      policies: [{ name: id, policy: resolver.resolve(document) }],
    });
  }
  return principals;
}

function keyPoliciesOf(template: Template): KeyPolicies {
  const resolver = new Resolver(template);
  const keys = template.findResources('AWS::KMS::Key');
  return new Map(
    Object.entries(keys).map(([id, key]) => [
      resolver.resolve({ 'Fn::GetAtt': [id, 'Arn'] }),
      resolver.resolve(key.Properties.KeyPolicy),
    ]),
  );
}

function layoutNames(template: Template): LayoutNames {
  const resolver = new Resolver(template);
  const secretRef = (prefix: string) =>
    resolver.resolve({ Ref: logicalId(template, 'AWS::SecretsManager::Secret', prefix) });
  return {
    keyArn: resolver.resolve({ 'Fn::GetAtt': [logicalId(template, 'AWS::KMS::Key', 'SecretsKey'), 'Arn'] }),
    clientToken: secretRef('SecretsClientToken'),
    webhookSecret: secretRef('SecretsIntegrationWebhookSecret'),
  };
}

/** A token layout: how to synthesize it and what each principal may and may not do in it. */
interface Layout {
  name: string;
  synth: (stage: string) => Template;
  /** The principals evaluated: function name -> logical id prefix; exported policy -> its logical id prefix. */
  functions: Record<string, string>;
  policies: Record<string, string>;
  expectations: (config: StageConfig, template: Template) => Record<string, Expectations>;
}

const LAYOUTS: Layout[] = [
  {
    name: 'Secrets Manager',
    synth: (stage) => synthStage(stage).template,
    functions: FUNCTION_IDS,
    policies: MANAGED_POLICY_IDS,
    expectations: (config, template) => secretsManagerLayout(config, layoutNames(template)),
  },
  {
    name: 'Parameter Store',
    synth: (stage) => synth({ stage, tokenStore: 'parameter-store' }).template,
    functions: PARAMETER_STORE_FUNCTION_IDS,
    policies: PARAMETER_STORE_POLICY_IDS,
    expectations: (config, template) =>
      parameterStoreLayout({
        ...layoutNames(template),
        account: ACCOUNT,
        region: REGION,
        resourcePrefix: config.resourcePrefix,
      }),
  },
];

describe.each(LAYOUTS)('least privilege, evaluated: $name layout', (layout) => {
  describe.each(STAGE_NAMES)('stage %s', (stage) => {
    const template = layout.synth(stage);
    const principals = principalsOf(template, layout.functions, layout.policies);
    const keys = keyPoliciesOf(template);
    const table = layout.expectations(resolveStageConfig(stage), template);

    it('evaluates every function and every exported policy', () => {
      expect(Object.keys(table).sort()).toEqual(
        [...Object.keys(layout.functions), ...Object.keys(layout.policies)].sort(),
      );
    });

    for (const [name, expectations] of Object.entries(table)) {
      describe(name, () => {
        const principal = principals.get(name) as Principal;
        const label = (c: Call) => {
          const on = c.resource.replace(/^arn:aws:[^:]+:[^:]*:\d*:/, '');
          const secretArn =
            c.context?.['kms:EncryptionContext:SecretARN'] ??
            c.context?.['kms:EncryptionContext:PARAMETER_ARN'];
          const service = String(c.context?.['kms:ViaService'] ?? '').startsWith('ssm.')
            ? 'Parameter Store'
            : 'Secrets Manager';
          const via = c.context?.['kms:ViaService'] ? `via ${service}` : 'directly';
          const forSecret = secretArn
            ? ` for ${String(secretArn).replace(/^.*:secret:|^.*:parameter/, '')} ${via}`
            : '';
          return `${c.action} on ${on}${forSecret} (${c.why})`;
        };
        it.each(expectations.allowed.map((c) => [label(c), c] as const))('allows %s', async (_, call) => {
          expect(await decide(principal, call, keys)).toBe('Allowed');
        });
        it.each(expectations.denied.map((c) => [label(c), c] as const))('denies %s', async (_, call) => {
          expect(await decide(principal, call, keys)).not.toBe('Allowed');
        });
      });
    }
  });
});
