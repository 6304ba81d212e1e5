import type { Source__Output } from '@caracal/api';
import { CaracalConfig, CaracalError } from '@caracal/core';
import { flagParser, runSubcommand, time, usageError, withClient } from './api-command-support';
import { checkFormat, CliIo, formatTable } from './cli-output';
import { authModeName, parseAuthMode, parsePreviousValid, parseRateLimit } from './source-cli-flags';

export const SOURCES_USAGE = `usage:
  caracal sources create --log-type Panther.Audit [--id <start of the id>] [--label <text>]
                         [--auth shared-secret|hmac-sha256|bearer] [--header <name>] [--rate-limit <requests per second>]
      (the server makes the id: the start given, default "src", and a random end; senders use the id it prints)
  caracal sources rotate <id> [--previous-valid <seconds or duration, e.g. 24h; 0 refuses the old secret at once>]
  caracal sources list [--format table|json]
  caracal sources delete <id>`;

const flags = flagParser('sources', SOURCES_USAGE);

/** What a sender of `source` puts on each request, with `<secret>` standing for the secret. */
export function sendingHelp(source: Pick<Source__Output, 'sourceId' | 'authMode' | 'authHeader'>): string[] {
  const url = `<ingest URL>/http/${source.sourceId}`;
  switch (authModeName(source.authMode)) {
    case 'bearer':
      return [`Senders POST events to ${url} with the header`, '  Authorization: Bearer <secret>'];
    case 'hmac-sha256':
      return [
        `Senders POST events to ${url}, signing each body with the secret as HMAC-SHA256 key, in the header`,
        `  ${source.authHeader}: sha256=<hex HMAC-SHA256 of the body bytes as sent, compressed if they are>`,
        'for example, with the secret in $SECRET:',
        `  sig=$(openssl dgst -sha256 -hmac "$SECRET" < events.ndjson | sed 's/^.* //')`,
        `  curl --data-binary @events.ndjson -H "${source.authHeader}: sha256=$sig" ${url}`,
      ];
    default:
      return [`Senders POST events to ${url} with the header`, `  ${source.authHeader}: <secret>`];
  }
}

function rateLimit(s: Source__Output): string {
  return s.rateLimitPerSecond > 0 ? `${s.rateLimitPerSecond}/s` : 'default';
}

export function jsonRow(s: Source__Output) {
  return {
    sourceId: s.sourceId,
    label: s.label,
    logType: s.logType,
    authMode: authModeName(s.authMode),
    authHeader: s.authHeader,
    rateLimitPerSecond: s.rateLimitPerSecond > 0 ? s.rateLimitPerSecond : null,
    secrets: s.secrets.map((x) => ({ secretId: x.secretId, createdTime: time(x.createdTime), expireTime: time(x.expireTime) || null })),
    createdTime: time(s.createdTime),
  };
}

/** One line per secret, so that a rotation in progress shows both; the source's columns only on its first. */
export function tableRows(sources: Source__Output[], now = new Date()): Record<string, string>[] {
  return sources.flatMap((s) => {
    const source = { sourceId: s.sourceId, label: s.label, logType: s.logType, auth: authModeName(s.authMode), header: s.authHeader, rateLimit: rateLimit(s) };
    const secrets = s.secrets.length > 0 ? s.secrets : [undefined];
    return secrets.map((x, i) => {
      const expires = x ? time(x.expireTime) : '';
      return {
        ...(i === 0 ? source : {}),
        secretId: x?.secretId ?? '(none)',
        secretCreated: x ? time(x.createdTime) : '',
        secretExpires: expires && Date.parse(expires) <= now.getTime() ? `${expires} (expired)` : expires,
      };
    });
  });
}

const TABLE_COLUMNS = ['sourceId', 'label', 'logType', 'auth', 'header', 'rateLimit', 'secretId', 'secretCreated', 'secretExpires'];

function required(name: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw usageError(`sources create needs --${name}`, SOURCES_USAGE);
  return value;
}

