/** Help of `doctor` and `reset`, apart from their code so `--help` loads no AWS SDK. */

export const DOCTOR_HELP = `Usage:
  provisioner doctor [--json]            check this machine's setup, one line per check with a fix
  provisioner doctor --stack NAME [--json]   and the deployed stack's

Locally: Java (for DynamoDB Local), DynamoDB (DynamoDB Local or AWS_ENDPOINT_URL_DYNAMODB), the
state directory (writable, which Mews environment it belongs to), Mews (reachable, and the client
token valid: getChannels needs nothing else), and each registered account's access.
With --stack: AWS credentials and region, the stack's outputs, and whether the client token
secret has a value (read with DescribeSecret: the value itself is never read).
Exit code 0 only when every check passes; 1 otherwise.
`;

export const RESET_HELP = `Usage:
  provisioner reset [--yes] [--json]
      clear a local state directory so the demo can be replayed: the state table's contents
      (accounts, connections, snapshots, outbox), the token vault (secrets/), events.jsonl,
      the dead letters, the last cycle, and the Mews environment the directory belongs to.
      Asks for confirmation on a terminal; --yes confirms (for scripts; without a terminal it
      is required). Local only (not with --stack); refuses while npm start runs on it.
`;
