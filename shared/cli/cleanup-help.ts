/** Help of `cleanup`, apart from its code so `--help` loads no AWS SDK. */

export const CLEANUP_HELP = `Usage:
  provisioner cleanup --stack NAME --dry-run [--json]   what a destroyed stack left behind
  provisioner cleanup --stack NAME [--yes] [--json]     delete it

After \`npx cdk destroy\` of a stage with removalPolicy retain, its named resources stay, and a new
deployment of the same stage fails on them with "already exists". cleanup removes them, found by
the stack's name (which is the stage's resource prefix):
  the event archive <NAME>-all and the event bus <NAME> (kept while other rules are on it),
  the secrets <NAME>/mews-client-token and <NAME>/integration-webhook-secret (deleted at once:
  a deployment needs the names free), and the token secrets under <NAME>/connections/ and
  <NAME>/integrations/ (scheduled for deletion in 7 days; restore-secret brings one back).
The stack's token layout is gone with it, so cleanup also looks for the Parameter Store layout's
token parameters under /<NAME>/connections/, /<NAME>/integrations/ and /<NAME>/deleted/ (listed
by count). A new deployment would find them under the same names, encrypted with the old stack's
key, which its functions cannot use, and not store those tokens again. They are deleted at once:
Parameter Store has no recovery window, and the sweep that built one went with the stack, so a
scheduled deletion would never happen. The new deployment's polls store the connection tokens
again; an integration's access token comes again only when Mews sends it (a regenerated key).
The state table, the KMS keys, queues and log groups keep their generated names and do not block
a deployment: docs/deploy.md says how to remove them. Refuses while the stack exists.
Asks for confirmation on a terminal; --yes confirms (required without a terminal).
Exit code 0 when nothing is left that blocks a deployment; 1 otherwise.
`;
