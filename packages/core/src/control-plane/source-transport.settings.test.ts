import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkKafkaSettings, checkS3Settings, checkSourceTransport } from './source-transport.settings';

const keys = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalr/EXAMPLE+KEY' };

test('S3 settings are completed with their defaults', () => {
  assert.deepEqual(checkS3Settings({ bucket: 'acme-cloudtrail', ...keys }), {
    bucket: 'acme-cloudtrail',
    prefix: '',
    region: 'us-east-1',
    forcePathStyle: false,
    ...keys,
  });
  assert.deepEqual(checkS3Settings({ bucket: 'logs.acme', prefix: 'AWSLogs/123/', region: 'eu-west-1', endpoint: 'http://minio:9000/', forcePathStyle: true, ...keys }), {
    bucket: 'logs.acme',
    prefix: 'AWSLogs/123/',
    region: 'eu-west-1',
    endpoint: 'http://minio:9000',
    forcePathStyle: true,
    ...keys,
  });
});

test('bad S3 settings are refused naming the field, never quoting a secret', () => {
  const refused = (input: Parameters<typeof checkS3Settings>[0], pattern: RegExp) =>
    assert.throws(
      () => checkS3Settings(input),
      (err: Error) => {
        assert.equal((err as { code?: string }).code, 'INVALID_ARGUMENT');
        assert.match(err.message, pattern);
        assert.ok(!err.message.includes('wJalr'), 'the secret is never quoted');
        return true;
      },
    );
  refused(undefined, /needs its settings: s3\.bucket/);
  refused({ ...keys }, /^s3\.bucket is required/);
  refused({ bucket: 'Acme_Logs', ...keys }, /^s3\.bucket "Acme_Logs" must be a bucket name/);
  refused({ bucket: 'ab', ...keys }, /^s3\.bucket "ab" must be a bucket name/);
  refused({ bucket: 'a..b', ...keys }, /^s3\.bucket/);
  refused({ bucket: 'logs', prefix: 'a\nb', ...keys }, /^s3\.prefix must be at most 1024 bytes without control characters/);
  refused({ bucket: 'logs', region: 'US East', ...keys }, /^s3\.region "US East" must be a region name/);
  refused({ bucket: 'logs', endpoint: 'minio:9000', ...keys }, /^s3\.endpoint must be an http or https URL, got "minio"/);
  refused({ bucket: 'logs', endpoint: 'not a url', ...keys }, /^s3\.endpoint is not a valid URL/);
  refused({ bucket: 'logs', endpoint: 'https://user:pw@minio:9000', ...keys }, /^s3\.endpoint must not carry a user name or password/);
  refused({ bucket: 'logs', endpoint: 'https://minio:9000/?x=1', ...keys }, /^s3\.endpoint must not carry a query/);
  refused({ bucket: 'logs', secretAccessKey: keys.secretAccessKey }, /^s3\.access_key_id is required/);
  refused({ bucket: 'logs', accessKeyId: keys.accessKeyId }, /^s3\.secret_access_key is required/);
  refused({ bucket: 'logs', accessKeyId: keys.accessKeyId, secretAccessKey: 'wJalr secret with spaces' }, /^s3\.secret_access_key must be 1-256 printable ASCII characters without spaces$/);
});

test('Kafka settings take brokers as a list or comma-separated, and SASL only as a whole', () => {
  assert.deepEqual(checkKafkaSettings({ brokers: ['k1.example.com:9092,k2.example.com:9093', '10.0.0.5:9092', '[::1]:9092'], topic: 'cloudtrail.events' }), {
    brokers: ['k1.example.com:9092', 'k2.example.com:9093', '10.0.0.5:9092', '[::1]:9092'],
    topic: 'cloudtrail.events',
    tls: false,
  });
  assert.deepEqual(checkKafkaSettings({ brokers: ['k:9093'], topic: 't', tls: true, sasl: { mechanism: 'scram-sha-512', username: 'caracal', password: 'hunter2' } }).sasl, {
    mechanism: 'scram-sha-512',
    username: 'caracal',
    password: 'hunter2',
  });
  const refused = (input: Parameters<typeof checkKafkaSettings>[0], pattern: RegExp) =>
    assert.throws(
      () => checkKafkaSettings(input),
      (err: Error) => pattern.test(err.message),
      pattern.source,
    );
  refused(undefined, /needs its settings: kafka\.brokers and kafka\.topic/);
  refused({ topic: 't' }, /^kafka\.brokers is required/);
  refused({ brokers: ['k1'], topic: 't' }, /^kafka\.brokers entry "k1" must be host:port/);
  refused({ brokers: ['k1:0'], topic: 't' }, /^kafka\.brokers entry "k1:0" must be host:port/);
  refused({ brokers: ['k1:99999'], topic: 't' }, /^kafka\.brokers entry/);
  refused({ brokers: Array.from({ length: 21 }, (_, i) => `k${i}:9092`), topic: 't' }, /^kafka\.brokers may name at most 20 brokers, got 21/);
  refused({ brokers: ['k:9092'] }, /^kafka\.topic is required/);
  refused({ brokers: ['k:9092'], topic: 'a topic' }, /^kafka\.topic "a topic" must be a Kafka topic name/);
  refused({ brokers: ['k:9092'], topic: '..' }, /^kafka\.topic/);
  refused({ brokers: ['k:9092'], topic: 't', sasl: { username: 'u' } }, /^kafka\.sasl_username and kafka\.sasl_password need kafka\.sasl_mechanism/);
  refused({ brokers: ['k:9092'], topic: 't', sasl: { mechanism: 'gssapi', username: 'u', password: 'p' } }, /^kafka\.sasl_mechanism "gssapi" must be one of plain, scram-sha-256, scram-sha-512/);
  refused({ brokers: ['k:9092'], topic: 't', sasl: { mechanism: 'plain', password: 'p' } }, /^kafka\.sasl_username is required with kafka\.sasl_mechanism/);
  refused({ brokers: ['k:9092'], topic: 't', sasl: { mechanism: 'plain', username: 'u' } }, /^kafka\.sasl_password is required with kafka\.sasl_mechanism/);
});

test('a transport is one of http, s3, kafka; none is http', () => {
  assert.equal(checkSourceTransport(undefined), 'http');
  assert.equal(checkSourceTransport('s3'), 's3');
  assert.throws(() => checkSourceTransport('sqs'), /InvalidArgumentError: source transport "sqs" must be one of http, s3, kafka$/);
});
