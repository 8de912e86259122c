import { describe, expect, it } from 'vitest';
import {
  resolveStageConfig,
  STAGE_NAMES,
  STAGES,
  stageConfigFromContext,
} from '../../infra/config/stages.js';
import { synth } from './synth.js';

describe('stage configuration', () => {
  it.each(STAGE_NAMES)('%s resolves with its defaults', (stage) => {
    const config = resolveStageConfig(stage);
    expect(config.stage).toBe(stage);
    expect(config.mewsPlatformAddress).toBe(STAGES[stage].mewsPlatformAddress);
  });

  it('points demo at the Mews demo platform and production at the production one', () => {
    expect(resolveStageConfig('demo')).toMatchObject({
      mewsEnvironment: 'demo',
      mewsPlatformAddress: 'https://api.mews-demo.com',
      removalPolicy: 'destroy',
    });
    expect(resolveStageConfig('production')).toMatchObject({
      mewsEnvironment: 'production',
      mewsPlatformAddress: 'https://api.mews.com',
      removalPolicy: 'retain',
    });
  });

  it('rejects an unknown stage, naming the allowed ones', () => {
    expect(() => resolveStageConfig('prod')).toThrow(
      /Unknown stage: got "prod"\. Allowed stages: demo, production/,
    );
    expect(() => resolveStageConfig(undefined)).toThrow(
      /no stage was given\. Allowed stages: demo, production/,
    );
  });

  it('rejects an unknown stage given as context when synthesizing', () => {
    expect(() => synth({ stage: 'staging' })).toThrow(/Allowed stages: demo, production/);
  });

  it('applies context overrides, coercing the strings the CLI passes', () => {
    const context: Record<string, unknown> = {
      stage: 'demo',
      alarmEmail: 'ops@example.com',
      pollRateMinutes: '10',
      pollSilenceAlarmMinutes: '40',
      reserveMewsConcurrency: 'true',
      eventSource: 'com.acme.mews',
    };
    const config = stageConfigFromContext((key) => context[key]);
    expect(config).toMatchObject({
      alarmEmail: 'ops@example.com',
      pollRateMinutes: 10,
      pollSilenceAlarmMinutes: 40,
      reserveMewsConcurrency: true,
      eventSource: 'com.acme.mews',
    });
  });

  it('treats an empty optional override as unset', () => {
    expect(resolveStageConfig('demo', { alarmEmail: '' }).alarmEmail).toBeUndefined();
  });

  it('names every bad key and what it accepts', () => {
    const attempt = () =>
      resolveStageConfig('demo', {
        removalPolicy: 'keep',
        pollRateMinutes: 'often',
        logRetentionDays: 8,
        alarmEmail: 'not-an-email',
        mewsPlatformAddress: 'http://api.mews-demo.com',
        eventSource: 'aws.mews',
      });
    expect(attempt).toThrow(/Invalid configuration for stage "demo"/);
    expect(attempt).toThrow(/removalPolicy: must be one of destroy, retain \(got "keep"\)/);
    expect(attempt).toThrow(/pollRateMinutes: must be a whole number from 1 to 1440 \(got "often"\)/);
    expect(attempt).toThrow(/logRetentionDays: must be one of 1, 3, 5, 7, 14, 30/);
    expect(attempt).toThrow(/alarmEmail: must be an email address/);
    expect(attempt).toThrow(/mewsPlatformAddress: must be an https URL/);
    expect(attempt).toThrow(/eventSource: must not start with "aws\."/);
  });

  it('checks values against each other', () => {
    expect(() => resolveStageConfig('demo', { pollRateMinutes: 60, pollSilenceAlarmMinutes: 30 })).toThrow(
      /pollSilenceAlarmMinutes: must be at least pollRateMinutes \(60\)/,
    );
    expect(() =>
      resolveStageConfig('demo', {
        clientTokenSecretKmsKeyArn:
          'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      }),
    ).toThrow(/clientTokenSecretKmsKeyArn: only applies together with clientTokenSecretArn/);
  });

  it('rejects a silence alarm CloudWatch would refuse (period × evaluation periods over one day), saying what to set', () => {
    // 7-minute periods: 206 of them cover 1,440 minutes, 1,442 minutes in all.
    const attempt = () => resolveStageConfig('demo', { pollRateMinutes: 7, pollSilenceAlarmMinutes: 1440 });
    expect(attempt).toThrow(
      /pollSilenceAlarmMinutes: with pollRateMinutes 7 the silence alarm needs 206 periods of 7 minutes \(1442 minutes\), over CloudWatch's limit of 1440 minutes for period × evaluation periods: set pollSilenceAlarmMinutes to at most 1435, or choose a pollRateMinutes that divides 1440 \(got 1440\)/,
    );
    // The largest silence it suggests, and rates that divide a day, pass; an hour or more per period may span a week.
    expect(
      resolveStageConfig('demo', { pollRateMinutes: 7, pollSilenceAlarmMinutes: 1435 }).pollRateMinutes,
    ).toBe(7);
    expect(
      resolveStageConfig('demo', { pollRateMinutes: 5, pollSilenceAlarmMinutes: 1440 }).pollRateMinutes,
    ).toBe(5);
    expect(
      resolveStageConfig('demo', {
        pollRateMinutes: 70,
        pollSilenceAlarmMinutes: 1440,
        configurationRefreshMinutes: 1440,
      }).pollRateMinutes,
    ).toBe(70);
  });

  it.each([
    [7, 1435],
    [70, 1440],
  ])(
    "synthesizes a silence alarm within CloudWatch's limit (poll every %i minutes, silence %i)",
    (rate, silence) => {
      const { template } = synth({
        stage: 'demo',
        pollRateMinutes: rate,
        pollSilenceAlarmMinutes: silence,
        configurationRefreshMinutes: 1440,
      });
      const [alarm] = Object.values(
        template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'PollSucceeded' } }),
      );
      const { Period, EvaluationPeriods } = alarm?.Properties ?? {};
      expect(Period).toBe(rate * 60);
      expect(Period * EvaluationPeriods).toBeGreaterThanOrEqual(silence * 60);
      expect(Period * EvaluationPeriods).toBeLessThanOrEqual(Period < 3600 ? 86_400 : 604_800);
    },
  );

  it('validates an existing client token secret ARN', () => {
    expect(() => resolveStageConfig('demo', { clientTokenSecretArn: 'mews-token' })).toThrow(
      /clientTokenSecretArn: must be a Secrets Manager secret ARN/,
    );
  });
});
