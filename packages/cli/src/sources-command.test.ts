import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import type { Source__Output } from '@caracal/api';
import { argumentChecks } from './cli-test-support';
import { readSecretFile } from './source-cli-flags';
import { jsonRow, sendingHelp, tableRows } from './sources-command';

const { run, refused } = argumentChecks('sources');

test('sources arguments are checked before any call', async () => {
  await refused(['create', '--id', 'okta'], /^required option '--log-type <LogType>' not specified/);
  await refused(['create', '--id', 'okta', '--log-type', 'Panther.Audit', '--secret-header', 'x'], /^unknown option '--secret-header'/);
  await refused(['create', 'okta', '--log-type', 'Panther.Audit'], /^too many arguments for 'create'/);
  await refused(['create', '--id', 'okta', '--log-type', 'Panther.Audit', '--auth', 'basic'], /argument 'basic' is invalid\. Allowed choices are shared-secret, hmac-sha256, bearer/);
  await refused(['create', '--id', 'okta', '--log-type', 'Panther.Audit', '--rate-limit', '0'], /^option '--rate-limit <n>' argument '0' is invalid\. --rate-limit must be a whole number of requests per second from 1 to 100000, got "0"/);
  await refused(['create', '--id', 'okta', '--log-type', 'Panther.Audit', '--rate-limit', 'fast'], /--rate-limit must be a whole number/);
  await refused(['create', '--id', 'okta', '--log-type', 'Panther.Audit', '--rate-limit', '100001'], /--rate-limit must be/);
  await refused(['rotate'], /^missing required argument 'sourceId'/);
  await refused(['rotate', 'okta', 'extra'], /^too many arguments for 'rotate'/);
  await refused(['rotate', 'okta', '--previous-valid', '1w'], /--previous-valid must be seconds or a duration such as 24h/);
  await refused(['rotate', 'okta', '--previous-valid=-5'], /--previous-valid must be seconds or a duration/);
  await refused(['rotate', 'okta', '--previous-valid', '31d'], /--previous-valid must be at most 30d/);
  await refused(['rotate', 'okta', '--grace', '1h'], /^unknown option '--grace'/);
  await refused(['list', '--format', 'yaml'], /Allowed choices are table, json/);
  await refused(['delete'], /^missing required argument 'sourceId'/);
  await refused(['rm', 'okta'], /^unknown command 'rm'/);
});

test('with valid arguments and no credentials, the command says how to give them', async () => {
  const needsCredentials = (err: Error) => (err as { code?: string }).code === 'UNAUTHENTICATED' && /--endpoint and --token/.test(err.message);
  await assert.rejects(run(['list']), needsCredentials);
  const create = ['create', '--id', 'okta', '--log-type', 'Panther.Audit', '--auth', 'bearer', '--header', 'authorization', '--rate-limit', '250'];
  await assert.rejects(run(create), needsCredentials);
  // The id is the server's to make: without --id it starts with "src".
  await assert.rejects(run(['create', '--log-type', 'Panther.Audit']), needsCredentials);
  await assert.rejects(run(['rotate', 'okta', '--previous-valid', '0']), needsCredentials);
  await assert.rejects(run(['rotate', 'okta', '--previous-valid', '1h30m']), needsCredentials);
});

const ts = (iso: string) => ({ seconds: String(Date.parse(iso) / 1000), nanos: 0 });

const rotating: Source__Output = {
  sourceId: 'okta',
  label: 'Okta',
  logType: 'Panther.Audit',
  authMode: 'SOURCE_AUTH_MODE_HMAC_SHA256',
  authHeader: 'x-caracal-signature-256',
  rateLimitPerSecond: 0,
  createdTime: ts('2026-01-01T00:00:00Z'),
  transport: 'SOURCE_TRANSPORT_HTTP',
  s3: null,
  kafka: null,
  secrets: [
    { secretId: 'bbbb2222', createdTime: ts('2026-02-01T00:00:00Z'), expireTime: null },
    { secretId: 'aaaa1111', createdTime: ts('2026-01-01T00:00:00Z'), expireTime: ts('2026-02-02T00:00:00Z') },
  ],
};

