/**
 * Template details CloudFormation or the services would trip over at deploy time, which synth and
 * cdk-nag do not catch.
 */
import { describe, expect, it } from 'vitest';
import { resolveStageConfig, STAGE_NAMES } from '../../infra/config/stages.js';
import { type Json, logicalId, synthStage } from './synth.js';

describe.each(STAGE_NAMES)('template details (stage %s)', (stage) => {
  const { template } = synthStage(stage);
  const config = resolveStageConfig(stage);

  it('has no empty KmsKeyIdentifier on the event archive (aws-cdk-lib writes "" without a key)', () => {
    const archives = Object.values(template.findResources('AWS::Events::Archive'));
    expect(archives).toHaveLength(1);
    expect(archives[0]?.Properties).not.toHaveProperty('KmsKeyIdentifier');
    // Nor an empty key id anywhere else.
    const emptyKeys = JSON.stringify(template.toJSON()).match(/"Kms[A-Za-z]*":""/g);
    expect(emptyKeys).toBeNull();
  });

  it('creates both schedules after their schedule group', () => {
    const group = logicalId(template, 'AWS::Scheduler::ScheduleGroup', 'SchedulesGroup');
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    expect(schedules).toHaveLength(2);
    for (const schedule of schedules as Json[]) {
      expect(schedule.Properties.GroupName).toBe(config.resourcePrefix);
      expect(schedule.DependsOn).toContain(group);
    }
  });

  it('deletes the named resources that hold nothing with the stack, so a destroyed stage can be deployed again', () => {
    for (const type of [
      'AWS::Scheduler::ScheduleGroup',
      'AWS::EventSchemas::Registry',
      'AWS::EventSchemas::Schema',
    ]) {
      const resources = Object.values(template.findResources(type));
      expect(resources.length, type).toBeGreaterThan(0);
      for (const resource of resources) expect(resource.DeletionPolicy, type).toBe('Delete');
    }
  });

  it(`${config.removalPolicy === 'retain' ? 'keeps' : 'deletes'} the named resources with data (bus, archive, secrets): \`provisioner cleanup\` removes what a destroy keeps`, () => {
    const named: [string, string, string][] = [
      ['AWS::Events::EventBus', 'Name', config.resourcePrefix],
      ['AWS::Events::Archive', 'ArchiveName', `${config.resourcePrefix}-all`],
      ['AWS::SecretsManager::Secret', 'Name', `${config.resourcePrefix}/mews-client-token`],
      ['AWS::SecretsManager::Secret', 'Name', `${config.resourcePrefix}/integration-webhook-secret`],
    ];
    for (const [type, property, name] of named) {
      const [resource] = Object.values(template.findResources(type, { Properties: { [property]: name } }));
      expect(resource, `${type} ${name}`).toBeDefined();
      expect(resource?.DeletionPolicy).toBe(config.removalPolicy === 'retain' ? 'Retain' : 'Delete');
    }
  });

  it("lets CloudWatch use the alarm topic's key as AWS's guide for encrypted topics shows, with no condition the call may lack", () => {
    const key = template.findResources('AWS::KMS::Key')[
      logicalId(template, 'AWS::KMS::Key', 'AlarmsKey')
    ] as Json;
    const statements: Json[] = key.Properties.KeyPolicy.Statement;
    const forCloudWatch = statements.filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(forCloudWatch).toEqual([
      {
        Sid: 'CloudWatchAlarmsPublishToTopic',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      },
    ]);
  });
});
