import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { configureApp } from '../../infra/configure-app.js';
import type { ProvisionerStack } from '../../infra/provisioner-stack.js';

/** The context `cdk synth` sees from cdk.json (feature flags, default stage), so tests build the same template. */
const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

export interface Synthesized {
  app: App;
  stack: ProvisionerStack;
  template: Template;
}

export interface SynthOptions {
  /** Really bundle the functions with esbuild (slow: one test does it). */
  bundle?: boolean;
  outdir?: string;
}

/** Builds the app as `cdk synth -c stage=<stage> -c key=value...` would, without bundling unless asked. */
export function synth(context: Record<string, unknown>, options: SynthOptions = {}): Synthesized {
  const app = new App({
    context: {
      ...CDK_JSON_CONTEXT,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...context,
    },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const stack = configureApp(app);
  return { app, stack, template: Template.fromStack(stack) };
}

const cache = new Map<string, Synthesized>();

/** Synthesized once per stage and reused by every test file in the same worker. */
export function synthStage(stage: string): Synthesized {
  let result = cache.get(stage);
  if (!result) {
    result = synth({ stage });
    cache.set(stage, result);
  }
  return result;
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
export type Json = any;

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: Json;
  Condition?: Json;
  Principal?: Json;
}

export const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

export const resourcesOf = (statement: Statement): Json[] =>
  statement.Resource === undefined
    ? []
    : Array.isArray(statement.Resource)
      ? statement.Resource
      : [statement.Resource];

/** Every identity policy (inline Policy, ManagedPolicy, Role inline policies) as [logical id, statements]. */
export function identityPolicies(template: Template): [string, Statement[], Json][] {
  const result: [string, Statement[], Json][] = [];
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [id, resource] of Object.entries(template.findResources(type))) {
      result.push([id, resource.Properties.PolicyDocument.Statement, resource.Properties]);
    }
  }
  for (const [id, resource] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const policy of resource.Properties.Policies ?? []) {
      result.push([`${id}/${policy.PolicyName}`, policy.PolicyDocument.Statement, resource.Properties]);
    }
  }
  return result;
}

/** Every statement of every policy document in the template (identity and resource policies). */
export function allStatements(template: Template): Statement[] {
  const statements: Statement[] = [];
  const visit = (node: Json): void => {
    if (Array.isArray(node)) for (const item of node) visit(item);
    else if (node && typeof node === 'object') {
      if (Array.isArray(node.Statement) && typeof node.Version === 'string')
        statements.push(...node.Statement);
      for (const value of Object.values(node)) visit(value);
    }
  };
  visit(template.toJSON());
  return statements;
}

/** Statements granted to the role of the function whose logical id starts with `functionIdPrefix`. */
export function statementsOfFunction(template: Template, functionIdPrefix: string): Statement[] {
  const functions = template.findResources('AWS::Lambda::Function');
  const entry = Object.entries(functions).find(([id]) => id.startsWith(functionIdPrefix));
  if (!entry) throw new Error(`no function ${functionIdPrefix}*`);
  const roleId: string = entry[1].Properties.Role['Fn::GetAtt'][0];
  return statementsOfRole(template, roleId);
}

export function statementsOfRole(template: Template, roleId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy: Json) => policy.Properties.Roles.some((role: Json) => role.Ref === roleId))
    .flatMap((policy: Json) => policy.Properties.PolicyDocument.Statement);
}

/** The logical id of the only resource of `type` whose id starts with `prefix`. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}
