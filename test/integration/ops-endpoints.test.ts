import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { startCaracal, RunningCaracal } from '@caracal/runtime';
import { createLogger, loadConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { dataLakeQueryEvent, deleteDetectionEvent } from '../support/audit-events';
import { postToSource } from '../support/ingest-http';
import { tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// The whole system in this process (embedded mode), observed only through its ops endpoint.
const dataDir = tempDir('ops-endpoints');
const config = loadConfig({
  CARACAL_DATA_DIR: dataDir,
  CARACAL_HTTP_PORT: '0',
  CARACAL_GRPC_PORT: '0',
  CARACAL_OPS_PORT: '0',
  CARACAL_LOG_LEVEL: 'warn',
  CARACAL_DETECTION_PROCESSES_PER_TENANT: '1',
});
const TENANT = 'ops-acme';
const SOURCE = 'ops-audit';
let running: RunningCaracal;
let ops: string;
let secret: string;

before(async () => {
  const control = ControlStore.open(config.controlFile);
  control.createTenant(TENANT);
  secret = control.createSource({ id: SOURCE, tenantId: TENANT, logType: 'Panther.Audit' }).secret;
  running = await startCaracal(config, ['ingest', 'rules-worker', 'alert-stage', 'clickhouse-writer', 'api'], createLogger('warn'));
  ops = `http://127.0.0.1:${running.opsPort}`;
});

after(async () => {
  await running?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Every sample of the exposition, by its series text (name and labels as printed). */
async function scrape(): Promise<Map<string, number>> {
  const res = await fetch(`${ops}/metrics`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include every one of `labels`. */
function total(samples: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [series, value] of samples) {
    const brace = series.indexOf('{');
    if ((brace === -1 ? series : series.slice(0, brace)) !== name) continue;
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}

test('/livez is 200, and /readyz is 200 with the bus, lake, rules and consumers checks all ok', async () => {
  const live = await fetch(`${ops}/livez`);
  assert.equal(live.status, 200);
  assert.deepEqual(await live.json(), { status: 'ok' });
  const ready = await fetch(`${ops}/readyz`);
  const body = (await ready.json()) as { status: string; checks: Record<string, { status: string }> };
  assert.equal(ready.status, 200, JSON.stringify(body));
  assert.equal(body.status, 'ready');
  assert.deepEqual(Object.keys(body.checks).sort(), ['bus', 'consumers', 'lake', 'rules']);
  for (const [name, check] of Object.entries(body.checks)) assert.equal(check.status, 'ok', name);
});

test('events sent through ingest show in /metrics: ingest, lake, rules, alerts, batches and inserts', async () => {
  const valid = [dataLakeQueryEvent(), deleteDetectionEvent()];
  const invalid = { ...dataLakeQueryEvent(), actor: { id: '2', type: 'ROBOT', name: 'bender' } };
  const body = [...valid, invalid].map((e) => JSON.stringify(e)).join('\n');
  const answer = await postToSource(`http://127.0.0.1:${running.httpPort}`, SOURCE, body, { 'x-caracal-secret': secret });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.body.accepted, 2);
  assert.equal(answer.body.rejectedCount, 1);
  const unknown = await postToSource(`http://127.0.0.1:${running.httpPort}`, 'no-such-source', '{}', { 'x-caracal-secret': 'x' });
  assert.equal(unknown.status, 404);

  const origin = { tenant: TENANT, source: SOURCE, log_type: 'Panther.Audit' };
  // Ingest counts at once: the answer came after the bus acknowledged.
  let m = await scrape();
  assert.equal(total(m, 'caracal_ingest_events_total', { ...origin, outcome: 'accepted' }), 2);
  assert.equal(total(m, 'caracal_ingest_events_total', { ...origin, outcome: 'rejected' }), 1);
  assert.equal(total(m, 'caracal_ingest_requests_total', { source: SOURCE, status: '200' }), 1);
  assert.equal(total(m, 'caracal_ingest_requests_total', { source: 'unknown', status: '404' }), 1);
  assert.ok(![...m.keys()].some((s) => s.includes('no-such-source')), 'an unknown source id never becomes a label value');

  // The rest follows the events through the pipeline: wait for the alert, the last of it.
  m = await waitFor('the alert and the lake rows to be counted', async () => {
    const now = await scrape();
    const done =
      total(now, 'caracal_alerts_raised_total', { tenant: TENANT }) >= 1 &&
      total(now, 'caracal_lake_rows_written_total', { tenant: TENANT, source: SOURCE, table: 'panther_logs.panther_audit' }) >= 2 &&
      total(now, 'caracal_lake_rows_written_total', { tenant: TENANT, table: 'panther_rule_matches.panther_audit' }) >= 1;
    return done ? now : undefined;
  }, 120_000);
  assert.equal(total(m, 'caracal_lake_rows_written_total', { tenant: TENANT, source: SOURCE, table: 'panther_logs.panther_audit' }), 2);
  assert.equal(total(m, 'caracal_rules_events_evaluated_total', { tenant: TENANT, log_type: 'Panther.Audit' }), 2);
  assert.ok(total(m, 'caracal_rule_eval_seconds_count', { rule_id: 'Panther.Detection.Deleted' }) >= 1, 'the rule that matched was timed');
  assert.ok(total(m, 'caracal_rule_eval_seconds_sum', { rule_id: 'Panther.Detection.Deleted' }) > 0);
  assert.equal(total(m, 'caracal_rule_matches_total', { tenant: TENANT, rule_id: 'Panther.Detection.Deleted' }), 1);
  assert.equal(total(m, 'caracal_rule_errors_total', { tenant: TENANT }), 0);
  assert.equal(total(m, 'caracal_alerts_raised_total', { tenant: TENANT, rule_id: 'Panther.Detection.Deleted', severity: 'INFO' }), 1);
  // Batches: the rules-worker's consumer group saw both events; its partitions are drained.
  assert.ok(total(m, 'caracal_consumer_batch_messages_count', { group: 'caracal-rules-worker', topic: 'logs.panther_audit' }) >= 1);
  assert.ok(total(m, 'caracal_consumer_batch_messages_sum', { group: 'caracal-rules-worker', topic: 'logs.panther_audit' }) >= 2);
  assert.ok([...m.keys()].some((s) => s.startsWith('caracal_consumer_lag_messages{group="caracal-rules-worker",topic="logs.panther_audit"')));
  assert.equal(total(m, 'caracal_consumer_lag_messages', { group: 'caracal-rules-worker', topic: 'logs.panther_audit' }), 0);
  // Inserts: timed and sized per table.
  assert.ok(total(m, 'caracal_clickhouse_insert_seconds_count', { table: 'panther_logs.panther_audit' }) >= 1);
  assert.ok(total(m, 'caracal_clickhouse_insert_seconds_sum', { table: 'panther_logs.panther_audit' }) > 0);
  assert.ok(total(m, 'caracal_clickhouse_insert_rows_sum', { table: 'panther_logs.panther_audit' }) >= 2);
  // The Node and process defaults, with the prefix.
  assert.ok(total(m, 'caracal_process_resident_memory_bytes') > 0);
});

/**
 * /readyz and /livez asked together over a connection opened before: the
 * whole embedded shutdown takes about 15 ms, less than a new connection's
 * handshake under load, so asking after close() starts must not need one.
 * Answers as raw HTTP (status lines and bodies), in order.
 */
async function askDuringClose(close: () => Promise<void>): Promise<{ closing: Promise<void>; answer: string }> {
  const socket = net.connect(running.opsPort, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let answer = '';
  socket.on('data', (d: Buffer) => (answer += d.toString()));
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const closing = close();
  socket.write('GET /readyz HTTP/1.1\r\nHost: ops\r\n\r\nGET /livez HTTP/1.1\r\nHost: ops\r\nConnection: close\r\n\r\n');
  await ended;
  return { closing, answer };
}

test('close: /readyz turns 503 as shutdown starts, and the ops endpoint is the last thing to go', async () => {
  // Readiness fails synchronously within close(); the ops endpoint still answers while the services stop.
  const { closing, answer } = await askDuringClose(() => running.close());
  const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
  assert.deepEqual(statuses, [503, 200], answer);
  const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
  assert.ok(body.includes(JSON.stringify({ status: 'not-ready', checks: { shutdown: { status: 'fail', error: 'the process is shutting down' } } })), answer);
  await closing;
  const refused = await new Promise<boolean>((resolve) => {
    const socket = net.connect(running.opsPort, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
  assert.ok(refused, 'the ops port is closed once close() resolved');
});
