import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { resolveStageConfig, STAGE_NAMES } from '../../infra/config/stages.js';
import { deletedPathFor } from '../../shared/adapters/aws/ssm-parameter-token-vault.js';
import { OUTPUT_KEYS } from '../../shared/config/stack-outputs.js';
import {
  actionsOf,
  allStatements,
  identityPolicies,
  type Json,
  logicalId,
  resourcesOf,
  type Statement,
  statementsOfFunction,
  synth,
  synthStage,
} from './synth.js';

/** `cdk synth -c stage=<stage> -c tokenStore=parameter-store`: tokens as SecureString parameters. */
const FUNCTIONS = {
  schedulePolls: 'FunctionsSchedulePollsFunction',
  pollAccount: 'FunctionsPollAccountFunction',
  syncConnection: 'FunctionsSyncConnectionFunction',
  relayOutbox: 'FunctionsRelayOutboxFunction',
  webhook: 'FunctionsWebhookFunction',
} as const;

/** Creating (tagged), reading and deleting a live token; copying it to and from the deleted path. */
const WRITE_LIVE = ['ssm:AddTagsToResource', 'ssm:DeleteParameter', 'ssm:GetParameter', 'ssm:PutParameter'];
const WRITE_DELETED = ['ssm:GetParameter', 'ssm:PutParameter'];

const text = (value: Json) => JSON.stringify(value);
const ssmStatements = (statements: Statement[]) =>
  statements.filter((s) => actionsOf(s).some((a) => a.startsWith('ssm:')));
const keyStatements = (statements: Statement[], keyId: string) =>
  statements.filter((s) => text(s.Resource) === text({ 'Fn::GetAtt': [keyId, 'Arn'] }));
