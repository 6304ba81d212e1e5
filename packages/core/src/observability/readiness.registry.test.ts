import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadinessRegistry } from './readiness.registry';

test('every failing check makes the process not ready, except an advisory one, which is still reported', async () => {
  const r = new ReadinessRegistry();
  r.set('lake', () => undefined);
  r.set('bus', () => Promise.reject(new Error('Kafka at k:9092 is unreachable')), { advisory: true });
  assert.deepEqual(await r.report(), {
    status: 'ready',
    checks: { lake: { status: 'ok' }, bus: { status: 'fail', error: 'Kafka at k:9092 is unreachable', advisory: true } },
  });
  // The same failure in a gating check.
  r.set('bus', () => Promise.reject(new Error('Kafka at k:9092 is unreachable')));
  assert.equal((await r.report()).status, 'not-ready');
});

test('a declared check fails until set, a hung one fails in time, and shutdown overrides everything', async () => {
  const r = new ReadinessRegistry();
  r.declare('rules', 'detections not loaded yet');
  r.set('lake', () => new Promise<void>(() => undefined));
  const report = await r.report(50);
  assert.equal(report.status, 'not-ready');
  assert.deepEqual(report.checks.rules, { status: 'fail', error: 'detections not loaded yet' });
  assert.deepEqual(report.checks.lake, { status: 'fail', error: 'no answer within 50 ms' });
  r.set('rules', () => undefined);
  r.set('lake', () => undefined);
  assert.equal((await r.report()).status, 'ready');
  r.markShuttingDown();
  assert.deepEqual(await r.report(), { status: 'not-ready', checks: { shutdown: { status: 'fail', error: 'the process is shutting down' } } });
});
