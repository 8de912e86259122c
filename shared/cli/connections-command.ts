import { isConnectionId } from '../domain/identity.js';
import type { UseCaseDeps } from '../use-cases/use-case-deps.js';
import { type CliIo, EXIT, json, table, UsageError, widthFor } from './cli-io.js';

type Deps = Pick<UseCaseDeps, 'store'>;

export const CONNECTIONS_HELP = `Usage:
  provisioner connections list [--json]        list known connections
  provisioner connections show <id> [--json]   one connection with its configuration summary
  provisioner connections show <id> --configuration [--digest D]
                                               the full configuration stored for it (JSON): the
                                               current one, or the one an event's
                                               configuration.snapshot.digest names (the last 5 are kept)
  provisioner connections resync <id>          check it against Mews now (configuration, status)
`;

export async function connectionsCommand(
  args: {
    sub: string | undefined;
    id: string | undefined;
    json: boolean;
    configuration?: boolean;
    digest?: string | undefined;
  },
  deps: Deps,
  io: CliIo,
): Promise<number> {
  switch (args.sub) {
    case 'list': {
      const connections = await deps.store.listConnections();
      if (args.json) {
        io.out(json(connections));
        return EXIT.ok;
      }
      io.out(
        table(
          ['ID', 'STATUS', 'PROPERTY', 'CONNECTION', 'PROVISIONED'],
          connections.map((c) => [c.id, c.status, c.propertyName, c.name ?? '', c.provisionedAt ?? '']),
          widthFor(io),
        ),
      );
      return EXIT.ok;
    }
    case 'show': {
      if (!args.id)
        throw new UsageError('missing <id>: give a connection id like con_0123456789abcdef01234567');
      if (!isConnectionId(args.id)) {
        throw new UsageError(
          `'${args.id}' is not a connection id: they look like con_ followed by 24 hex digits`,
        );
      }
      const connection = await deps.store.getConnection(args.id);
      if (!connection) {
        io.err(`no connection ${args.id} (see \`provisioner connections list\`)\n`);
        return EXIT.failed;
      }
      if (args.configuration || args.digest !== undefined)
        return showConfiguration(connection, args.digest, deps, io);
      io.out(args.json ? json(connection) : describe(connection));
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown connections command '${args.sub ?? ''}': use list, show or resync`);
  }
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The stored snapshot (Mews' getConfiguration answer, which holds no token) as JSON. */
async function showConfiguration(
  connection: NonNullable<Awaited<ReturnType<Deps['store']['getConnection']>>>,
  digest: string | undefined,
  deps: Deps,
  io: CliIo,
): Promise<number> {
  if (digest !== undefined && !DIGEST.test(digest)) {
    throw new UsageError(
      `'${digest.slice(0, 80)}' is not a configuration digest: they look like sha256: followed by 64 hex digits (an event's configuration.snapshot.digest)`,
    );
  }
  const wanted = digest ?? connection.configuration?.digest;
  if (!wanted) {
    io.err(
      `${connection.id} has no configuration yet (it is ${connection.status}): nothing was fetched from Mews\n`,
    );
    return EXIT.failed;
  }
  const snapshot = await deps.store.getSnapshot(connection.id, wanted);
  if (snapshot === undefined) {
    io.err(
      `no stored configuration ${wanted} for ${connection.id}: the last 5 of a connection are kept; ` +
        `its current one is ${connection.configuration?.digest ?? 'none'} (\`provisioner connections show ${connection.id} --configuration\`)\n`,
    );
    return EXIT.failed;
  }
  io.out(json(snapshot));
  return EXIT.ok;
}

function describe(c: NonNullable<Awaited<ReturnType<Deps['store']['getConnection']>>>): string {
  const lines = [
    `id            ${c.id}`,
    `status        ${c.status}`,
    `property      ${c.propertyName} (${c.propertyId})`,
    `connection    ${c.name ?? '(no name)'}`,
    `discovered    ${c.discoveredAt} by ${c.discoveredBy}`,
    `provisioned   ${c.provisionedAt ?? '-'}`,
    `secret        ${c.secretRef ?? '-'}`,
  ];
  if (c.configuration) {
    const s = c.configuration.summary;
    lines.push(
      `configuration ${c.configuration.digest} (fetched ${c.configuration.fetchedAt})`,
      `              ${s.spaceCategories} space categories (${s.synchronizedSpaceCategories} synchronized), ` +
        `${s.ratePlans} rate plans (${s.synchronizedRatePlans} synchronized), ${s.inventoryMappings} inventory mappings`,
      `              ${s.products} products, ${s.ageCategories} age categories, ${s.companies} companies, ${s.travelAgencies} travel agencies`,
    );
  }
  return `${lines.join('\n')}\n`;
}