const parameterArn = (path: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ssm:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:parameter/${path}*`,
    ],
  ],
});

describe('stage setting tokenStore', () => {
  it('defaults to secrets-manager with Intelligent-Tiering parameters, in every stage', () => {
    for (const stage of STAGE_NAMES) {
      expect(resolveStageConfig(stage)).toMatchObject({
        tokenStore: 'secrets-manager',
        parameterTier: 'Intelligent-Tiering',
      });
    }
  });

  it('takes parameter-store and a tier as context', () => {
    expect(
      resolveStageConfig('demo', { tokenStore: 'parameter-store', parameterTier: 'Standard' }),
    ).toMatchObject({ tokenStore: 'parameter-store', parameterTier: 'Standard' });
  });

  it('rejects an unknown store or tier, naming the value and the allowed ones', () => {
    expect(() => resolveStageConfig('demo', { tokenStore: 'ssm' })).toThrow(
      'tokenStore: must be one of secrets-manager, parameter-store (got "ssm")',
    );
    expect(() => resolveStageConfig('demo', { parameterTier: 'intelligent' })).toThrow(
      'parameterTier: must be one of Intelligent-Tiering, Standard, Advanced (got "intelligent")',
    );
    expect(() => synth({ stage: 'demo', tokenStore: 'vault' })).toThrow(/tokenStore: must be one of/);
  });
});

describe('default layout (secrets-manager)', () => {
  it('has no Parameter Store grant, output, environment or sweep', () => {
    const { template } = synthStage('demo');
    expect(text(template.findResources('AWS::Lambda::Function'))).not.toContain('sweep-tokens');
    template.resourcePropertiesCountIs('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 day)' }, 0);
    expect(
      allStatements(template)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('ssm:')),
    ).toEqual([]);
    expect(template.findOutputs(OUTPUT_KEYS.tokenStore)).toEqual({});
    expect(text(template.findResources('AWS::Lambda::Function'))).not.toMatch(/TOKEN_STORE|PARAMETER_PATH/);
  });
});

describe.each(STAGE_NAMES)('parameter-store layout, stage %s', (stage) => {
  const config = resolveStageConfig(stage);
  const prefix = config.resourcePrefix;
  const connections = `${prefix}/connections/`;
  const integrations = `${prefix}/integrations/`;
  const deleted = `${prefix}/deleted/`;
  const { app, stack, template } = synth({ stage, tokenStore: 'parameter-store' });
  const keyId = logicalId(template, 'AWS::KMS::Key', 'SecretsKey');
  const of = (fn: keyof typeof FUNCTIONS) => statementsOfFunction(template, FUNCTIONS[fn]);

  it('uses the paths the vault adapter derives (the deleted path beside the live ones)', () => {
    const tokens = stack.parameterStoreTokens;
    expect(tokens?.connectionPath).toBe(`/${connections}`);
    expect(tokens?.deletedPath).toBe(deletedPathFor(`/${connections}`));
  });

  it('is cdk-nag clean', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.length}`)).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('tells the token functions where the parameters are, and nobody else', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const envOf = (prefixId: string) =>
      Object.entries(functions).find(([id]) => id.startsWith(prefixId))?.[1].Properties.Environment
        .Variables as Record<string, Json>;
    for (const fn of ['pollAccount', 'syncConnection', 'webhook'] as const) {
      expect(envOf(FUNCTIONS[fn])).toMatchObject({
        TOKEN_STORE: 'parameter-store',
        CONNECTION_PARAMETER_PATH: `/${connections}`,
        INTEGRATION_PARAMETER_PATH: `/${integrations}`,
        TOKEN_PARAMETER_TIER: 'Intelligent-Tiering',
        CONNECTION_SECRETS_KMS_KEY_ARN: { 'Fn::GetAtt': [keyId, 'Arn'] },
      });
    }
    for (const fn of ['schedulePolls', 'relayOutbox'] as const) {
      expect(envOf(FUNCTIONS[fn])).not.toHaveProperty('TOKEN_STORE');
    }
  });

  it('grants no function any Secrets Manager access to connection or integration tokens', () => {
    for (const fn of Object.keys(FUNCTIONS) as (keyof typeof FUNCTIONS)[]) {
      const secretResources = of(fn)
        .filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')))
        .flatMap(resourcesOf);
      expect(text(secretResources), fn).not.toContain('/connections/');
      expect(text(secretResources), fn).not.toContain('/integrations/');
    }
  });

  it('poll-account creates, reads and moves connection parameters only (live and scheduled for deletion)', () => {
    expect(ssmStatements(of('pollAccount'))).toEqual([
      expect.objectContaining({ Action: WRITE_LIVE, Resource: parameterArn(connections) }),
      expect.objectContaining({ Action: WRITE_DELETED, Resource: parameterArn(`${deleted}connections/`) }),
    ]);
  });

  it('sync-connection only reads connection parameters', () => {
    expect(ssmStatements(of('syncConnection'))).toEqual([
      expect.objectContaining({ Action: 'ssm:GetParameter', Resource: parameterArn(connections) }),
    ]);
  });

  it('the webhook touches integration parameters only', () => {
    expect(ssmStatements(of('webhook'))).toEqual([
      expect.objectContaining({ Action: WRITE_LIVE, Resource: parameterArn(integrations) }),
      expect.objectContaining({ Action: WRITE_DELETED, Resource: parameterArn(`${deleted}integrations/`) }),
    ]);
    expect(text(of('webhook'))).not.toContain('connections/');
  });

  it('schedule-polls and relay-outbox touch no parameter and not the token key', () => {
    for (const fn of ['schedulePolls', 'relayOutbox'] as const) {
      expect(ssmStatements(of(fn)), fn).toEqual([]);
      expect(keyStatements(of(fn), keyId), fn).toEqual([]);
    }
  });

  it('uses the token key only through Parameter Store, for parameters of the granted path', () => {
    const write = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'];
    const expected: [keyof typeof FUNCTIONS, Json, string[]][] = [
      ['pollAccount', [parameterArn(connections), parameterArn(`${deleted}connections/`)], write],
      ['syncConnection', parameterArn(connections), ['kms:Decrypt']],
      ['webhook', [parameterArn(integrations), parameterArn(`${deleted}integrations/`)], write],
    ];
    for (const [fn, patterns, actions] of expected) {
      const viaSsm = keyStatements(of(fn), keyId).filter((s) => text(s.Condition).includes('ssm.'));
      expect(viaSsm, fn).toEqual([
        expect.objectContaining({
          Action: actions.length === 1 ? actions[0] : actions,
          Condition: {
            StringEquals: {
              'kms:ViaService': {
                'Fn::Join': ['', ['ssm.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]],
              },
            },
            StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': patterns },
          },
        }),
      ]);
    }
  });

  it('no identity policy grants an ssm action outside the token paths', () => {
    for (const [id, statements] of identityPolicies(template)) {
      for (const statement of ssmStatements(statements)) {
        const resources = text(resourcesOf(statement));
        if (actionsOf(statement).includes('ssm:DescribeParameters')) {
          expect(actionsOf(statement), id).toEqual(['ssm:DescribeParameters']);
          continue;
        }
        const allowed = [
          connections,
          integrations,
          `${deleted}connections/`,
          `${deleted}integrations/`,
          deleted,
        ];
        expect(
          resourcesOf(statement).every((r) => allowed.some((path) => text(r) === text(parameterArn(path)))),
          `${id}: ${resources}`,
        ).toBe(true);
      }
    }
  });

  it('runs the token sweep daily in the stack schedule group, with both failure paths', () => {
    const sweepId = logicalId(template, 'AWS::Lambda::Function', 'TokenSweepSweepTokensFunction');
    const schedules = template.findResources('AWS::Scheduler::Schedule');
    const [id, schedule] =
      Object.entries(schedules).find(([, s]) => text(s.Properties.Target.Arn).includes(sweepId)) ?? [];
    expect(schedule?.Properties).toMatchObject({
      ScheduleExpression: 'rate(1 day)',
      GroupName: prefix,
      Target: {
        Input: JSON.stringify({ kind: 'sweep-tokens' }),
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: {
          Arn: { 'Fn::GetAtt': [logicalId(template, 'AWS::SQS::Queue', 'SchedulesDeadLetters'), 'Arn'] },
        },
      },
    });
    expect(schedule?.DependsOn).toContain(
      logicalId(template, 'AWS::Scheduler::ScheduleGroup', 'SchedulesGroup'),
    );
    expect(id).toBeDefined();
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: sweepId },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: {
        OnFailure: {
          Destination: {
            'Fn::GetAtt': [logicalId(template, 'AWS::SQS::Queue', 'SchedulesFailedRuns'), 'Arn'],
          },
        },
      },
    });
    // The scheduler role may invoke it, and only the function itself.
    const invoke = allStatements(template).filter(
      (s) => actionsOf(s).includes('lambda:InvokeFunction') && text(s.Resource).includes(sweepId),
    );
    const resources = invoke.flatMap(resourcesOf).filter((r) => text(r).includes(sweepId));
    expect(resources).toEqual([{ 'Fn::GetAtt': [sweepId, 'Arn'] }]);
  });

  it('alarms on the sweep failing', () => {
    const sweepId = logicalId(template, 'AWS::Lambda::Function', 'TokenSweepSweepTokensFunction');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: sweepId } }],
    });
  });

  it('the sweep lists parameters and deletes under the deleted path only, decrypting nothing', () => {
    const statements = statementsOfFunction(template, 'TokenSweepSweepTokensFunction');
    expect(ssmStatements(statements)).toEqual([
      expect.objectContaining({ Action: 'ssm:DeleteParameters', Resource: parameterArn(deleted) }),
      // Whether a moved token is live again (without decryption: no key grant, so no token is readable).
      expect.objectContaining({
        Action: 'ssm:GetParameter',
        Resource: [parameterArn(connections), parameterArn(integrations)],
      }),
      expect.objectContaining({ Action: 'ssm:DescribeParameters', Resource: '*' }),
    ]);
    expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('kms:'))).toEqual([]);
    expect(text(statements)).not.toContain('secretsmanager:');
  });

  it('exports a consumer policy for connection parameters and one for integration parameters', () => {
    const outputs = template.findOutputs('*');
    const policies = template.findResources('AWS::IAM::ManagedPolicy');
    const policyOf = (outputKey: string) => {
      const ref = outputs[outputKey]?.Value?.Ref as string;
      return policies[ref]?.Properties as Json;
    };
    const connectionPolicy = policyOf(OUTPUT_KEYS.consumerPolicyArn);
    const integrationPolicy = policyOf(OUTPUT_KEYS.integrationConsumerPolicyArn);
    expect(connectionPolicy.ManagedPolicyName).toBe(`${prefix}-connection-parameters-read`);
    expect(integrationPolicy.ManagedPolicyName).toBe(`${prefix}-integration-parameters-read`);
    for (const [policy, path] of [
      [connectionPolicy, connections],
      [integrationPolicy, integrations],
    ] as const) {
      expect(policy.PolicyDocument.Statement).toEqual([
        expect.objectContaining({ Action: 'ssm:GetParameter', Resource: parameterArn(path) }),
        expect.objectContaining({
          Action: 'kms:Decrypt',
          Condition: expect.objectContaining({
            StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': parameterArn(path) },
          }),
        }),
      ]);
    }
    expect(outputs[OUTPUT_KEYS.tokenStore]?.Value).toBe('parameter-store');
    expect(outputs[OUTPUT_KEYS.connectionParameterPath]?.Value).toBe(`/${connections}`);
    expect(outputs[OUTPUT_KEYS.integrationParameterPath]?.Value).toBe(`/${integrations}`);
    for (const key of [
      OUTPUT_KEYS.consumerPolicyArn,
      OUTPUT_KEYS.integrationConsumerPolicyArn,
      OUTPUT_KEYS.connectionParameterPath,
      OUTPUT_KEYS.integrationParameterPath,
    ]) {
      expect(outputs[key]?.Export, key).toEqual({ Name: `${prefix}-${key}` });
    }
  });
});

