import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  GLOBAL_INDEXES,
  type GlobalIndexDefinition,
  PARTITION_KEY,
  SORT_KEY,
  STREAM_VIEW_TYPE,
  TTL_ATTRIBUTE,
} from '../../shared/adapters/aws/state-table.js';

export interface StateProps {
  readonly resourcePrefix: string;
  readonly removalPolicy: RemovalPolicy;
  /** Deletion protection on the table (production). */
  readonly deletionProtection: boolean;
}

/** DynamoDB item actions a function may be given (never Scan: every access pattern is a Query). */
export type ItemAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:BatchWriteItem'
  | 'dynamodb:ConditionCheckItem';

const WRITE_ACTIONS: readonly ItemAction[] = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

export interface TableAccess {
  /** Actions on the table's items (TransactWriteItems is authorized per contained action). */
  readonly items?: readonly ItemAction[];
  /** Indexes the grantee may Query, by definition from the state-table module. */
  readonly queryIndexes?: readonly GlobalIndexDefinition[];
}

const STREAM_VIEW: Record<typeof STREAM_VIEW_TYPE, dynamodb.StreamViewType> = {
  NEW_IMAGE: dynamodb.StreamViewType.NEW_IMAGE,
};

/**
 * The service's state: one single-table DynamoDB table (accounts, connections, snapshots, outbox),
 * encrypted with its own customer managed key, with PITR, TTL and a stream for the outbox relay.
 * Its keys and indexes come from `shared/adapters/aws/state-table.ts`, the module the DynamoDB
 * adapter and DynamoDB Local use, so the deployed table cannot drift from the code.
 */
export class State extends Construct {
  readonly key: kms.Key;
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: StateProps) {
    super(scope, id);

    this.key = new kms.Key(this, 'Key', {
      description: `${props.resourcePrefix}: state table encryption`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
      pendingWindow: Duration.days(30),
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      sortKey: { name: SORT_KEY, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: STREAM_VIEW[STREAM_VIEW_TYPE],
      timeToLiveAttribute: TTL_ATTRIBUTE,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });
    for (const index of GLOBAL_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType[index.projection],
      });
    }
  }

  /** ARN of one index, for a Query grant on exactly that index. */
  indexArn(index: GlobalIndexDefinition): string {
    return `${this.table.tableArn}/index/${index.indexName}`;
  }

  /**
   * Grants exactly `access`: item actions on the table, Query on the named indexes, and the key
   * use DynamoDB makes on the caller's behalf (decrypt for reads; encrypt/data keys for writes).
   */
  grant(grantee: iam.IGrantable, access: TableAccess): void {
    const items = access.items ?? [];
    const indexes = access.queryIndexes ?? [];
    if (items.length > 0) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: [...items], resources: [this.table.tableArn] }),
      );
    }
    if (indexes.length > 0) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: indexes.map((index) => this.indexArn(index)),
        }),
      );
    }
    const writes = items.some((action) => WRITE_ACTIONS.includes(action));
    this.key.grant(
      grantee,
      'kms:Decrypt',
      'kms:DescribeKey',
      ...(writes ? ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'] : []),
    );
  }
}