async function create(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('create', args, {
    id: { type: 'string' },
    'log-type': { type: 'string' },
    label: { type: 'string' },
    auth: { type: 'string' },
    header: { type: 'string' },
    'rate-limit': { type: 'string' },
  } as const);
  if (positionals.length > 0) throw usageError(`sources create takes no arguments, got "${positionals[0]}"`, SOURCES_USAGE);
  const request = {
    // What the id starts with; the server adds a random end, so the id is only known from its answer.
    sourceId: values.id ?? '',
    logType: required('log-type', values['log-type']),
    // Empty fields take the server's defaults (the id's start as label, the mode's header, the installation's rate limit).
    label: values.label ?? '',
    authMode: parseAuthMode(values.auth),
    authHeader: values.header ?? '',
    rateLimitPerSecond: parseRateLimit(values['rate-limit']),
  };
  const res = await withClient(config, values, (c) => c.createSource(request));
  const s = res.source;
  if (!s) throw new CaracalError('INTERNAL', 'the server answered without the source');
  io.out(
    [
      `source "${s.sourceId}" created: ${s.logType}, label "${s.label}", auth ${authModeName(s.authMode)}, rate limit ${rateLimit(s)}`,
      '',
      `Secret ${s.secrets[0]?.secretId ?? ''} (shown only now; it cannot be shown again, so keep it with the sender):`,
      `  ${res.secret}`,
      ...sendingHelp(s),
      `Replace it with "caracal sources rotate ${s.sourceId}".`,
    ].join('\n'),
  );
  return 0;
}

async function rotate(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('rotate', args, { 'previous-valid': { type: 'string' } } as const);
  if (positionals.length !== 1 || positionals[0] === '') throw usageError('sources rotate takes one source id', SOURCES_USAGE);
  const previousValidSeconds = parsePreviousValid(values['previous-valid']);
  const sourceId = positionals[0];
  const res = await withClient(config, values, (c) => c.rotateSourceSecret({ sourceId, ...(previousValidSeconds === undefined ? {} : { previousValidSeconds }) }));
  const s = res.source;
  if (!s) throw new CaracalError('INTERNAL', 'the server answered without the source');
  const [current, previous] = s.secrets;
  io.out(
    [
      `source "${s.sourceId}" has a new secret ${current?.secretId ?? ''} (shown only now; it cannot be shown again, so keep it with the sender):`,
      `  ${res.secret}`,
      previous
        ? `The previous secret ${previous.secretId} stays valid until ${time(previous.expireTime)}; move the senders over before then.`
        : 'The previous secret is refused from now on.',
      'Every ingest process accepts the new secret within a second.',
      ...sendingHelp(s),
    ].join('\n'),
  );
  return 0;
}

async function list(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('list', args, { format: { type: 'string', default: 'table' } } as const);
  if (positionals.length > 0) throw usageError(`sources list takes no arguments, got "${positionals[0]}"`, SOURCES_USAGE);
  const format = checkFormat(values.format);
  const sources = await withClient(config, values, (c) => c.listSources());
  if (format === 'json') io.out(JSON.stringify(sources.map(jsonRow)));
  else io.out(`${formatTable(TABLE_COLUMNS, tableRows(sources))}\n(${sources.length} sources)`);
  return 0;
}

async function remove(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('delete', args, {});
  if (positionals.length !== 1 || positionals[0] === '') throw usageError('sources delete takes one source id', SOURCES_USAGE);
  await withClient(config, values, (c) => c.deleteSource(positionals[0]));
  io.out(`source ${positionals[0]} deleted; its secret is refused from now on`);
  return 0;
}

/** `caracal sources <create|rotate|list|delete>`: the tenant's ingest sources (needs an admin token). */
export function sourcesCommand(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  return runSubcommand('sources', SOURCES_USAGE, { create, rotate, list, delete: remove }, config, args, io);
}
