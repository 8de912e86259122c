import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type * as z from 'zod';
import { stackOutputsSchema } from '../../config/stack-outputs.js';

/** The deployed stack's outputs, validated (by `schema`); a clear error when the stack is missing or incomplete. */
export async function readStackOutputs<S extends z.ZodType = typeof stackOutputsSchema>(
  client: CloudFormationClient,
  stackName: string,
  schema: S = stackOutputsSchema as unknown as S,
): Promise<z.infer<S>> {
  let outputs: Record<string, string>;
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = Object.fromEntries(
      (Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
    );
  } catch (error) {
    const message = (error as Error).message;
    if (/does not exist/.test(message)) {
      throw new Error(
        `stack ${stackName} does not exist in this account and region: deploy it (npx cdk deploy -c stage=...) or pass the right --stack / AWS_REGION`,
      );
    }
    throw new Error(`could not read stack ${stackName}: ${message}`);
  }
  const parsed = schema.safeParse(outputs);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`stack ${stackName} lacks the outputs ${missing}: redeploy it with this version`);
  }
  return parsed.data;
}

/**
 * arn:<partition>:sqs:<region>:<account>:<name> of a queue URL https://sqs.<region>.<domain>/<account>/<name>.
 * The URL does not name the partition (aws, aws-cn, aws-us-gov, ...): it is taken from `knownArn`,
 * an ARN of the same stack.
 */
export function queueArnOf(queueUrl: string, knownArn: string): string {
  const url = new URL(queueUrl);
  const [, account, name] = url.pathname.split('/');
  const region = url.hostname.split('.')[1];
  if (!account || !name || !region) throw new Error(`not an SQS queue URL: ${queueUrl}`);
  const [arn, partition] = knownArn.split(':');
  if (arn !== 'arn' || !partition) throw new Error(`not an ARN: ${knownArn}`);
  return `arn:${partition}:sqs:${region}:${account}:${name}`;
}
