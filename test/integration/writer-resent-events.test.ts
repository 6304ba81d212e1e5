import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CaracalClient } from '@caracal/api';
import { startCaracal, RunningCaracal } from '@caracal/cli';
import { EVENT_WRITER_GROUP } from '@caracal/clickhouse-writer';
import { ControlStore, createLogger, loadConfig, Topics } from '@caracal/core';
import { dataLakeQueryEvent, deleteDetectionEvent } from '../support/audit-events';
import { postToSource } from '../support/ingest-http';
import { groupLag, topicMessageCount } from '../support/kafka-lag';
import { kafkaBrokers, redisUrl, tempDir, uniqueName } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// A sender that got 503 for a publish that landed after all sends the same
// body again: the logs topic then holds each of its events twice, at other
// offsets. The writer must still keep one row per event.
const prefix = uniqueName('writer-resent');
const dataDir = tempDir('writer-resent');
let running: RunningCaracal;
let client: CaracalClient;
let secret: string;

before(async () => {
  const config = loadConfig({
    CARACAL_MODE: 'kafka',
    CARACAL_KAFKA_BROKERS: kafkaBrokers(),
    CARACAL_KAFKA_TOPIC_PREFIX: prefix,
    CARACAL_REDIS_URL: redisUrl(),
    CARACAL_DATA_DIR: dataDir,
    CARACAL_HTTP_PORT: '0',
    CARACAL_GRPC_PORT: '0',
    CARACAL_OPS_PORT: '0',
    CARACAL_BIND_HOST: '127.0.0.1',
  });
  const control = ControlStore.open(config.controlFile);
  control.createTenant('acme');
  secret = control.createSource({ id: 'acme-audit', tenantId: 'acme', logType: 'Panther.Audit' }).secret;
  const token = control.createToken({ tenantId: 'acme', name: 'reader', role: 'read-only' }).token;
  running = await startCaracal(config, ['ingest', 'clickhouse-writer', 'query'], createLogger('warn'));
  client = new CaracalClient(`127.0.0.1:${running.grpcPort}`, token);
});

after(async () => {
  client?.close();
  await running?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('events sent twice reach the topic twice and the lake once: rows equal unique row ids equal events', async () => {
  const base = `http://127.0.0.1:${running.httpPort}`;
  const h = { 'x-caracal-secret': secret };
  const first = [dataLakeQueryEvent('a@example.com'), deleteDetectionEvent('X.One', 'b@example.com'), deleteDetectionEvent('X.Two', 'c@example.com')];
  const body = JSON.stringify(first);
  for (const send of [body, body, JSON.stringify([...first.slice(1), dataLakeQueryEvent('d@example.com')])]) {
    const answer = await postToSource(base, 'acme-audit', send, h);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
  }
  const topic = Topics.logs('Panther.Audit');
  // The check is only worth something if the copies really are in the topic.
  assert.equal(await topicMessageCount(prefix, topic), 9, 'the topic holds every copy');
  await waitFor('the writer committed every message', async () => ((await groupLag(prefix, EVENT_WRITER_GROUP, [topic])) === 0 ? true : undefined), 60_000);
  const result = await client.executeQuery('SELECT count() AS rows, uniqExact(p_row_id) AS ids FROM panther_logs.panther_audit');
  assert.deepEqual(result.rows.map((r) => [Number(r.rows), Number(r.ids)]), [[4, 4]], 'one row per distinct event, without FINAL');
});
