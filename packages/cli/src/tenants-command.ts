import { CaracalConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { flagParser, runSubcommand, usageError } from './api-command-support';
import { checkFormat, CliIo, formatTable } from './cli-output';

export const TENANTS_USAGE = `usage (on the machine that holds the control file, CARACAL_CONTROL_FILE):
  caracal tenants create <tenant id> [--name <name>]
  caracal tenants list [--format table|json]`;

// The control file is the authority here, not the API: there is no tenant to hold a token yet.
const flags = flagParser('tenants', TENANTS_USAGE, {});

function create(config: CaracalConfig, args: string[], io: CliIo): number {
  const { values, positionals } = flags('create', args, { name: { type: 'string' } } as const);
  if (positionals.length !== 1 || positionals[0] === '') {
    throw usageError(positionals.length === 0 ? 'tenants create needs a tenant id' : `tenants create takes one tenant id, got ${positionals.length} arguments`, TENANTS_USAGE);
  }
  const control = ControlStore.open(config.controlFile);
  const tenant = control.createTenant(positionals[0], values.name);
  // Without a first admin token nobody could use the API for the new tenant, not even to create tokens.
  const { record, token } = control.createToken({ tenantId: tenant.id, name: 'admin', role: 'admin' });
  io.out(
    [
      `tenant "${tenant.id}" created (name "${tenant.name}") in ${config.controlFile}`,
      '',
      `Its first admin token, ${record.id} (shown only now; it cannot be shown again, so hand it over safely):`,
      `  ${token}`,
      'With it (--token or CARACAL_TOKEN) the tenant creates its sources and further tokens:',
      '  caracal sources create --log-type Panther.Audit [--id <start of the id>]',
      '  caracal tokens create --name <name> --role analyst',
    ].join('\n'),
  );
  return 0;
}

function list(config: CaracalConfig, args: string[], io: CliIo): number {
  const { values, positionals } = flags('list', args, { format: { type: 'string', default: 'table' } } as const);
  if (positionals.length > 0) throw usageError(`tenants list takes no arguments, got "${positionals[0]}"`, TENANTS_USAGE);
  const format = checkFormat(values.format);
  const data = ControlStore.open(config.controlFile).snapshot();
  const count = (items: { tenantId: string }[], id: string) => items.filter((i) => i.tenantId === id).length;
  const rows = data.tenants.map((t) => ({
    id: t.id,
    name: t.name,
    createdAt: t.createdAt,
    sources: count(data.sources, t.id),
    tokens: count(data.tokens, t.id),
    destinations: count(data.destinations, t.id),
  }));
  if (format === 'json') io.out(JSON.stringify(rows));
  else io.out(`${formatTable(['id', 'name', 'createdAt', 'sources', 'tokens', 'destinations'], rows)}\n(${rows.length} tenants in ${config.controlFile})`);
  return 0;
}

/** `caracal tenants <create|list>`: tenants in the local control store, for the operator. */
export function tenantsCommand(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  return runSubcommand('tenants', TENANTS_USAGE, { create, list }, config, args, io);
}
