import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** How often a message is tried before it goes to its dead-letter queue. */
const MAX_RECEIVE_COUNT = 5;
/** Lambda's guidance: the visibility timeout is at least 6x the consumer's timeout. */
const VISIBILITY_TIMEOUT_FACTOR = 6;
/** Dead letters are kept as long as SQS allows, to be inspected and redriven. */
const DLQ_RETENTION = Duration.days(14);

export interface WorkQueueProps {
  /** Timeout of the function that consumes the queue. */
  readonly consumerTimeout: Duration;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * An SQS work queue with its own dead-letter queue: SQS-managed encryption (the messages carry ids
 * only, never a token, so a KMS key would add cost, not protection), TLS only, redrive after
 * MAX_RECEIVE_COUNT receives.
 */
export class WorkQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      removalPolicy: props.removalPolicy,
    }).queue;
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
      removalPolicy: props.removalPolicy,
    });
  }
}

export interface DeadLetterQueueProps {
  readonly removalPolicy: RemovalPolicy;
  /** Why this queue has no dead-letter queue of its own (for cdk-nag SQS3). */
  readonly purpose?: string;
}

/** A dead-letter queue: encrypted, TLS only, 14 days' retention, and no DLQ of its own. */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DLQ_RETENTION,
      removalPolicy: props.removalPolicy,
    });
    if (props.purpose) {
      Validations.of(this.queue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself a dead-letter queue (${props.purpose}); the DLQ-depth alarm watches it.`,
      });
    }
  }
}

export interface MessagingProps {
  /** Timeout of poll-account (consumer of account-polls). */
  readonly pollAccountTimeout: Duration;
  /** Timeout of sync-connection (consumer of connection-syncs). */
  readonly syncConnectionTimeout: Duration;
  readonly removalPolicy: RemovalPolicy;
}

/** The two fan-out queues: account-polls (schedule-polls -> poll-account) and connection-syncs (poll-account -> sync-connection). */
export class Messaging extends Construct {
  readonly accountPolls: WorkQueue;
  readonly connectionSyncs: WorkQueue;

  constructor(scope: Construct, id: string, props: MessagingProps) {
    super(scope, id);
    this.accountPolls = new WorkQueue(this, 'AccountPolls', {
      consumerTimeout: props.pollAccountTimeout,
      removalPolicy: props.removalPolicy,
    });
    this.connectionSyncs = new WorkQueue(this, 'ConnectionSyncs', {
      consumerTimeout: props.syncConnectionTimeout,
      removalPolicy: props.removalPolicy,
    });
  }
}
