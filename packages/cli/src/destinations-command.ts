import { displayUrl } from '@caracal/alert-stage';
import { CaracalConfig, CaracalError, NotFoundError } from '@caracal/core';
import { ControlStore, DestinationRecord, DestinationType } from '@caracal/core/control-plane';
import { Severity } from '@caracal/core/messages';
import { CliIo, formatTable } from './cli-output';

type Format = { format: 'table' | 'json' };

export interface DestinationsCreateOptions extends Format {
  tenant: string;
  id: string;
  type: DestinationType;
  url: string;
  name?: string;
  severities?: string;
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

/** `caracal destinations create`: a webhook's signing secret is printed once. */
export function destinationsCreate(config: CaracalConfig, values: DestinationsCreateOptions, io: CliIo): number {
  const severities =
    values.severities === undefined
      ? undefined
      : values.severities
          .split(',')
          .map((s) => s.trim().toUpperCase())
          .filter((s) => s !== '') as Severity[];
  const control = ControlStore.open(config.controlFile);
  const { destination, signingSecret } = control.createDestination({
    tenantId: values.tenant,
    id: values.id,
    type: values.type,
    url: values.url,
    name: values.name,
    severities,
  });
  const d = shown(destination);
  if (values.format === 'json') {
    io.out(JSON.stringify({ ...d, tenantId: destination.tenantId, ...(signingSecret ? { signingSecret } : {}) }));
    return 0;
  }
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

/** `caracal destinations list --tenant T`: URLs shown without their secret parts. */
export function destinationsList(config: CaracalConfig, values: Format & { tenant: string }, io: CliIo): number {
  const tenant = values.tenant;
  const format = values.format;
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
