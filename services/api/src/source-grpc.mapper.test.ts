import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceRecord } from '@caracal/core/control-plane';
import { auditedPullSettings, authModeFromProto, kafkaInputFromProto, s3InputFromProto, toSourceMessage, transportFromProto } from './source-grpc.mapper';

test('auth modes map both ways; UNSPECIFIED leaves the default, an unknown value is refused', () => {
  assert.equal(authModeFromProto('SOURCE_AUTH_MODE_UNSPECIFIED'), undefined);
  assert.equal(authModeFromProto(0), undefined);
  assert.equal(authModeFromProto('SOURCE_AUTH_MODE_SHARED_SECRET'), 'shared-secret');
  assert.equal(authModeFromProto('SOURCE_AUTH_MODE_HMAC_SHA256'), 'hmac-sha256');
  assert.equal(authModeFromProto('SOURCE_AUTH_MODE_BEARER'), 'bearer');
  assert.throws(() => authModeFromProto('SOURCE_AUTH_MODE_BASIC'), /auth_mode: "SOURCE_AUTH_MODE_BASIC" is not one of/);
});

test('a source message tells the secrets apart by id and time, and never carries a hash or a key', () => {
  const source: SourceRecord = {
    id: 'okta',
    tenantId: 'acme',
    label: 'Okta',
    logType: 'Panther.Audit',
    authMode: 'hmac-sha256',
    authHeader: 'x-caracal-signature-256',
    secrets: [
      { id: 'bbbb2222', key: 'crs_new-key', createdAt: '2026-02-01T00:00:00.000Z' },
      { id: 'aaaa1111', key: 'crs_old-key', createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-02-02T00:00:00.000Z' },
    ],
    createdAt: '2026-01-01T00:00:00.000Z',
  };
  const message = toSourceMessage(source);
  assert.equal(message.authMode, 'SOURCE_AUTH_MODE_HMAC_SHA256');
  assert.equal(message.rateLimitPerSecond, 0);
  assert.deepEqual(
    message.secrets?.map((s) => [s.secretId, s.expireTime?.seconds ?? null]),
    [
      ['bbbb2222', null],
      ['aaaa1111', String(Date.parse('2026-02-02T00:00:00Z') / 1000)],
    ],
  );
  assert.equal(toSourceMessage({ ...source, authMode: 'bearer', rateLimitPerSecond: 20 }).rateLimitPerSecond, 20);
  assert.ok(!/crs_/.test(JSON.stringify(message)));
  const shared = toSourceMessage({ ...source, authMode: 'shared-secret', secrets: [{ id: 'cccc3333', sha256: 'ab'.repeat(32), createdAt: source.createdAt }] });
  assert.ok(!JSON.stringify(shared).includes('ab'.repeat(32)));
});

test('pull sources list where they read, never the secret access key or the SASL password', () => {
  const base = { id: 'trail', tenantId: 'acme', label: 'trail', logType: 'Panther.Audit', authMode: 'shared-secret' as const, authHeader: 'x-caracal-secret', secrets: [], createdAt: '2026-01-01T00:00:00.000Z' };
  const s3 = toSourceMessage({
    ...base,
    transport: 's3',
    s3: { bucket: 'acme-trail', prefix: 'AWSLogs/', region: 'eu-west-1', endpoint: 'http://minio:9000', forcePathStyle: true, accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalrSECRET' },
  });
  assert.equal(s3.transport, 'SOURCE_TRANSPORT_S3');
  assert.deepEqual(s3.s3, { bucket: 'acme-trail', prefix: 'AWSLogs/', region: 'eu-west-1', endpoint: 'http://minio:9000', forcePathStyle: true, accessKeyId: 'AKIAEXAMPLE', secretAccessKey: '' });
  assert.equal(s3.kafka, null);
  assert.ok(!JSON.stringify(s3).includes('wJalrSECRET'));
  const kafka = toSourceMessage({ ...base, transport: 'kafka', kafka: { brokers: ['k:9092'], topic: 'okta', tls: true, sasl: { mechanism: 'scram-sha-256', username: 'caracal', password: 'hunter2' } } });
  assert.equal(kafka.transport, 'SOURCE_TRANSPORT_KAFKA');
  assert.deepEqual(kafka.kafka, { brokers: ['k:9092'], topic: 'okta', tls: true, saslMechanism: 'KAFKA_SASL_MECHANISM_SCRAM_SHA_256', saslUsername: 'caracal', saslPassword: '' });
  assert.ok(!JSON.stringify(kafka).includes('hunter2'));
  assert.equal(toSourceMessage(base).transport, 'SOURCE_TRANSPORT_HTTP', 'a record from before transports is an http source');
});

test('requests map to the store: unset transport is http, empty fields are left to the store, secrets never audited', () => {
  assert.equal(transportFromProto('SOURCE_TRANSPORT_UNSPECIFIED'), undefined);
  assert.equal(transportFromProto(undefined), undefined);
  assert.equal(transportFromProto('SOURCE_TRANSPORT_S3'), 's3');
  assert.equal(transportFromProto('SOURCE_TRANSPORT_KAFKA'), 'kafka');
  assert.throws(() => transportFromProto('SOURCE_TRANSPORT_SQS'), /transport: "SOURCE_TRANSPORT_SQS" is not one of/);
  assert.deepEqual(s3InputFromProto({ bucket: 'b', prefix: '', region: '', endpoint: '', forcePathStyle: false, accessKeyId: 'id', secretAccessKey: 'sk' }), { bucket: 'b', accessKeyId: 'id', secretAccessKey: 'sk' });
  assert.deepEqual(kafkaInputFromProto({ brokers: ['k:9092'], topic: 't', tls: false, saslMechanism: 'KAFKA_SASL_MECHANISM_PLAIN', saslUsername: 'u', saslPassword: 'p' }), {
    brokers: ['k:9092'],
    topic: 't',
    sasl: { mechanism: 'plain', username: 'u', password: 'p' },
  });
  assert.deepEqual(kafkaInputFromProto({ brokers: ['k:9092'], topic: 't', saslMechanism: 'KAFKA_SASL_MECHANISM_UNSPECIFIED' }), { brokers: ['k:9092'], topic: 't' });
  const audited = JSON.stringify(auditedPullSettings({ s3: { bucket: 'b', secretAccessKey: 'wJalrSECRET' }, kafka: { topic: 't', saslPassword: 'hunter2' } }));
  assert.ok(!audited.includes('wJalrSECRET') && !audited.includes('hunter2'), audited);
  assert.match(audited, /"secretAccessKey":"\(set\)"/);
});
