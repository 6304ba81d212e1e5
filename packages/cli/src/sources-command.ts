import type { Source__Output } from '@caracal/api';
import { CaracalConfig, CaracalError } from '@caracal/core';
import { flagParser, runSubcommand, time, usageError, withClient } from './api-command-support';
import { checkFormat, CliIo, formatTable } from './cli-output';
import {
  authModeName,
  parseAuthMode,
  parsePreviousValid,
  parseRateLimit,
  parseSaslMechanism,
  parseTransport,
  readSecretFile,
  saslMechanismName,
  transportName,
} from './source-cli-flags';

export const SOURCES_USAGE = `usage:
  caracal sources create --log-type Panther.Audit [--id <start of the id>] [--label <text>]
                         [--auth shared-secret|hmac-sha256|bearer] [--header <name>] [--rate-limit <requests per second>]
      (the server makes the id: the start given, default "src", and a random end; senders use the id it prints)
  caracal sources create --log-type AWS.CloudTrail --transport s3 --bucket <bucket> [--prefix <key prefix>]
                         [--region <region, default us-east-1>] [--endpoint <http(s) URL of an S3-compatible server>]
                         [--virtual-hosted-style] --access-key-id <id> --secret-access-key-file <file, - for stdin> [--id ...] [--label ...]
      (Caracal reads each new object: gzip or plain; NDJSON, a JSON array or CloudTrail's {"Records": [...]};
       an http(s) URL in --endpoint, or --s3-endpoint, is the S3 server's, not the API's host:port;
       with it the bucket goes in the path unless --virtual-hosted-style)
  caracal sources create --log-type Panther.Audit --transport kafka --brokers <host:port>[,<host:port>...] --topic <topic>
                         [--tls] [--sasl-mechanism plain|scram-sha-256|scram-sha-512 --sasl-username <name>
                         --sasl-password-file <file, - for stdin>] [--id ...] [--label ...]
      (Caracal reads the topic in the consumer group caracal-source-<id>: each message one event, NDJSON or a JSON array)
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

/** Where a pull source reads, in one line; never a secret (the server lists none). */
export function pullSettings(s: Source__Output): string {
  if (s.s3) {
    const parts = [`region ${s.s3.region}`, ...(s.s3.endpoint ? [`endpoint ${s.s3.endpoint}${s.s3.forcePathStyle ? ' (path style)' : ''}`] : []), `access key ${s.s3.accessKeyId}`];
    return `s3://${s.s3.bucket}/${s.s3.prefix} (${parts.join(', ')})`;
  }
  if (s.kafka) {
    const sasl = saslMechanismName(s.kafka.saslMechanism);
    const parts = [...(s.kafka.tls ? ['tls'] : []), ...(sasl ? [`sasl ${sasl} as ${s.kafka.saslUsername}`] : [])];
    return `topic ${s.kafka.topic} on ${s.kafka.brokers.join(',')}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
  }
  return '';
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
    transport: transportName(s.transport),
    ...(s.s3
      ? { s3: { bucket: s.s3.bucket, prefix: s.s3.prefix, region: s.s3.region, endpoint: s.s3.endpoint || null, forcePathStyle: s.s3.forcePathStyle, accessKeyId: s.s3.accessKeyId } }
      : {}),
    ...(s.kafka
      ? { kafka: { brokers: s.kafka.brokers, topic: s.kafka.topic, tls: s.kafka.tls, saslMechanism: saslMechanismName(s.kafka.saslMechanism) ?? null, saslUsername: s.kafka.saslUsername || null } }
      : {}),
    secrets: s.secrets.map((x) => ({ secretId: x.secretId, createdTime: time(x.createdTime), expireTime: time(x.expireTime) || null })),
    createdTime: time(s.createdTime),
  };
}

/** One line per secret, so that a rotation in progress shows both; the source's columns only on its first. A pull source has one line, and where it reads. */
export function tableRows(sources: Source__Output[], now = new Date()): Record<string, string>[] {
  return sources.flatMap((s): Record<string, string>[] => {
    const transport = transportName(s.transport);
    if (transport !== 'http') return [{ sourceId: s.sourceId, label: s.label, logType: s.logType, transport, settings: pullSettings(s) }];
    const source = { sourceId: s.sourceId, label: s.label, logType: s.logType, transport, auth: authModeName(s.authMode), header: s.authHeader, rateLimit: rateLimit(s) };
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

const TABLE_COLUMNS = ['sourceId', 'label', 'logType', 'transport', 'settings', 'auth', 'header', 'rateLimit', 'secretId', 'secretCreated', 'secretExpires'];

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
    transport: { type: 'string' },
    bucket: { type: 'string' },
    prefix: { type: 'string' },
    region: { type: 'string' },
    's3-endpoint': { type: 'string' },
    'virtual-hosted-style': { type: 'boolean' },
    'access-key-id': { type: 'string' },
    'secret-access-key-file': { type: 'string' },
    brokers: { type: 'string' },
    topic: { type: 'string' },
    tls: { type: 'boolean' },
    'sasl-mechanism': { type: 'string' },
    'sasl-username': { type: 'string' },
    'sasl-password-file': { type: 'string' },
  } as const);
  if (positionals.length > 0) throw usageError(`sources create takes no arguments, got "${positionals[0]}"`, SOURCES_USAGE);
  const transport = parseTransport(values.transport);
  const name = transportName(transport);
  // A flag of another transport is a mistake in the command, not something to drop quietly.
  const s3Flags = ['bucket', 'prefix', 'region', 'virtual-hosted-style', 'access-key-id', 'secret-access-key-file'] as const;
  const kafkaFlags = ['brokers', 'topic', 'tls', 'sasl-mechanism', 'sasl-username', 'sasl-password-file'] as const;
  const httpFlags = ['auth', 'header', 'rate-limit'] as const;
  const misplaced = [
    ...(name === 's3' ? [] : s3Flags.filter((f) => values[f] !== undefined).map((f) => [f, 's3'])),
    ...(name === 'kafka' ? [] : kafkaFlags.filter((f) => values[f] !== undefined).map((f) => [f, 'kafka'])),
    ...(name === 'http' ? [] : httpFlags.filter((f) => values[f] !== undefined).map((f) => [f, 'http'])),
  ];
  if (misplaced.length > 0) throw usageError(`--${misplaced[0][0]} is for --transport ${misplaced[0][1]} sources only`, SOURCES_USAGE);
  // --endpoint is the API's host:port for every command. An http(s) URL is never that, so with
  // --transport s3 it names the S3-compatible server (as --s3-endpoint does) and not the API.
  const endpointIsS3 = name === 's3' && values.endpoint !== undefined && /^https?:\/\//i.test(values.endpoint);
  if (values['s3-endpoint'] !== undefined && endpointIsS3) throw usageError('give the S3 endpoint once: --s3-endpoint or an http(s) URL in --endpoint', SOURCES_USAGE);
  if (values['s3-endpoint'] !== undefined && name !== 's3') throw usageError('--s3-endpoint is for --transport s3 sources only', SOURCES_USAGE);
  const s3Endpoint = endpointIsS3 ? values.endpoint : values['s3-endpoint'];
  const api = { token: values.token, endpoint: endpointIsS3 ? undefined : values.endpoint };
  const request = {
    // What the id starts with; the server adds a random end, so the id is only known from its answer.
    sourceId: values.id ?? '',
    logType: required('log-type', values['log-type']),
    // Empty fields take the server's defaults (the id's start as label, the mode's header, the installation's rate limit).
    label: values.label ?? '',
    authMode: parseAuthMode(values.auth),
    authHeader: values.header ?? '',
    rateLimitPerSecond: parseRateLimit(values['rate-limit']),
    transport,
    ...(name === 's3'
      ? {
          s3: {
            bucket: required('bucket', values.bucket),
            prefix: values.prefix ?? '',
            region: values.region ?? '',
            endpoint: s3Endpoint ?? '',
            // Most S3-compatible servers want the bucket in the path; AWS's own endpoints take either.
            forcePathStyle: s3Endpoint !== undefined && !values['virtual-hosted-style'],
            accessKeyId: required('access-key-id', values['access-key-id']),
            secretAccessKey: readSecretFile('--secret-access-key-file', required('secret-access-key-file', values['secret-access-key-file'])) ?? '',
          },
        }
      : {}),
    ...(name === 'kafka'
      ? {
          kafka: {
            brokers: required('brokers', values.brokers).split(',').map((b) => b.trim()).filter((b) => b !== ''),
            topic: required('topic', values.topic),
            tls: values.tls ?? false,
            saslMechanism: parseSaslMechanism(values['sasl-mechanism']),
            saslUsername: values['sasl-username'] ?? '',
            saslPassword: readSecretFile('--sasl-password-file', values['sasl-password-file']) ?? '',
          },
        }
      : {}),
  };
  const res = await withClient(config, api, (c) => c.createSource(request));
  const s = res.source;
  if (!s) throw new CaracalError('INTERNAL', 'the server answered without the source');
  if (name !== 'http') {
    io.out(
      [
        `source "${s.sourceId}" created: ${s.logType}, label "${s.label}", transport ${transportName(s.transport)}`,
        `Caracal reads ${pullSettings(s)}${name === 'kafka' ? ` in the consumer group caracal-source-${s.sourceId}` : ''};`,
        'every ingest process starts within seconds. Refused events and unreadable inputs are kept in panther_monitor.ingest_rejections.',
      ].join('\n'),
    );
    return 0;
  }
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