describe('parameterHighThroughput', () => {
  it('defaults to false, leaving the account setting alone', () => {
    expect(resolveStageConfig('production').parameterHighThroughput).toBe(false);
    const { template } = synth({ stage: 'demo', tokenStore: 'parameter-store' });
    template.resourceCountIs('Custom::AWS', 0);
    expect(() => resolveStageConfig('demo', { parameterHighThroughput: 'maybe' })).toThrow(
      'parameterHighThroughput: must be true or false (got "maybe")',
    );
    expect(() => resolveStageConfig('demo', { parameterHighThroughput: 'true' })).toThrow(
      'parameterHighThroughput: only applies together with tokenStore parameter-store (got "true")',
    );
  });

  it('turns on higher throughput on deployment, never off, with only that permission; cdk-nag clean', () => {
    const { app, template } = synth({
      stage: 'production',
      tokenStore: 'parameter-store',
      parameterHighThroughput: 'true',
    });
    const setting = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ssm:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':servicesetting/ssm/parameter-store/high-throughput-enabled',
        ],
      ],
    };
    const [resource] = Object.values(template.findResources('Custom::AWS')) as Json[];
    const create = text(resource.Properties.Create);
    expect(create).toContain('updateServiceSetting');
    expect(create).toContain('high-throughput-enabled');
    expect(create).toContain('SettingValue\\":\\"true');
    expect(resource.Properties.Update).toEqual(resource.Properties.Create);
    expect(resource.Properties.Delete).toBeUndefined();
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: Json) =>
      text(p).includes('UpdateServiceSetting'),
    ) as Json[];
    expect(policies.flatMap((p) => p.Properties.PolicyDocument.Statement)).toEqual([
      { Action: 'ssm:UpdateServiceSetting', Effect: 'Allow', Resource: setting },
    ]);
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });
});

describe('parameterTier reaches the functions', () => {
  it('passes the stage tier to the adapter', () => {
    const { template } = synth({ stage: 'demo', tokenStore: 'parameter-store', parameterTier: 'Advanced' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TOKEN_PARAMETER_TIER: 'Advanced' }) },
    });
  });
});
