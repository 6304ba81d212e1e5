import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config';

test('defaults: embedded mode, loopback, data under ./.caracal', () => {
  const c = loadConfig({}, '/home/me');
  assert.equal(c.mode, 'embedded');
  assert.equal(c.dataDir, '/home/me/.caracal');
  assert.equal(c.controlFile, '/home/me/.caracal/control.json');
  assert.equal(c.bindHost, '127.0.0.1');
  assert.equal(c.httpPort, 8080);
  assert.equal(c.clickhouse.url, undefined);
  assert.equal(c.kafka.topicPrefix, '');
  assert.equal(c.cache.redisUrl, undefined);
  assert.equal(c.cache.connectTimeoutMs, 5000);
});

test('kafka mode needs brokers and Redis, and listens on every interface', () => {
  assert.throws(() => loadConfig({ CARACAL_MODE: 'kafka', CARACAL_REDIS_URL: 'redis://r:6379' }), /CARACAL_KAFKA_BROKERS is required/);
  assert.throws(
    () => loadConfig({ CARACAL_MODE: 'kafka', CARACAL_KAFKA_BROKERS: 'k1:9092' }),
    /CARACAL_REDIS_URL is required in kafka mode .*shared by all rules-worker processes of a tenant/,
  );
  const c = loadConfig({ CARACAL_MODE: 'kafka', CARACAL_KAFKA_BROKERS: 'k1:9092, k2:9092', CARACAL_REDIS_URL: ' redis://r:6379 ' });
  assert.deepEqual(c.kafka.brokers, ['k1:9092', 'k2:9092']);
  assert.equal(c.cache.redisUrl, 'redis://r:6379');
  assert.equal(c.bindHost, '0.0.0.0');
});

test('the Redis URL may use TLS and carry credentials; embedded mode may use it too', () => {
  const c = loadConfig({ CARACAL_REDIS_URL: 'rediss://user:pw@cache.example:6380/2', CARACAL_REDIS_CONNECT_TIMEOUT_MS: '1500' });
  assert.equal(c.mode, 'embedded');
  assert.equal(c.cache.redisUrl, 'rediss://user:pw@cache.example:6380/2');
  assert.equal(c.cache.connectTimeoutMs, 1500);
});

test('a bad Redis URL is refused without echoing it (it may hold a password)', () => {
  for (const url of ['http://user:secret@r:6379', 'secret-host:6379', 'not a url secret', 'redis:///0?password=secret']) {
    assert.throws(
      () => loadConfig({ CARACAL_REDIS_URL: url }),
      (err: Error) => /CARACAL_REDIS_URL must/.test(err.message) && !err.message.includes('secret'),
      url,
    );
  }
  assert.throws(() => loadConfig({ CARACAL_REDIS_CONNECT_TIMEOUT_MS: '10' }), /CARACAL_REDIS_CONNECT_TIMEOUT_MS must be between 100 and 120000/);
});

test('bad values are refused with the variable named', () => {
  assert.throws(() => loadConfig({ CARACAL_MODE: 'cluster' }), /CARACAL_MODE must be "embedded" or "kafka", got "cluster"/);
  assert.throws(() => loadConfig({ CARACAL_HTTP_PORT: '80a' }), /CARACAL_HTTP_PORT must be a whole number/);
  assert.throws(() => loadConfig({ CARACAL_HTTP_PORT: '70000' }), /CARACAL_HTTP_PORT must be between 0 and 65535/);
  assert.throws(() => loadConfig({ CARACAL_MODE: 'kafka', CARACAL_KAFKA_BROKERS: 'nohost' }), /entry "nohost" is not host:port/);
  assert.throws(() => loadConfig({ CARACAL_CLICKHOUSE_URL: 'clickhouse:8123' }), /must be an http\(s\) URL/);
  assert.throws(() => loadConfig({ CARACAL_KAFKA_TOPIC_PREFIX: 'a b' }), /CARACAL_KAFKA_TOPIC_PREFIX may hold only/);
  assert.throws(() => loadConfig({ CARACAL_LOG_LEVEL: 'loud' }), /CARACAL_LOG_LEVEL must be one of/);
});

test('the ops endpoint: port 9464 and a 25 s shutdown bound by default; 0 picks any port', () => {
  const d = loadConfig({});
  assert.equal(d.ops.port, 9464);
  assert.equal(d.ops.shutdownTimeoutMs, 25000);
  const c = loadConfig({ CARACAL_OPS_PORT: '0', CARACAL_SHUTDOWN_TIMEOUT_MS: '5000' });
  assert.equal(c.ops.port, 0);
  assert.equal(c.ops.shutdownTimeoutMs, 5000);
  assert.throws(() => loadConfig({ CARACAL_OPS_PORT: '65536' }), /CARACAL_OPS_PORT must be between 0 and 65535/);
  assert.throws(() => loadConfig({ CARACAL_OPS_PORT: 'metrics' }), /CARACAL_OPS_PORT must be a whole number/);
  assert.throws(() => loadConfig({ CARACAL_SHUTDOWN_TIMEOUT_MS: '500' }), /CARACAL_SHUTDOWN_TIMEOUT_MS must be between 1000 and 600000/);
});

