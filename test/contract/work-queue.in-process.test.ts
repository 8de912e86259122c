import { describe } from 'vitest';
import { InProcessQueue } from '../../shared/adapters/local/in-process-queue.js';
import type { WorkMessage } from '../../shared/ports/work-queue.js';
import { workQueueContract } from './work-queue.contract.js';

describe('WorkQueue contract: in-process queue', () => {
  workQueueContract(async () => {
    const queue = new InProcessQueue<WorkMessage>();
    return {
      queue,
      received: async () => {
        const seen: WorkMessage[] = [];
        await queue.drain(async (m) => {
          seen.push(m);
        });
        return seen;
      },
    };
  });
});
