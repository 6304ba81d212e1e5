import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, loadConfig } from '@caracal/core';
import { AlertRecord, alertDedupKey, NormalizedEvent, RuleMatch, toClickHouseTime } from '@caracal/core/messages';
import { BusProducer, KafkaBus, Topics } from '@caracal/bus';
import { AlertDedupService, ALERT_STAGE_GROUP } from '@caracal/alert-stage';
import { groupLag } from '../support/kafka-lag';
import { kafkaBrokers, uniqueName } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// The alert stage against the real broker: replays dropped, state rebuilt
// from the alerts topic after a restart, partitions split between instances.
const logger = createLogger('warn', 'alert-stage-test');
const buses: KafkaBus[] = [];
const stages: AlertDedupService[] = [];

function bus(prefix: string): KafkaBus {
  const b = new KafkaBus({ brokers: kafkaBrokers().split(','), clientId: 'caracal-test', topicPrefix: prefix, topicPartitions: 3, requestTimeoutMs: 30_000, logger });
  buses.push(b);
  return b;
}

async function startStage(prefix: string): Promise<{ stage: AlertDedupService; bus: KafkaBus }> {
  const b = bus(prefix);
  const config = loadConfig({ CARACAL_MODE: 'embedded' });
  const stage = new AlertDedupService(b, config, logger);
  stages.push(stage);
  await stage.onApplicationBootstrap();
  return { stage, bus: b };
}

async function stopStage(s: { stage: AlertDedupService; bus: KafkaBus }): Promise<void> {
  await s.stage.onApplicationShutdown();
  await s.bus.close();
}

after(async () => {
  await Promise.all(stages.map((s) => s.onApplicationShutdown().catch(() => undefined)));
  await Promise.all(buses.map((b) => b.close()));
});

const T0 = Date.now();

function match(key: number, offset: number, sourcePartition = 0): RuleMatch {
  const event: NormalizedEvent = {
    p_log_type: 'Panther.Audit',
    p_tenant_id: 'acme',
    p_row_id: `row-${sourcePartition}-${offset}`,
    p_event_time: toClickHouseTime(new Date(T0)),
    p_parse_time: toClickHouseTime(new Date(T0)),
    p_source_id: 's',
    p_source_label: 's',
    p_schema_version: 0,
    p_any_ip_addresses: [],
    p_any_usernames: [],
    p_any_emails: [],
    p_any_trace_ids: [],
    p_any_actor_ids: [],
  };
  return {
    tenantId: 'acme',
    rule: { ruleId: 'Test.Rule', ruleSeverity: 'HIGH', dedupPeriodMinutes: 60, threshold: 1, createAlert: true, outputIds: [], tags: [], reports: {} },
    event,
    source: { topic: 'logs.panther_audit', partition: sourcePartition, offset: String(offset) },
    matchedAtMs: T0 + offset,
    title: `key ${key}`,
    dedup: `key-${key}`,
    severity: 'HIGH',
    alertContext: {},
    description: '',
    reference: '',
    runbook: '',
    destinations: null,
    auxErrors: [],
  };
}

/** Publishes like a rules-worker: keyed by dedup key, in source order. */
async function publish(producer: BusProducer, matches: RuleMatch[]): Promise<void> {
  await producer.send(
    Topics.ruleMatches,
    matches.map((m) => ({ key: alertDedupKey(m.tenantId, m.rule.ruleId, 'RULE', m.dedup), value: JSON.stringify(m) })),
  );
}

/** The latest record of every key on the alerts topic, read the way the stage itself restores. */
async function latestAlerts(b: KafkaBus, expectKeys: number, total: number): Promise<Map<string, AlertRecord>> {
  const latest = new Map<string, AlertRecord>();
  const reader = b.reader(Topics.alerts);
  await reader.run((_p, messages) => {
    for (const m of messages) {
      const a = JSON.parse(m.value.toString()) as AlertRecord;
      if ((latest.get(a.dedupKey)?.version ?? 0) < a.version) latest.set(a.dedupKey, a);
    }
  });
  try {
    await waitFor(`${expectKeys} alerts counting ${total} events`, async () => {
      await reader.caughtUp(30_000);
      const sum = [...latest.values()].reduce((n, a) => n + a.eventCount, 0);
      return latest.size === expectKeys && sum >= total ? true : undefined;
    }, 60_000);
  } finally {
    await reader.stop();
  }
  return latest;
}

async function settled(prefix: string): Promise<void> {
  await waitFor('the alert stage to commit everything', async () =>
    (await groupLag(prefix, ALERT_STAGE_GROUP, [Topics.ruleMatches])) === 0 ? true : undefined,
  );
}

test('replays are dropped, and a restarted stage continues the same alerts from the alerts topic', async () => {
  const prefix = uniqueName('alert-stage');
  const first = await startStage(prefix);
  const producer = await first.bus.producer();
  // 4 keys x 10 matches from two source partitions; a rules-worker replay repeats offsets 5..9 of partition 0.
  const batch1 = [];
  for (let o = 0; o < 10; o++) for (let k = 0; k < 4; k++) batch1.push(match(k, o, o % 2));
  await publish(producer, batch1);
  await publish(producer, batch1.filter((m) => m.source.partition === 0 && Number(m.source.offset) >= 5));
  const before = await latestAlerts(first.bus, 4, 40);
  await settled(prefix);
  const afterFirst = await latestAlerts(first.bus, 4, 40);
  assert.deepEqual([...afterFirst.values()].map((a) => a.eventCount), [10, 10, 10, 10]);
  await stopStage(first);

  // A new instance: it knows nothing but the topics.
  const second = await startStage(prefix);
  const producer2 = await second.bus.producer();
  const batch2 = [];
  for (let o = 10; o < 15; o++) for (let k = 0; k < 4; k++) batch2.push(match(k, o, 0));
  // Old offsets again (a late replay), then new ones.
  await publish(producer2, [...batch1.slice(0, 8), ...batch2]);
  const restored = await latestAlerts(second.bus, 4, 60);
  await settled(prefix);
  const final = await latestAlerts(second.bus, 4, 60);
  for (const [key, a] of final) {
    assert.equal(a.eventCount, 15, `${key}: 10 before the restart + 5 after, the replays not counted`);
    assert.equal(a.alertId, before.get(key)!.alertId, 'the same alert, continued');
    assert.equal(a.createdAt, before.get(key)!.createdAt);
  }
  assert.equal(restored.size, 4);
  await stopStage(second);
});

test('two instances split the partitions; counts stay exact across the rebalance', async () => {
  const prefix = uniqueName('alert-stage-pair');
  const a = await startStage(prefix);
  const producer = await a.bus.producer();
  const keys = 12;
  const sendRound = async (from: number, to: number) => {
    const batch = [];
    for (let o = from; o < to; o++) for (let k = 0; k < keys; k++) batch.push(match(k, o, 0));
    await publish(producer, batch);
  };
  await sendRound(0, 5);
  await latestAlerts(a.bus, keys, keys * 5);
  // A second instance joins: partitions move while more outputs (and replays) arrive.
  const b = await startStage(prefix);
  await sendRound(3, 10);
  await settled(prefix);
  const final = await latestAlerts(b.bus, keys, keys * 10);
  assert.deepEqual(new Set([...final.values()].map((x) => x.eventCount)), new Set([10]));
  assert.equal(new Set([...final.values()].map((x) => x.alertId)).size, keys);
  await stopStage(b);
  await stopStage(a);
});
