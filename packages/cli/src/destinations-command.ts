import { parseArgs, ParseArgsConfig } from 'node:util';
import { displayUrl } from '@caracal/alert-stage';
import { CaracalConfig, CaracalError, NotFoundError } from '@caracal/core';
import { ControlStore, DestinationRecord, DestinationType } from '@caracal/core/control-plane';
import { Severity } from '@caracal/core/messages';
import { checkFormat, CliIo, formatTable } from './cli-output';

export const DESTINATIONS_USAGE = `usage:
  caracal destinations create --tenant <id> --id <id> --type webhook|slack --url <url> [--name <name>] [--severities HIGH,CRITICAL]
  caracal destinations list --tenant <id> [--format table|json]`;

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict flags: a misspelt flag is an error naming it, not a silent no-op. */
function flags<O extends Options>(sub: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true });
  } catch (err) {
    throw new CaracalError('INVALID_ARGUMENT', `destinations ${sub}: ${(err as Error).message}\n${DESTINATIONS_USAGE}`);
  }
}

function required(sub: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new CaracalError('INVALID_ARGUMENT', `destinations ${sub} needs --${name}\n${DESTINATIONS_USAGE}`);
  return value;
}

/** What may be shown of a destination: never its signing secret, nor the parts of its URL that act as one. */
function shown(d: DestinationRecord) {
  return {
    id: d.id,
    name: d.name,
    type: d.type,
    url: displayUrl(d.type, d.url),
    severities: d.severities,
    createdAt: d.createdAt,
  };
}

function create(config: CaracalConfig, args: string[], io: CliIo): number {
  const { values } = flags('create', args, {
    tenant: { type: 'string' },
    id: { type: 'string' },
    type: { type: 'string' },
    url: { type: 'string' },
    name: { type: 'string' },
    severities: { type: 'string' },
  });
  const severities =
    values.severities === undefined
      ? undefined
      : values.severities
          .split(',')
          .map((s) => s.trim().toUpperCase())
          .filter((s) => s !== '') as Severity[];
  const control = ControlStore.open(config.controlFile);
  const { destination, signingSecret } = control.createDestination({
    tenantId: required('create', 'tenant', values.tenant),
    id: required('create', 'id', values.id),
    type: required('create', 'type', values.type) as DestinationType,
    url: required('create', 'url', values.url),
    name: values.name,
    severities,
  });
  const d = shown(destination);
  const lines = [
    `destination "${d.id}" created for tenant ${destination.tenantId}: ${d.type} ${d.url}`,
    `  name: ${d.name}`,
    `  severities delivered by default: ${d.severities.join(',') || '(none: only alerts that name this destination)'}`,
  ];
  if (signingSecret) {
    lines.push(
      '',
      'Signing secret (shown only now; keep it with the receiver):',
      `  ${signingSecret}`,
      'Receivers check x-caracal-signature = "sha256=" + hex HMAC-SHA256(secret, "<x-caracal-timestamp>.<raw body>").',
    );
  }
  io.out(lines.join('\n'));
  return 0;
}

function list(config: CaracalConfig, args: string[], io: CliIo): number {
  const { values } = flags('list', args, { tenant: { type: 'string' }, format: { type: 'string', default: 'table' } });
  const tenant = required('list', 'tenant', values.tenant);
  const format = checkFormat(values.format);
  const control = ControlStore.open(config.controlFile);
  if (!control.snapshot().tenants.some((t) => t.id === tenant)) throw new NotFoundError(`no tenant "${tenant}"`);
  const rows = control.destinationsOf(tenant).map(shown);
  if (format === 'json') io.out(JSON.stringify(rows));
  else {
    const table = rows.map((r) => ({ ...r, severities: r.severities.join(',') }));
    io.out(`${formatTable(['id', 'name', 'type', 'severities', 'url', 'createdAt'], table)}\n(${rows.length} destinations)`);
  }
  return 0;
}

/** `caracal destinations ...`: alert destinations in the local control store (the data dir's control file). */
export async function destinationsCommand(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create':
      return create(config, rest, io);
    case 'list':
      return list(config, rest, io);
    default:
      throw new CaracalError('INVALID_ARGUMENT', `${sub === undefined ? 'destinations needs a subcommand' : `unknown subcommand "destinations ${sub}"`}\n${DESTINATIONS_USAGE}`);
  }
}
