import type { Source__Output } from '@caracal/api';
import { CaracalConfig } from '@caracal/core';
import { flagParser, runSubcommand, time, usageError, withClient } from './api-command-support';
import { checkFormat, CliIo, formatTable } from './cli-output';

export const SOURCES_USAGE = `usage:
  caracal sources create --id <id> --log-type Panther.Audit [--label <text>] [--secret-header <name>]
  caracal sources list [--format table|json]
  caracal sources delete <id>`;

const flags = flagParser('sources', SOURCES_USAGE);

function row(s: Source__Output) {
  return { sourceId: s.sourceId, label: s.label, logType: s.logType, secretHeader: s.secretHeader, createdTime: time(s.createdTime) };
}

function required(name: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw usageError(`sources create needs --${name}`, SOURCES_USAGE);
  return value;
}

async function create(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('create', args, {
    id: { type: 'string' },
    'log-type': { type: 'string' },
    label: { type: 'string' },
    'secret-header': { type: 'string' },
  } as const);
  if (positionals.length > 0) throw usageError(`sources create takes no arguments, got "${positionals[0]}"`, SOURCES_USAGE);
  const request = {
    sourceId: required('id', values.id),
    logType: required('log-type', values['log-type']),
    // Empty fields take the server's defaults (the id as label, x-caracal-secret).
    label: values.label ?? '',
    secretHeader: values['secret-header'] ?? '',
  };
  const res = await withClient(config, values, (c) => c.createSource(request));
  const s = res.source;
  const header = s?.secretHeader || values['secret-header'] || 'x-caracal-secret';
  io.out(
    [
      `source "${s?.sourceId ?? request.sourceId}" created: ${s?.logType ?? request.logType}, label "${s?.label ?? request.label}"`,
      '',
      'Secret (shown only now; it cannot be shown again, so keep it with the sender):',
      `  ${res.secret}`,
      `Senders POST events to <ingest URL>/http/${s?.sourceId ?? request.sourceId} with the header`,
      `  ${header}: <secret>`,
    ].join('\n'),
  );
  return 0;
}

async function list(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('list', args, { format: { type: 'string', default: 'table' } } as const);
  if (positionals.length > 0) throw usageError(`sources list takes no arguments, got "${positionals[0]}"`, SOURCES_USAGE);
  const format = checkFormat(values.format);
  const rows = (await withClient(config, values, (c) => c.listSources())).map(row);
  if (format === 'json') io.out(JSON.stringify(rows));
  else io.out(`${formatTable(['sourceId', 'label', 'logType', 'secretHeader', 'createdTime'], rows)}\n(${rows.length} sources)`);
  return 0;
}

async function remove(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('delete', args, {});
  if (positionals.length !== 1 || positionals[0] === '') throw usageError('sources delete takes one source id', SOURCES_USAGE);
  await withClient(config, values, (c) => c.deleteSource(positionals[0]));
  io.out(`source ${positionals[0]} deleted; its secret is refused from now on`);
  return 0;
}

/** `caracal sources <create|list|delete>`: the tenant's ingest sources (needs an admin token). */
export function sourcesCommand(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  return runSubcommand('sources', SOURCES_USAGE, { create, list, delete: remove }, config, args, io);
}
