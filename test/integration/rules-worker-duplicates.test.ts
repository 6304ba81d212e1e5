import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KafkaBus, Topics } from '@caracal/bus';
import { RunningCaracal, startCaracal } from '@caracal/runtime';
import { createLogger, loadConfig } from '@caracal/core';
import { NormalizedEvent, RuleMatch, toClickHouseTime } from '@caracal/core/messages';
import { createClient } from 'redis';
import { RULES_WORKER_GROUP, redisSeenEventKey, seenEventKey, sourcePosition } from '@caracal/rules-worker';
import { groupLag } from '../support/kafka-lag';
import { kafkaBrokers, redisUrl, tempDir, uniqueName } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// A rules-worker on the real broker, with Redis and Pyodide, fed the same
// normalized event twice at different offsets (what an ingest retry after a
// timed-out publish leaves in the log topic): it must match once.
const LOG_TOPIC = Topics.logs('Panther.Audit');
const prefix = uniqueName('dup');
const dataDir = tempDir('rules-duplicates');
const rulesDir = path.join(dataDir, 'rules');
const TENANT = uniqueName('dup-tenant');
const logger = createLogger('warn', 'rules-duplicates-test');
let running: RunningCaracal;
let bus: KafkaBus;

before(async () => {
  fs.mkdirSync(rulesDir, { recursive: true });
  fs.writeFileSync(path.join(rulesDir, 'dup_every.py'), 'def rule(event):\n    return event.get("actionName") == "DUP"\n');
  fs.writeFileSync(
    path.join(rulesDir, 'dup_every.yml'),
    ['AnalysisType: rule', 'RuleID: Dup.Every', 'Filename: dup_every.py', 'Enabled: true', 'LogTypes:', '  - Panther.Audit', 'Severity: Low', ''].join('\n'),
  );
  const config = loadConfig({
    CARACAL_MODE: 'kafka',
    CARACAL_KAFKA_BROKERS: kafkaBrokers(),
    CARACAL_REDIS_URL: redisUrl(),
    CARACAL_KAFKA_TOPIC_PREFIX: prefix,
    CARACAL_KAFKA_TOPIC_PARTITIONS: '2',
    CARACAL_DATA_DIR: dataDir,
    CARACAL_RULES_DIR: rulesDir,
    CARACAL_BIND_HOST: '127.0.0.1',
    CARACAL_OPS_PORT: '0',
    CARACAL_LOG_LEVEL: 'warn',
    CARACAL_DETECTION_PROCESSES_PER_TENANT: '1',
  });
  running = await startCaracal(config, ['rules-worker'], logger);
  bus = new KafkaBus({ brokers: kafkaBrokers().split(','), clientId: 'caracal-test', topicPrefix: prefix, topicPartitions: 2, requestTimeoutMs: 30_000, logger });
});

after(async () => {
  await running?.close();
  await bus?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function event(rowId: string): NormalizedEvent {
  const now = toClickHouseTime(new Date());
  return {
    p_log_type: 'Panther.Audit',
    p_tenant_id: TENANT,
    p_row_id: rowId,
    p_event_time: now,
    p_parse_time: now,
    p_source_id: 'dup-source',
    p_source_label: 'dup-source',
    p_schema_version: 0,
    p_any_ip_addresses: [],
    p_any_usernames: [],
    p_any_emails: [],
    p_any_trace_ids: [],
    p_any_actor_ids: [],
    actionName: 'DUP',
    actor: { id: 'a1', name: 'a1' },
  };
}

async function duplicatesCounted(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${running.opsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`caracal_rules_duplicate_events_total{tenant="${TENANT}"}`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('the same event published twice at different offsets matches once; distinct row ids of identical content both match', async () => {
  const producer = await bus.producer();
  const dup = event('dup-row');
  const other = event('other-row');
  // The control: the same content under two row ids is two events, and both are evaluated.
  const twins = [event('twin-row-1'), event('twin-row-2')];
  const send = (e: NormalizedEvent, key: string) => producer.send(LOG_TOPIC, [{ key, value: JSON.stringify(e) }]);
  // Two copies in one partition (separate sends: separate offsets, likely separate batches)...
  await send(dup, 'p');
  await send(other, 'p');
  await send(dup, 'p');
  // ...and a third copy under another key, which may sit in the other partition and be read on its own.
  await send(dup, 'q');
  for (const twin of twins) await send(twin, 'p');
  await producer.disconnect();

  await waitFor('the rules-worker to commit every event', async () => ((await groupLag(prefix, RULES_WORKER_GROUP, [LOG_TOPIC])) === 0 ? true : undefined), 120_000);
  const matches: RuleMatch[] = [];
  const reader = bus.reader(Topics.ruleMatches);
  await reader.run((_partition, messages) => {
    for (const m of messages) matches.push(JSON.parse(m.value.toString('utf8')) as RuleMatch);
  });
  // Every match was published before its batch was committed, so this is all of them.
  await reader.caughtUp(60_000);
  await reader.stop();

  const perRow = new Map<string, number>();
  for (const m of matches) perRow.set(m.event.p_row_id, (perRow.get(m.event.p_row_id) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries([...perRow].sort()), { 'dup-row': 1, 'other-row': 1, 'twin-row-1': 1, 'twin-row-2': 1 });
  // The claim in Redis (under this install's prefix) names the copy that was evaluated.
  const { topic, partition, offset } = matches.find((m) => m.event.p_row_id === 'dup-row')!.source;
  const redis = createClient({ url: redisUrl() });
  await redis.connect();
  try {
    assert.equal(await redis.get(redisSeenEventKey(prefix, seenEventKey(TENANT, 'dup-row'))), sourcePosition(topic, partition, offset));
  } finally {
    await redis.close();
  }
  assert.equal(await duplicatesCounted(), 2, 'the two later copies are counted as duplicates');
});
