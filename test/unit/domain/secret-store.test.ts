import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { secretStoreOf } from '../../../packages/events/src/secret-store.js';
import { SecretsManagerTokenVault } from '../../../shared/adapters/aws/secrets-manager-token-vault.js';
import { SsmParameterTokenVault } from '../../../shared/adapters/aws/ssm-parameter-token-vault.js';
import { FileTokenVault } from '../../../shared/adapters/local/file-token-vault.js';
import { connectionRef } from '../../../shared/domain/events/event-parts.js';
import { integrationRef } from '../../../shared/domain/events/integration-parts.js';

const CON = 'con_02be1223e845640931bc0b34';

describe('secretStoreOf', () => {
  it('tells the store from the references the vaults hand out', () => {
    const local = new FileTokenVault({ dir: '/nonexistent' });
    const secrets = new SecretsManagerTokenVault({
      client: {} as SecretsManagerClient,
      prefix: 'mews-provisioner/demo/connections/',
      kmsKeyId: 'alias/unused',
    });
    const parameters = new SsmParameterTokenVault({
      client: {} as SSMClient,
      connectionPath: '/mews-provisioner-demo/connections/',
      integrationPath: '/mews-provisioner-demo/integrations/',
      kmsKeyId: 'alias/unused',
    });
    expect(secretStoreOf(local.refFor(CON))).toBe('local-vault');
    expect(secretStoreOf(secrets.refFor(CON))).toBe('secrets-manager');
    expect(secretStoreOf(parameters.refFor(CON))).toBe('parameter-store');
    expect(secretStoreOf(parameters.integrationRefFor('int_0123456789abcdef01234567'))).toBe(
      'parameter-store',
    );
  });

  it.each([
    ['local-vault:con_1', 'local-vault'],
    ['mews-provisioner/prod/connections/con_1', 'secrets-manager'],
    [
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mews-provisioner/prod/connections/con_1-AbCdEf',
      'secrets-manager',
    ],
    ['arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x-AbCdEf', 'secrets-manager'],
    ['/mews-provisioner/prod/connections/con_1', 'parameter-store'],
    [
      'arn:aws:ssm:eu-west-1:123456789012:parameter/mews-provisioner/prod/connections/con_1',
      'parameter-store',
    ],
    ['arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/x', 'parameter-store'],
  ] as const)('%s is in %s', (ref, store) => {
    expect(secretStoreOf(ref)).toBe(store);
  });
});

describe('events name the store beside the reference', () => {
  it('a connection', () => {
    const ref = connectionRef(
      { id: CON, name: null, propertyId: 'p', propertyName: 'P', secretRef: `local-vault:${CON}` },
      'acc_238298b061cde1ad',
    );
    expect(ref).toMatchObject({ secretRef: `local-vault:${CON}`, secretStore: 'local-vault' });
  });

  it('an integration', () => {
    const ref = integrationRef({
      id: 'int_0123456789abcdef01234567',
      mewsId: 'm',
      name: 'n',
      secretRef: '/mews-provisioner/prod/integrations/int_0123456789abcdef01234567',
    } as unknown as Parameters<typeof integrationRef>[0]);
    expect(ref).toMatchObject({ secretStore: 'parameter-store' });
  });
});
