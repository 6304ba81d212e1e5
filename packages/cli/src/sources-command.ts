import type { Source__Output } from '@caracal/api';
import { CaracalConfig, CaracalError } from '@caracal/core';
import { ApiFlags, time, withClient } from './api-command-support';
import { CliIo, formatTable } from './cli-output';
import type { SourceTransport as SourceTransportName } from '@caracal/core/control-plane';
import {
  authModeName,
  parseAuthMode,
  parseSaslMechanism,
  parseTransport,
  readSecretFile,
  saslMechanismName,
  transportName,
} from './source-cli-flags';

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
  if (value === undefined || value.trim() === '') throw new CaracalError('INVALID_ARGUMENT', `sources create needs --${name}`);
  return value;
}

type Format = { format: 'table' | 'json' };

/** The flags of `sources create`, as commander names them. */
export interface SourcesCreateOptions extends ApiFlags, Format {
  id?: string;
  logType: string;
  label?: string;
  auth?: string;
  header?: string;
  rateLimit?: number;
  transport?: string;
  bucket?: string;
  prefix?: string;
  region?: string;
  s3Endpoint?: string;
  virtualHostedStyle?: boolean;
  accessKeyId?: string;
  secretAccessKeyFile?: string;
  brokers?: string;
  topic?: string;
  tls?: boolean;
  saslMechanism?: string;
  saslUsername?: string;
  saslPasswordFile?: string;
}

/** `caracal sources create`: an HTTP source's secret is printed once; a pull source starts reading within seconds. */
export async function sourcesCreate(config: CaracalConfig, o: SourcesCreateOptions, io: CliIo): Promise<number> {
  const transport = parseTransport(o.transport);
  const name = transportName(transport);
  // A flag of another transport is a mistake in the command, not something to drop quietly.
  const byTransport: [string, unknown, SourceTransportName][] = [
    ['bucket', o.bucket, 's3'], ['prefix', o.prefix, 's3'], ['region', o.region, 's3'], ['virtual-hosted-style', o.virtualHostedStyle, 's3'],
    ['access-key-id', o.accessKeyId, 's3'], ['secret-access-key-file', o.secretAccessKeyFile, 's3'], ['s3-endpoint', o.s3Endpoint, 's3'],
    ['brokers', o.brokers, 'kafka'], ['topic', o.topic, 'kafka'], ['tls', o.tls, 'kafka'], ['sasl-mechanism', o.saslMechanism, 'kafka'],
    ['sasl-username', o.saslUsername, 'kafka'], ['sasl-password-file', o.saslPasswordFile, 'kafka'],
    ['auth', o.auth, 'http'], ['header', o.header, 'http'], ['rate-limit', o.rateLimit, 'http'],
  ];
  const misplaced = byTransport.find(([, value, t]) => value !== undefined && t !== name);
  if (misplaced) throw new CaracalError('INVALID_ARGUMENT', `--${misplaced[0]} is for --transport ${misplaced[2]} sources only`);
  // --endpoint is the API's host:port for every command. An http(s) URL is never that, so with
  // --transport s3 it names the S3-compatible server (as --s3-endpoint does) and not the API.
  const endpointIsS3 = name === 's3' && o.endpoint !== undefined && /^https?:\/\//i.test(o.endpoint);
  if (o.s3Endpoint !== undefined && endpointIsS3) throw new CaracalError('INVALID_ARGUMENT', 'give the S3 endpoint once: --s3-endpoint or an http(s) URL in --endpoint');
  const s3Endpoint = endpointIsS3 ? o.endpoint : o.s3Endpoint;
  const api = { token: o.token, endpoint: endpointIsS3 ? undefined : o.endpoint };
  const request = {
    // What the id starts with; the server adds a random end, so the id is only known from its answer.
    sourceId: o.id ?? '',
    logType: required('log-type', o.logType),
    // Empty fields take the server's defaults (the id's start as label, the mode's header, the installation's rate limit).
    label: o.label ?? '',
    authMode: parseAuthMode(o.auth),
    authHeader: o.header ?? '',
    rateLimitPerSecond: o.rateLimit ?? 0,
    transport,
    ...(name === 's3'
      ? {
          s3: {
            bucket: required('bucket', o.bucket),
            prefix: o.prefix ?? '',
            region: o.region ?? '',
            endpoint: s3Endpoint ?? '',
            // Most S3-compatible servers want the bucket in the path; AWS's own endpoints take either.
            forcePathStyle: s3Endpoint !== undefined && !o.virtualHostedStyle,
            accessKeyId: required('access-key-id', o.accessKeyId),
            secretAccessKey: readSecretFile('--secret-access-key-file', required('secret-access-key-file', o.secretAccessKeyFile)) ?? '',
          },
        }
      : {}),
    ...(name === 'kafka'
      ? {
          kafka: {
            brokers: required('brokers', o.brokers).split(',').map((b) => b.trim()).filter((b) => b !== ''),
            topic: required('topic', o.topic),
            tls: o.tls ?? false,
            saslMechanism: parseSaslMechanism(o.saslMechanism),
            saslUsername: o.saslUsername ?? '',
            saslPassword: readSecretFile('--sasl-password-file', o.saslPasswordFile) ?? '',
          },
        }
      : {}),
  };
  const res = await withClient(config, api, (c) => c.createSource(request));
  const s = res.source;
  if (!s) throw new CaracalError('INTERNAL', 'the server answered without the source');
  if (o.format === 'json') {
    io.out(JSON.stringify({ source: jsonRow(s), ...(name === 'http' ? { secret: res.secret } : {}) }));
    return 0;
  }
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

/** `caracal sources rotate <id>`: the new secret is printed once. */
export async function sourcesRotate(config: CaracalConfig, sourceId: string, values: ApiFlags & Format & { previousValid?: number }, io: CliIo): Promise<number> {
  if (sourceId === '') throw new CaracalError('INVALID_ARGUMENT', 'sources rotate needs a source id that is not empty');
  const previousValidSeconds = values.previousValid;
  const res = await withClient(config, values, (c) => c.rotateSourceSecret({ sourceId, ...(previousValidSeconds === undefined ? {} : { previousValidSeconds }) }));
  const s = res.source;
  if (!s) throw new CaracalError('INTERNAL', 'the server answered without the source');
  const [current, previous] = s.secrets;
  if (values.format === 'json') {
    io.out(JSON.stringify({ source: jsonRow(s), secret: res.secret }));
    return 0;
  }
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

/** `caracal sources list`: never a secret, only their ids and expiry. */
export async function sourcesList(config: CaracalConfig, values: ApiFlags & Format, io: CliIo): Promise<number> {
  const sources = await withClient(config, values, (c) => c.listSources());
  if (values.format === 'json') io.out(JSON.stringify(sources.map(jsonRow)));
  else io.out(`${formatTable(TABLE_COLUMNS, tableRows(sources))}\n(${sources.length} sources)`);
  return 0;
}

/** `caracal sources delete <id>`. */
export async function sourcesDelete(config: CaracalConfig, sourceId: string, values: ApiFlags & Format, io: CliIo): Promise<number> {
  if (sourceId === '') throw new CaracalError('INVALID_ARGUMENT', 'sources delete needs a source id that is not empty');
  await withClient(config, values, (c) => c.deleteSource(sourceId));
  io.out(values.format === 'json' ? JSON.stringify({ sourceId, deleted: true }) : `source ${sourceId} deleted; its secret is refused from now on`);
  return 0;
}