test('traces are off unless an OTLP/HTTP URL is set; the sample ratio is a share from 0 to 1', () => {
  assert.deepEqual(loadConfig({}).tracing, { otlpTracesUrl: undefined, sampleRatio: 1 });
  const on = loadConfig({ CARACAL_OTEL_TRACES_URL: 'http://collector:4318/v1/traces', CARACAL_OTEL_SAMPLE_RATIO: '0.25' });
  assert.deepEqual(on.tracing, { otlpTracesUrl: 'http://collector:4318/v1/traces', sampleRatio: 0.25 });
  assert.throws(() => loadConfig({ CARACAL_OTEL_TRACES_URL: 'collector:4318' }), /CARACAL_OTEL_TRACES_URL must be an http\(s\) URL/);
  assert.throws(() => loadConfig({ CARACAL_OTEL_SAMPLE_RATIO: '2' }), /CARACAL_OTEL_SAMPLE_RATIO must be a number from 0 to 1/);
});

test("the rules-worker's duplicate-event window: an hour by default, from a minute to a week", () => {
  assert.equal(loadConfig({}).dedup.windowSeconds, 3600);
  assert.equal(loadConfig({ CARACAL_RULES_DEDUP_WINDOW_SECONDS: '60' }).dedup.windowSeconds, 60);
  assert.equal(loadConfig({ CARACAL_RULES_DEDUP_WINDOW_SECONDS: String(7 * 86400) }).dedup.windowSeconds, 7 * 86400);
  assert.throws(() => loadConfig({ CARACAL_RULES_DEDUP_WINDOW_SECONDS: '59' }), /CARACAL_RULES_DEDUP_WINDOW_SECONDS must be between 60 and 604800, got 59/);
  assert.throws(() => loadConfig({ CARACAL_RULES_DEDUP_WINDOW_SECONDS: String(7 * 86400 + 1) }), /CARACAL_RULES_DEDUP_WINDOW_SECONDS must be between 60 and 604800/);
  assert.throws(() => loadConfig({ CARACAL_RULES_DEDUP_WINDOW_SECONDS: '1h' }), /CARACAL_RULES_DEDUP_WINDOW_SECONDS must be a whole number/);
});

test('detection test runs at once in a query process: 2 per tenant and 4 in all by default', () => {
  const c = loadConfig({});
  assert.deepEqual([c.query.testRunsPerTenant, c.query.testRunsTotal], [2, 4]);
  const set = loadConfig({ CARACAL_QUERY_TEST_RUNS_PER_TENANT: '1', CARACAL_QUERY_TEST_RUNS_TOTAL: '3' });
  assert.deepEqual([set.query.testRunsPerTenant, set.query.testRunsTotal], [1, 3]);
  assert.throws(() => loadConfig({ CARACAL_QUERY_TEST_RUNS_PER_TENANT: '0' }), /CARACAL_QUERY_TEST_RUNS_PER_TENANT must be between 1 and 100, got 0/);
  assert.throws(() => loadConfig({ CARACAL_QUERY_TEST_RUNS_TOTAL: 'many' }), /CARACAL_QUERY_TEST_RUNS_TOTAL must be a whole number/);
});

test('detections run under bubblewrap unless the pod is the boundary; the worker-thread settings are refused by name', () => {
  const c = loadConfig({});
  assert.equal(c.detections.sandbox, 'bwrap');
  assert.equal(c.detections.maxProcesses, 16);
  assert.equal(loadConfig({ CARACAL_DETECTION_SANDBOX: 'process' }).detections.sandbox, 'process');
  assert.throws(() => loadConfig({ CARACAL_DETECTION_SANDBOX: 'none' }), /CARACAL_DETECTION_SANDBOX must be "bwrap" or "process", got "none"/);
  assert.throws(() => loadConfig({ CARACAL_DETECTION_WORKER_THREADS: '2' }), /CARACAL_DETECTION_WORKER_THREADS is no longer read.*use CARACAL_DETECTION_PROCESSES_PER_TENANT/);
});

test('pull sources: intervals and limits with units in their names; private networks only in embedded mode by default', () => {
  const embedded = loadConfig({}, '/home/me');
  assert.deepEqual(embedded.pullSources, {
    syncIntervalMs: 2000,
    s3PollIntervalMs: 60000,
    s3ClaimLeaseMs: 300000,
    s3MaxObjectBytes: 256 * 1024 * 1024,
    s3RequestTimeoutMs: 30000,
    publishBatchEvents: 500,
    allowPrivateNetworks: true,
  });
  const kafka = { CARACAL_MODE: 'kafka', CARACAL_KAFKA_BROKERS: 'k1:9092', CARACAL_REDIS_URL: 'redis://r:6379' };
  assert.equal(loadConfig(kafka).pullSources.allowPrivateNetworks, false);
  assert.equal(loadConfig({ ...kafka, CARACAL_SOURCE_ALLOW_PRIVATE_NETWORKS: 'true' }).pullSources.allowPrivateNetworks, true);
  const c = loadConfig({ CARACAL_S3_POLL_INTERVAL_MS: '250', CARACAL_S3_CLAIM_LEASE_MS: '5000', CARACAL_PULL_PUBLISH_BATCH_EVENTS: '1' });
  assert.equal(c.pullSources.s3PollIntervalMs, 250);
  assert.equal(c.pullSources.s3ClaimLeaseMs, 5000);
  assert.equal(c.pullSources.publishBatchEvents, 1);
  assert.throws(() => loadConfig({ CARACAL_S3_POLL_INTERVAL_MS: '1s' }), /CARACAL_S3_POLL_INTERVAL_MS must be a whole number, got "1s"/);
  assert.throws(() => loadConfig({ CARACAL_S3_CLAIM_LEASE_MS: '10' }), /CARACAL_S3_CLAIM_LEASE_MS must be between 3000 and/);
  assert.throws(() => loadConfig({ CARACAL_SOURCE_ALLOW_PRIVATE_NETWORKS: 'yes' }), /CARACAL_SOURCE_ALLOW_PRIVATE_NETWORKS must be true or false/);
});
