import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { describe } from 'vitest';
import { EventBridgePublisher } from '../../shared/adapters/aws/eventbridge-publisher.js';
import { CONTRACT_SOURCE, eventPublisherContract } from './event-publisher.contract.js';

describe('EventPublisher contract: EventBridge (aws-sdk-client-mock)', () => {
  eventPublisherContract(async () => {
    const client = new EventBridgeClient({ region: 'eu-west-1' });
    const eb = mockClient(client);
    eb.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 0,
      Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `eb-${i}` })),
    }));
    return {
      publisher: new EventBridgePublisher({
        client,
        eventBusName: 'contract-bus',
        source: CONTRACT_SOURCE,
        sleep: async () => {},
      }),
      delivered: async () =>
        eb
          .commandCalls(PutEventsCommand)
          .flatMap((c) => c.args[0].input.Entries ?? [])
          .map((e) => ({
            detailType: e.DetailType ?? '',
            detail: JSON.parse(e.Detail ?? '{}') as Record<string, unknown>,
          })),
    };
  });
});
