import { SendMessageBatchCommand, type SendMessageBatchCommandInput, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe } from 'vitest';
import { SqsWorkQueue } from '../../shared/adapters/aws/sqs-work-queue.js';
import type { WorkMessage } from '../../shared/ports/work-queue.js';
import { workQueueContract } from './work-queue.contract.js';

describe('WorkQueue contract: SQS (aws-sdk-client-mock)', () => {
  workQueueContract(async () => {
    const client = new SQSClient({ region: 'eu-west-1' });
    const sqs = mockClient(client);
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({
      Successful: (input.Entries ?? []).map((e) => ({
        Id: e.Id,
        MessageId: `mid-${e.Id}`,
        MD5OfMessageBody: 'x',
      })),
      Failed: [],
    }));
    const queue = new SqsWorkQueue<WorkMessage>({
      client,
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/contract',
      sleep: async () => {},
    });
    return {
      queue,
      received: async () =>
        sqs
          .commandCalls(SendMessageBatchCommand)
          .flatMap((c) => c.args[0].input.Entries ?? [])
          .map((e) => JSON.parse(e.MessageBody ?? 'null') as WorkMessage),
    };
  });
});
