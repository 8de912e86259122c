import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfigFromContext } from './config/stages.js';
import { ProvisionerStack } from './provisioner-stack.js';

/**
 * Adds the provisioner stack for the stage selected in context (`-c stage=<name>`, overrides as
 * `-c <key>=<value>`) and cdk-nag's AwsSolutions pack (a CDK validation plugin since cdk-nag v3:
 * any unacknowledged finding fails synthesis). Used by `app.ts` and by the tests.
 */
export function configureApp(app: App): ProvisionerStack {
  const config = stageConfigFromContext((key) => app.node.tryGetContext(key));
  const stack = new ProvisionerStack(app, config.resourcePrefix, {
    stackName: config.resourcePrefix,
    description: `Mews connection provisioner (${config.stage}): discovers Mews connections, stores their tokens, publishes events`,
    analyticsReporting: false,
    config,
  });
  Tags.of(stack).add('project', 'mews-connection-provisioner');
  Tags.of(stack).add('stage', config.stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}
