import { isConnectionId } from '../domain/identity.js';
import type { UseCaseDeps } from '../use-cases/use-case-deps.js';
import { type CliIo, EXIT, json, table, UsageError, widthFor } from './cli-io.js';

type Deps = Pick<UseCaseDeps, 'store'>;

export const CONNECTIONS_HELP = `Usage:
  provisioner connections list [--json]        list known connections
  provisioner connections show <id> [--json]   one connection with its configuration summary
  provisioner connections resync <id>          check it against Mews now (configuration, status)
`;

export async function connectionsCommand(
  args: { sub: string | undefined; id: string | undefined; json: boolean },
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
      io.out(args.json ? json(connection) : describe(connection));
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown connections command '${args.sub ?? ''}': use list, show or resync`);
  }
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
