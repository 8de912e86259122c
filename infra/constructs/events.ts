import { type CfnResource, type Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventschemas from 'aws-cdk-lib/aws-eventschemas';
import { Construct } from 'constructs';
import { eventJsonSchema } from '../../shared/domain/events/event-json-schemas.js';
import { eventRegistry } from '../../shared/domain/events/registry.js';

export interface EventsProps {
  readonly resourcePrefix: string;
  /** The `source` every event of this deployment carries. */
  readonly eventSource: string;
  readonly archiveRetention: Duration;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The public side: a custom EventBridge bus the outbox relay publishes to, an archive of every event
 * on it (for replay), and a schema registry holding every event's JSON Schema.
 * No resource policy: only principals of this account can put events on the bus.
 * The bus and the archive follow the stage's removal policy (subscribers' rules and the archived
 * events are worth keeping); the schema registry is rebuilt from the code on every deployment, so it
 * is always deleted with the stack and never blocks a re-deployment of the stage.
 */
export class Events extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;
  readonly schemaRegistry: eventschemas.CfnRegistry;
  readonly eventSource: string;

  constructor(scope: Construct, id: string, props: EventsProps) {
    super(scope, id);
    this.eventSource = props.eventSource;

    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: props.resourcePrefix,
      description: `Mews connection provisioner events (source ${props.eventSource})`,
    });
    this.bus.applyRemovalPolicy(props.removalPolicy);

    this.archive = this.bus.archive('Archive', {
      archiveName: `${props.resourcePrefix}-all`,
      description: 'Every event published on the bus, for replay',
      eventPattern: { account: [Stack.of(this).account] },
      retention: props.archiveRetention,
    });
    this.archive.applyRemovalPolicy(props.removalPolicy);
    // aws-cdk-lib's Archive writes `KmsKeyIdentifier: ""` when no key is given (aws/aws-cdk#37847),
    // which some regions reject. Without the property the archive uses an AWS owned key.
    (this.archive.node.defaultChild as CfnResource).addPropertyDeletionOverride('KmsKeyIdentifier');

    this.schemaRegistry = new eventschemas.CfnRegistry(this, 'SchemaRegistry', {
      registryName: `${props.resourcePrefix}-events`,
      description: `JSON Schemas of the events with source ${props.eventSource}`,
    });
    this.schemaRegistry.applyRemovalPolicy(RemovalPolicy.DESTROY);

    // The event catalogue: one schema per detail-type, the same JSON Schemas as docs/schemas/.
    for (const detailType of Object.keys(eventRegistry)) {
      const schema = new eventschemas.CfnSchema(this, `Schema${detailType.replaceAll(' ', '')}`, {
        registryName: this.schemaRegistry.attrRegistryName,
        schemaName: `${props.eventSource}@${detailType.replaceAll(' ', '')}`,
        type: 'JSONSchemaDraft4',
        description: `The "${detailType}" event (docs/events.md)`,
        content: JSON.stringify(eventJsonSchema(detailType as keyof typeof eventRegistry)),
      });
      schema.applyRemovalPolicy(RemovalPolicy.DESTROY);
    }
  }
}
