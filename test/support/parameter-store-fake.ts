import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  type DeleteParametersCommandInput,
  DescribeParametersCommand,
  type DescribeParametersCommandInput,
  GetParameterCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
  type Tag,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

/** One parameter as the fake holds it (tests may read the values: they are fake tokens). */
export interface FakeParameter {
  value: string;
  type: string;
  keyId: string | undefined;
  tier: string;
  version: number;
  description: string | undefined;
  tags: Tag[];
}

const meta = { httpStatusCode: 400, requestId: 'fake-request' };
const notFound = () => new ParameterNotFound({ $metadata: meta, message: 'Parameter not found' });

/**
 * A small stateful Parameter Store behind an aws-sdk-client-mock stub (no emulator exists): the
 * calls the Parameter Store token vault makes, with the service's documented behaviour for them
 * (PutParameter without Overwrite refuses an existing name; Overwrite takes no Tags; GetParameter
 * without decryption does not show a SecureString's value; DescribeParameters pages by Path;
 * DeleteParameters reports names it did not find). Each call takes effect at once, so concurrent
 * calls interleave only between calls, as on the service.
 */
export class ParameterStoreFake {
  readonly client = new SSMClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  readonly mock = mockClient(this.client);
  readonly parameters = new Map<string, FakeParameter>();
  /** Calls by command name, e.g. calls.get('PutParameterCommand'). */
  readonly calls = new Map<string, number>();
  #throttle = 0;

  constructor() {
    this.install();
  }

  /** The next `n` calls fail with ThrottlingException (and change nothing). */
  throttleNext(n: number): void {
    this.#throttle = n;
  }

  /** Forgets the parameters, the counts and the recorded calls. */
  reset(): void {
    this.mock.reset();
    this.parameters.clear();
    this.calls.clear();
    this.#throttle = 0;
    this.install();
  }

  callCount(): number {
    return [...this.calls.values()].reduce((a, b) => a + b, 0);
  }

  private install(): void {
    this.mock.on(PutParameterCommand).callsFake((input) =>
      this.call('PutParameterCommand', () => {
        const name = required(input.Name, 'Name');
        const existing = this.parameters.get(name);
        if (input.Overwrite && input.Tags?.length) {
          throw validation("Invalid request: tags and overwrite can't be used together.");
        }
        if (existing && !input.Overwrite) {
          throw new ParameterAlreadyExists({ $metadata: meta, message: 'The parameter already exists.' });
        }
        const parameter: FakeParameter = {
          value: required(input.Value, 'Value'),
          type: input.Type ?? existing?.type ?? 'String',
          keyId: input.KeyId ?? existing?.keyId,
          tier: input.Tier === 'Intelligent-Tiering' ? 'Standard' : (input.Tier ?? 'Standard'),
          version: (existing?.version ?? 0) + 1,
          description: input.Description ?? existing?.description,
          tags: existing?.tags ?? input.Tags ?? [],
        };
        this.parameters.set(name, parameter);
        return { Version: parameter.version, Tier: parameter.tier };
      }),
    );
    this.mock.on(GetParameterCommand).callsFake((input) =>
      this.call('GetParameterCommand', () => {
        const name = required(input.Name, 'Name');
        const p = this.parameters.get(name);
        if (!p) throw notFound();
        const hidden = p.type === 'SecureString' && !input.WithDecryption;
        return {
          Parameter: {
            Name: name,
            Type: p.type,
            Value: hidden ? 'AQICAHfakeCiphertext==' : p.value,
            Version: p.version,
            ARN: `arn:aws:ssm:eu-west-1:111122223333:parameter${name}`,
          },
        };
      }),
    );
    this.mock.on(DeleteParameterCommand).callsFake((input) =>
      this.call('DeleteParameterCommand', () => {
        if (!this.parameters.delete(required(input.Name, 'Name'))) throw notFound();
        return {};
      }),
    );
    this.mock.on(DeleteParametersCommand).callsFake((input: DeleteParametersCommandInput) =>
      this.call('DeleteParametersCommand', () => {
        const names: string[] = input.Names ?? [];
        if (names.length < 1 || names.length > 10) throw validation('Names must hold 1 to 10 names');
        const deleted = names.filter((n) => this.parameters.delete(n));
        return { DeletedParameters: deleted, InvalidParameters: names.filter((n) => !deleted.includes(n)) };
      }),
    );
    this.mock.on(DescribeParametersCommand).callsFake((input: DescribeParametersCommandInput) =>
      this.call('DescribeParametersCommand', () => {
        const max = input.MaxResults ?? 10;
        if (max < 1 || max > 50) throw validation('MaxResults must be 1 to 50');
        const path = input.ParameterFilters?.find((f) => f.Key === 'Path');
        const base = path?.Values?.[0] ?? '/';
        const recursive = path?.Option === 'Recursive';
        const under = [...this.parameters.keys()]
          .filter((n) => n.startsWith(`${base.replace(/\/$/, '')}/`))
          .filter((n) => recursive || !n.slice(base.length + 1).includes('/'))
          .sort();
        // The token is where the page ended (the last name), so deletions meanwhile skip nothing.
        const after = input.NextToken ? Buffer.from(input.NextToken, 'base64').toString() : '';
        const rest = under.filter((n) => n > after);
        const page = rest.slice(0, max);
        return {
          Parameters: page.map((name) => {
            const p = this.parameters.get(name) as FakeParameter;
            return { Name: name, Type: p.type, Description: p.description, Version: p.version, Tier: p.tier };
          }),
          ...(rest.length > max ? { NextToken: Buffer.from(page.at(-1) as string).toString('base64') } : {}),
        };
      }),
    );
  }

  private async call<T>(command: string, run: () => T): Promise<T> {
    this.calls.set(command, (this.calls.get(command) ?? 0) + 1);
    if (this.#throttle > 0) {
      this.#throttle -= 1;
      throw new SSMServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: meta,
        message: 'Rate exceeded',
      });
    }
    return run();
  }
}

function required(value: string | undefined, field: string): string {
  if (value === undefined || value === '') throw validation(`${field} is required`);
  return value;
}

function validation(message: string): SSMServiceException {
  return new SSMServiceException({ name: 'ValidationException', $fault: 'client', $metadata: meta, message });
}