test('list shows each secret of a source on its own line, with the auth mode, header and rate limit', () => {
  const bearer: Source__Output = { ...rotating, sourceId: 'hooks', authMode: 'SOURCE_AUTH_MODE_BEARER', authHeader: 'authorization', rateLimitPerSecond: 50, secrets: [rotating.secrets[0]] };
  assert.deepEqual(tableRows([rotating, bearer], new Date('2026-02-01T12:00:00Z')), [
    { sourceId: 'okta', label: 'Okta', logType: 'Panther.Audit', transport: 'http', auth: 'hmac-sha256', header: 'x-caracal-signature-256', rateLimit: 'default', secretId: 'bbbb2222', secretCreated: '2026-02-01T00:00:00.000Z', secretExpires: '' },
    { secretId: 'aaaa1111', secretCreated: '2026-01-01T00:00:00.000Z', secretExpires: '2026-02-02T00:00:00.000Z' },
    { sourceId: 'hooks', label: 'Okta', logType: 'Panther.Audit', transport: 'http', auth: 'bearer', header: 'authorization', rateLimit: '50/s', secretId: 'bbbb2222', secretCreated: '2026-02-01T00:00:00.000Z', secretExpires: '' },
  ]);
  assert.equal(tableRows([rotating], new Date('2026-03-01T00:00:00Z'))[1].secretExpires, '2026-02-02T00:00:00.000Z (expired)');
  assert.deepEqual(jsonRow(rotating).secrets, [
    { secretId: 'bbbb2222', createdTime: '2026-02-01T00:00:00.000Z', expireTime: null },
    { secretId: 'aaaa1111', createdTime: '2026-01-01T00:00:00.000Z', expireTime: '2026-02-02T00:00:00.000Z' },
  ]);
  assert.equal(jsonRow(rotating).rateLimitPerSecond, null);
});

test('the sending help says which header to set, and for HMAC how to sign', () => {
  assert.deepEqual(sendingHelp({ ...rotating, authMode: 'SOURCE_AUTH_MODE_SHARED_SECRET', authHeader: 'x-okta-secret' }).slice(1), ['  x-okta-secret: <secret>']);
  assert.deepEqual(sendingHelp({ ...rotating, authMode: 'SOURCE_AUTH_MODE_BEARER', authHeader: 'authorization' }).slice(1), ['  Authorization: Bearer <secret>']);
  const hmac = sendingHelp(rotating).join('\n');
  assert.match(hmac, /x-caracal-signature-256: sha256=<hex HMAC-SHA256 of the body bytes as sent/);
  assert.match(hmac, /openssl dgst -sha256 -hmac "\$SECRET"/);
  assert.match(hmac, /curl --data-binary @events.ndjson -H "x-caracal-signature-256: sha256=\$sig" <ingest URL>\/http\/okta/);
});

