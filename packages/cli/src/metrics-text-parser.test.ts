import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricSamples } from './metrics-text-parser';
import { deadLetterCounts, stageLag } from './status-facts';

const TEXT = `# HELP caracal_consumer_lag_messages Messages of a partition after the consumer group's last handled batch.
# TYPE caracal_consumer_lag_messages gauge
caracal_consumer_lag_messages{group="caracal-rules-worker",topic="logs.panther_audit",partition="0"} 12
caracal_consumer_lag_messages{group="caracal-rules-worker",topic="logs.panther_audit",partition="1"} 3
caracal_consumer_lag_messages{group="caracal-clickhouse-writer-logs",topic="logs.panther_audit",partition="0"} 40
caracal_consumer_lag_messages{group="caracal-clickhouse-writer-alerts",topic="alerts",partition="0"} 2 1733550000000
caracal_consumer_lag_messages{group="odd \\"group\\", with\\\\comma",topic="t",partition="0"} 1
caracal_consumer_lag_messages_other 99
caracal_consumer_dead_letters_total{group="caracal-rules-worker",reason="INVALID_EVENT"} 2
caracal_consumer_dead_letters_total{group="caracal-alert-stage",reason="INTERNAL"} 0
caracal_consumer_lag_messages{broken 5
`;

test('the samples of one metric, with labels unescaped and a timestamp passed over', () => {
  const samples = metricSamples(TEXT, 'caracal_consumer_lag_messages');
  assert.equal(samples.length, 5);
  assert.deepEqual(samples[0], { labels: { group: 'caracal-rules-worker', topic: 'logs.panther_audit', partition: '0' }, value: 12 });
  assert.equal(samples[3].value, 2);
  assert.equal(samples[4].labels.group, 'odd "group", with\\comma');
  assert.deepEqual(metricSamples('caracal_up 1\n', 'caracal_up'), [{ labels: {}, value: 1 }]);
});

test('lag per stage sums its groups; a partition reported by two processes counts once, at the most', () => {
  const samples = [
    ...metricSamples(TEXT, 'caracal_consumer_lag_messages'),
    // A former owner of partition 0, before a rebalance, still reports it.
    ...metricSamples('caracal_consumer_lag_messages{group="caracal-rules-worker",topic="logs.panther_audit",partition="0"} 5', 'caracal_consumer_lag_messages'),
  ];
  const stages = stageLag(samples);
  const lag = Object.fromEntries(stages.map((s) => [s.id, s.lag]));
  assert.deepEqual(lag, { rules: 15, alerts: null, delivery: null, writer: 42, 'odd "group", with\\comma': 1 });
  assert.equal(stages[0].label, 'ingest → rules-worker');
});

test('dead letters by group and reason, zero counts left out', () => {
  const samples = metricSamples(TEXT, 'caracal_consumer_dead_letters_total');
  assert.deepEqual(deadLetterCounts([...samples, ...samples]), [{ group: 'caracal-rules-worker', reason: 'INVALID_EVENT', count: 4 }]);
});
