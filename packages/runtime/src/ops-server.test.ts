import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, RecentErrors } from '@caracal/core';
import { CaracalMetrics, ReadinessRegistry } from '@caracal/core/observability';
import { opsAnswer, OpsServer } from './ops-server';
import { cachedProbe } from './runtime-readiness';

const metrics = new CaracalMetrics();
const readiness = new ReadinessRegistry();
const recentErrors = new RecentErrors();
const identity = { pid: 4242, mode: 'embedded' as const, services: ['ingest', 'api'], startedAt: '2026-12-07T06:00:00.000Z' };
let server: OpsServer;
let base: string;

before(async () => {
  server = await OpsServer.start('127.0.0.1', 0, { metrics, readiness, status: { identity, recentErrors } }, createLogger('silent'));
  base = `http://127.0.0.1:${server.port}`;
});

after(async () => {
  await server.close();
});

test('the ops server binds an ephemeral port when asked for port 0', () => {
  assert.ok(server.port > 0);
});

test('/livez answers 200 {"status":"ok"}, and never from a cache', async () => {
  const res = await fetch(`${base}/livez`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^application\/json/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.deepEqual(await res.json(), { status: 'ok' });
});

test('/readyz is 503 naming the failing check, 200 when every check passes, 503 again from shutdown on', async () => {
  readiness.set('bus', () => undefined);
  readiness.declare('rules', 'detections not loaded yet');
  let res = await fetch(`${base}/readyz`);
  assert.equal(res.status, 503);
  assert.deepEqual(await res.json(), {
    status: 'not-ready',
    checks: { bus: { status: 'ok' }, rules: { status: 'fail', error: 'detections not loaded yet' } },
  });
  readiness.set('rules', () => undefined);
  res = await fetch(`${base}/readyz?verbose=1`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ready', checks: { bus: { status: 'ok' }, rules: { status: 'ok' } } });
  const shutting = new ReadinessRegistry();
  shutting.set('bus', () => undefined);
  shutting.markShuttingDown();
  const answer = await opsAnswer('GET', '/readyz', { metrics, readiness: shutting });
  assert.equal(answer.status, 503);
  assert.equal(JSON.parse(answer.body).status, 'not-ready');
});

test('/metrics is the Prometheus text format of this registry', async () => {
  metrics.ingestRequests.inc({ source: 'audit', status: '200' });
  const res = await fetch(`${base}/metrics`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const text = await res.text();
  assert.match(text, /^# TYPE caracal_ingest_requests_total counter$/m);
  assert.match(text, /^caracal_ingest_requests_total\{source="audit",status="200"\} 1$/m);
  assert.match(text, /^caracal_process_resident_memory_bytes \d+/m);
});

test('/statusz is 200 whatever the readiness, with who answers, its checks and its last errors', async () => {
  const own = new ReadinessRegistry();
  own.declare('rules', 'detections not loaded yet');
  recentErrors.addLogCall([{ reason: 'INVALID_EVENT', groupId: 'caracal-rules-worker' }, 'message set aside on the dead-letter topic'], 'error', 'caracal', new Date('2026-12-07T06:01:00.000Z'));
  const answer = await opsAnswer('GET', '/statusz', { metrics, readiness: own, status: { identity, recentErrors } });
  assert.equal(answer.status, 200);
  assert.deepEqual(JSON.parse(answer.body), {
    ...identity,
    status: 'not-ready',
    checks: { rules: { status: 'fail', error: 'detections not loaded yet' } },
    recentErrors: [
      { time: '2026-12-07T06:01:00.000Z', level: 'error', service: 'caracal', code: 'INVALID_EVENT', group: 'caracal-rules-worker', message: 'message set aside on the dead-letter topic' },
    ],
  });
  const res = await fetch(`${base}/statusz`);
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { pid: number }).pid, 4242);
  assert.equal((await opsAnswer('GET', '/statusz', { metrics, readiness })).status, 404, 'not served without a status source');
});

test('other paths are 404, other methods 405, HEAD has no body', async () => {
  const missing = await fetch(`${base}/healthz`);
  assert.equal(missing.status, 404);
  assert.match(((await missing.json()) as { error: string }).error, /try \/livez, \/readyz, \/metrics or \/statusz/);
  const post = await fetch(`${base}/metrics`, { method: 'POST', body: 'x' });
  assert.equal(post.status, 405);
  await post.body?.cancel();
  const head = await fetch(`${base}/livez`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});

test('a cached probe answers from its last outcome for the TTL and runs once at a time', async () => {
  let now = 0;
  let calls = 0;
  let fail = false;
  const probe = cachedProbe(
    async () => {
      calls++;
      await new Promise((r) => setImmediate(r));
      if (fail) throw new Error('broker down');
    },
    3000,
    () => now,
  );
  await Promise.all([probe(), probe(), probe()]);
  assert.equal(calls, 1, 'concurrent asks share one attempt');
  fail = true;
  now = 2999;
  await probe();
  assert.equal(calls, 1, 'within the TTL the last outcome stands');
  now = 3000;
  await assert.rejects(Promise.resolve(probe()), /broker down/);
  assert.equal(calls, 2);
  fail = false;
  now = 4000;
  await assert.rejects(Promise.resolve(probe()), /broker down/, 'a failure is cached too');
  now = 6000;
  await probe();
  assert.equal(calls, 3);
});