test('pull source arguments are checked before any call: each transport takes its own flags, secrets only from files', async () => {
  const { dir } = argumentChecks('sources');
  const secretFile = `${dir}/secret`;
  fs.writeFileSync(secretFile, 'wJalrSECRET\n');
  const s3 = ['create', '--log-type', 'Panther.Audit', '--transport', 's3'];
  await refused(['create', '--log-type', 'Panther.Audit', '--transport', 'sqs'], /argument 'sqs' is invalid\. Allowed choices are http, s3, kafka/);
  await refused([...s3, '--access-key-id', 'id', '--secret-access-key-file', secretFile], /^sources create needs --bucket/);
  await refused([...s3, '--bucket', 'b', '--secret-access-key-file', secretFile], /^sources create needs --access-key-id/);
  await refused([...s3, '--bucket', 'b', '--access-key-id', 'id'], /^sources create needs --secret-access-key-file/);
  await refused([...s3, '--bucket', 'b', '--access-key-id', 'id', '--secret-access-key-file', `${dir}/missing`], /^--secret-access-key-file: cannot read/);
  await refused([...s3, '--bucket', 'b', '--access-key-id', 'id', '--secret-access-key', 'x'], /unknown option '--secret-access-key'/);
  await refused([...s3, '--bucket', 'b', '--topic', 't'], /^--topic is for --transport kafka sources only/);
  await refused([...s3, '--bucket', 'b', '--auth', 'bearer'], /^--auth is for --transport http sources only/);
  await refused(['create', '--log-type', 'Panther.Audit', '--bucket', 'b'], /^--bucket is for --transport s3 sources only/);
  await refused(['create', '--log-type', 'Panther.Audit', '--s3-endpoint', 'http://minio:9000'], /^--s3-endpoint is for --transport s3 sources only/);
  await refused([...s3, '--bucket', 'b', '--endpoint', 'http://minio:9000', '--s3-endpoint', 'http://minio:9000'], /^give the S3 endpoint once/);
  const kafka = ['create', '--log-type', 'Panther.Audit', '--transport', 'kafka'];
  await refused([...kafka, '--topic', 't'], /^sources create needs --brokers/);
  await refused([...kafka, '--brokers', 'k:9092'], /^sources create needs --topic/);
  await refused([...kafka, '--brokers', 'k:9092', '--topic', 't', '--sasl-mechanism', 'gssapi'], /argument 'gssapi' is invalid\. Allowed choices are plain, scram-sha-256, scram-sha-512/);
  await refused([...kafka, '--brokers', 'k:9092', '--topic', 't', '--rate-limit', '5'], /^--rate-limit is for --transport http sources only/);
  // Valid: the call is made, and fails for want of credentials (an http(s) --endpoint is the S3 server's, not the API's).
  const needsCredentials = (err: Error) => (err as { code?: string }).code === 'UNAUTHENTICATED';
  await assert.rejects(run([...s3, '--bucket', 'b', '--endpoint', 'http://127.0.0.1:9000', '--access-key-id', 'id', '--secret-access-key-file', secretFile]), needsCredentials);
  await assert.rejects(run([...kafka, '--brokers', 'k1:9092,k2:9092', '--topic', 't', '--tls', '--sasl-mechanism', 'plain', '--sasl-username', 'u', '--sasl-password-file', secretFile]), needsCredentials);
});

test('a secret file loses its final line break; - reads standard input', () => {
  assert.equal(readSecretFile('--x', '-', () => 'from-stdin\r\n'), 'from-stdin');
  assert.equal(readSecretFile('--x', undefined), undefined);
  assert.throws(() => readSecretFile('--x', '-', () => '\n'), /--x: "-" is empty/);
});

test('list shows a pull source on one line with where it reads, and no secret', () => {
  const s3: Source__Output = {
    ...rotating,
    sourceId: 'trail-1',
    transport: 'SOURCE_TRANSPORT_S3',
    secrets: [],
    s3: { bucket: 'acme-trail', prefix: 'AWSLogs/', region: 'us-east-1', endpoint: 'http://minio:9000', forcePathStyle: true, accessKeyId: 'AKIAEXAMPLE', secretAccessKey: '' },
  };
  const kafka: Source__Output = {
    ...rotating,
    sourceId: 'okta-1',
    transport: 'SOURCE_TRANSPORT_KAFKA',
    secrets: [],
    kafka: { brokers: ['k1:9092', 'k2:9092'], topic: 'okta', tls: true, saslMechanism: 'KAFKA_SASL_MECHANISM_SCRAM_SHA_512', saslUsername: 'caracal', saslPassword: '' },
  };
  assert.deepEqual(tableRows([s3, kafka]), [
    { sourceId: 'trail-1', label: 'Okta', logType: 'Panther.Audit', transport: 's3', settings: 's3://acme-trail/AWSLogs/ (region us-east-1, endpoint http://minio:9000 (path style), access key AKIAEXAMPLE)' },
    { sourceId: 'okta-1', label: 'Okta', logType: 'Panther.Audit', transport: 'kafka', settings: 'topic okta on k1:9092,k2:9092 (tls, sasl scram-sha-512 as caracal)' },
  ]);
  assert.deepEqual(jsonRow(s3).s3, { bucket: 'acme-trail', prefix: 'AWSLogs/', region: 'us-east-1', endpoint: 'http://minio:9000', forcePathStyle: true, accessKeyId: 'AKIAEXAMPLE' });
  assert.equal(jsonRow(kafka).transport, 'kafka');
  assert.deepEqual(jsonRow(kafka).kafka, { brokers: ['k1:9092', 'k2:9092'], topic: 'okta', tls: true, saslMechanism: 'scram-sha-512', saslUsername: 'caracal' });
  assert.equal(jsonRow(rotating).transport, 'http');
});
