import { test } from 'node:test';
import assert from 'node:assert/strict';
import { register as globalRegistry } from 'prom-client';
import { CaracalMetrics } from './metrics.registry';
import { ReadinessRegistry } from './readiness.registry';

/** The value of one series in the text format, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('two registries in one process are independent, and neither is the global one', async () => {
  const a = new CaracalMetrics();
  const b = new CaracalMetrics();
  a.countIngestedEvents({ tenantId: 'acme', sourceId: 'audit', logType: 'Panther.Audit' }, 3, 1);
  const textA = await a.exposition();
  const textB = await b.exposition();
  assert.equal(sample(textA, 'caracal_ingest_events_total{tenant="acme",source="audit",log_type="Panther.Audit",outcome="accepted"}'), 3);
  assert.equal(sample(textA, 'caracal_ingest_events_total{tenant="acme",source="audit",log_type="Panther.Audit",outcome="rejected"}'), 1);
  assert.equal(sample(textB, 'caracal_ingest_events_total{tenant="acme",source="audit",log_type="Panther.Audit",outcome="accepted"}'), undefined);
  assert.equal(globalRegistry.getSingleMetric('caracal_ingest_events_total'), undefined);
  // Default Node and process metrics carry the prefix.
  assert.match(textA, /^caracal_process_cpu_seconds_total /m);
  assert.match(textA, /^caracal_nodejs_heap_size_used_bytes /m);
  assert.equal(a.contentType, 'text/plain; version=0.0.4; charset=utf-8');
});

test('a lake insert counts its rows per tenant and source, and observes its duration and size', async () => {
  const m = new CaracalMetrics({ defaultMetrics: false });
  m.observeLakeInsert(
    'panther_logs.panther_audit',
    [
      { p_tenant_id: 'acme', p_source_id: 'audit' },
      { p_tenant_id: 'acme', p_source_id: 'audit' },
      { p_tenant_id: 'globex', p_source_id: 'gh' },
    ],
    0.02,
  );
  m.observeLakeInsert('caracal.alerts', [{ tenant_id: 'acme' }], 0.001);
  const text = await m.exposition();
  assert.equal(sample(text, 'caracal_lake_rows_written_total{tenant="acme",source="audit",table="panther_logs.panther_audit"}'), 2);
  assert.equal(sample(text, 'caracal_lake_rows_written_total{tenant="globex",source="gh",table="panther_logs.panther_audit"}'), 1);
  assert.equal(sample(text, 'caracal_lake_rows_written_total{tenant="acme",source="",table="caracal.alerts"}'), 1);
  assert.equal(sample(text, 'caracal_clickhouse_insert_seconds_count{table="panther_logs.panther_audit"}'), 1);
  assert.equal(sample(text, 'caracal_clickhouse_insert_seconds_bucket{le="0.025",table="panther_logs.panther_audit"}'), 1);
  assert.equal(sample(text, 'caracal_clickhouse_insert_seconds_bucket{le="0.01",table="panther_logs.panther_audit"}'), 0);
  assert.equal(sample(text, 'caracal_clickhouse_insert_rows_sum{table="panther_logs.panther_audit"}'), 3);
});

test('a consumed batch sets its partition lag from the end offset, and observes its size', async () => {
  const m = new CaracalMetrics({ defaultMetrics: false });
  const messages = [{ offset: '10' }, { offset: '11' }, { offset: '12' }];
  m.observeConsumedBatch('caracal-rules-worker', { topic: 'logs.panther_audit', partition: 2, messages, highWatermark: '20' });
  let text = await m.exposition();
  assert.equal(sample(text, 'caracal_consumer_lag_messages{group="caracal-rules-worker",topic="logs.panther_audit",partition="2"}'), 7);
  assert.equal(sample(text, 'caracal_consumer_batch_messages_sum{group="caracal-rules-worker",topic="logs.panther_audit"}'), 3);
  // Caught up: the end is the next offset.
  m.observeConsumedBatch('caracal-rules-worker', { topic: 'logs.panther_audit', partition: 2, messages: [{ offset: '19' }], highWatermark: '20' });
  text = await m.exposition();
  assert.equal(sample(text, 'caracal_consumer_lag_messages{group="caracal-rules-worker",topic="logs.panther_audit",partition="2"}'), 0);
  // No end offset reported: the size still counts, the lag stays.
  m.observeConsumedBatch('caracal-rules-worker', { topic: 'logs.panther_audit', partition: 2, messages: [{ offset: '25' }] });
  text = await m.exposition();
  assert.equal(sample(text, 'caracal_consumer_batch_messages_count{group="caracal-rules-worker",topic="logs.panther_audit"}'), 3);
  assert.equal(sample(text, 'caracal_consumer_lag_messages{group="caracal-rules-worker",topic="logs.panther_audit",partition="2"}'), 0);
});

test('rule times are observed per rule', async () => {
  const m = new CaracalMetrics({ defaultMetrics: false });
  m.observeRuleTimes({ 'AWS.Root.Login': 0.003, 'Panther.Detection.Deleted': 0.0004 });
  m.observeRuleTimes({ 'AWS.Root.Login': 0.001 });
  const text = await m.exposition();
  assert.equal(sample(text, 'caracal_rule_eval_seconds_count{rule_id="AWS.Root.Login"}'), 2);
  assert.ok(Math.abs(sample(text, 'caracal_rule_eval_seconds_sum{rule_id="AWS.Root.Login"}')! - 0.004) < 1e-9);
  assert.equal(sample(text, 'caracal_rule_eval_seconds_bucket{le="0.0005",rule_id="Panther.Detection.Deleted"}'), 1);
});

test('readiness: declared checks fail until set, a slow probe fails in time, shutdown overrides everything', async () => {
  const r = new ReadinessRegistry();
  r.declare('rules', 'detections not loaded yet');
  r.set('bus', () => undefined);
  let report = await r.report();
  assert.equal(report.status, 'not-ready');
  assert.deepEqual(report.checks, { rules: { status: 'fail', error: 'detections not loaded yet' }, bus: { status: 'ok' } });
  r.set('rules', async () => undefined);
  r.declare('rules', 'ignored: already set');
  report = await r.report();
  assert.deepEqual(report, { status: 'ready', checks: { rules: { status: 'ok' }, bus: { status: 'ok' } } });
  r.set('lake', () => new Promise<void>(() => undefined));
  report = await r.report(50);
  assert.equal(report.status, 'not-ready');
  assert.deepEqual(report.checks.lake, { status: 'fail', error: 'no answer within 50 ms' });
  r.set('lake', () => {
    throw new Error('SELECT 1 failed');
  });
  assert.deepEqual((await r.report()).checks.lake, { status: 'fail', error: 'SELECT 1 failed' });
  r.markShuttingDown();
  report = await r.report();
  assert.equal(report.status, 'not-ready');
  assert.equal(report.checks.shutdown.status, 'fail');
});
