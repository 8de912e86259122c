import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListEventBusesCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  awsClientConfig,
  eventBridgeClient,
  resetAwsClients,
  secretsManagerClient,
  sqsClient,
} from '../../../shared/adapters/aws/aws-clients.js';

beforeEach(() => {
  resetAwsClients();
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'example-secret');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
});

afterEach(() => {
  resetAwsClients();
  vi.unstubAllEnvs();
});

describe('aws-clients', () => {
  it('creates one client per service and reuses it', () => {
    expect(secretsManagerClient()).toBe(secretsManagerClient());
    expect(eventBridgeClient()).toBe(eventBridgeClient());
    expect(sqsClient()).toBe(sqsClient());
  });

  it('takes the region from AWS_REGION, else AWS_DEFAULT_REGION', async () => {
    expect(await secretsManagerClient().config.region()).toBe('eu-west-1');
    expect(awsClientConfig({ AWS_DEFAULT_REGION: 'us-east-2' })).toEqual({ region: 'us-east-2' });
    expect(awsClientConfig({ AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'us-east-2' })).toEqual({
      region: 'eu-central-1',
    });
    expect(awsClientConfig({})).toEqual({});
  });

  describe('endpoints from AWS_ENDPOINT_URL_<SERVICE>', () => {
    const seen: { target: string | undefined; path: string | undefined }[] = [];
    let server: Server;
    let base: string;

    beforeAll(async () => {
      server = createServer((req, res) => {
        seen.push({ target: req.headers['x-amz-target'] as string | undefined, path: req.url });
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'not here' }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('sends each service to its own endpoint, the SDK way', async () => {
      vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', `${base}/secretsmanager`);
      vi.stubEnv('AWS_ENDPOINT_URL_EVENTBRIDGE', `${base}/events`);
      vi.stubEnv('AWS_ENDPOINT_URL_SQS', `${base}/sqs`);

      await secretsManagerClient()
        .send(new GetSecretValueCommand({ SecretId: 'x' }))
        .catch(() => undefined);
      await eventBridgeClient()
        .send(new ListEventBusesCommand({}))
        .catch(() => undefined);
      await sqsClient()
        .send(new GetQueueUrlCommand({ QueueName: 'q' }))
        .catch(() => undefined);

      expect(seen).toEqual([
        { target: 'secretsmanager.GetSecretValue', path: '/secretsmanager/' },
        { target: 'AWSEvents.ListEventBuses', path: '/events/' },
        { target: 'AmazonSQS.GetQueueUrl', path: '/sqs/' },
      ]);
    });
  });
});
