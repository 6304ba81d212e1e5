import { CaracalConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { CliIo, formatTable } from './cli-output';

type Format = { format: 'table' | 'json' };

// The control file is the authority here, not the API: there is no tenant to hold a token yet.
/** `caracal tenants create <id>`: the tenant and its first admin token, printed once. */
export function tenantsCreate(config: CaracalConfig, tenantId: string, values: Format & { name?: string }, io: CliIo): number {
  const control = ControlStore.open(config.controlFile);
  const tenant = control.createTenant(tenantId, values.name);
  // Without a first admin token nobody could use the API for the new tenant, not even to create tokens.
  const { record, token } = control.createToken({ tenantId: tenant.id, name: 'admin', role: 'admin' });
  if (values.format === 'json') {
    io.out(JSON.stringify({ id: tenant.id, name: tenant.name, createdAt: tenant.createdAt, tokenId: record.id, token }));
    return 0;
  }
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

/** `caracal tenants list`: with how many sources, tokens and destinations each has. */
export function tenantsList(config: CaracalConfig, values: Format, io: CliIo): number {
  const format = values.format;
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
