import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ConsumedMessage, DeadLetter, KafkaBus, readDeadLetter, Topics } from '@caracal/bus';
import { AlertDedupService, ALERT_STAGE_GROUP } from '@caracal/alert-stage';
import { DEAD_LETTER_WRITER_GROUP, DeadLetterWriterService, EVENT_WRITER_GROUP, EventWriterService } from '@caracal/clickhouse-writer';
import { createLogger, loadConfig, UnavailableError } from '@caracal/core';
import { alertDedupKey, AlertRecord, decodeNormalizedEvent, NormalizedEvent, RuleMatch, toClickHouseTime } from '@caracal/core/messages';
import { CaracalMetrics } from '@caracal/core/observability';
import { applyLakeSchema, createLakeClient, DEAD_LETTERS_TABLE, LakeClient } from '@caracal/lake';
import { groupLag } from '../support/kafka-lag';
import { kafkaBrokers, tempDir, uniqueName } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// One poison message must not hold up a partition: after bounded attempts it
// goes to the dead-letter topic with its reason, and the messages of other
// tenants behind it on the same partition go through, each once. A failure
// of the infrastructure is retried instead, and never dead-lettered.
const logger = createLogger('error', 'dead-letters-test');
const buses: KafkaBus[] = [];
const cleanups: (() => Promise<void>)[] = [];
const MAX_ATTEMPTS = 3;

/** One partition per topic: the poison and the messages behind it share it. */
function bus(prefix: string, metrics?: CaracalMetrics): KafkaBus {
  const b = new KafkaBus({
    brokers: kafkaBrokers().split(','),
    clientId: 'caracal-test',
    topicPrefix: prefix,
    topicPartitions: 1,
    requestTimeoutMs: 30_000,
    logger,
    deadLetters: { maxAttempts: MAX_ATTEMPTS, retryBackoffMs: 20, metrics },
  });
  buses.push(b);
  return b;
}

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await Promise.all(buses.map((b) => b.close()));
});

const NOW = Date.now();

function event(tenant: string, id: string, over: Record<string, unknown> = {}): NormalizedEvent {
  const time = toClickHouseTime(new Date(NOW));
  return {
    p_log_type: 'Panther.Audit',
    p_tenant_id: tenant,
    p_row_id: id,
    p_event_time: time,
    p_parse_time: time,
    p_source_id: `${tenant}-audit`,
    p_source_label: tenant,
    p_schema_version: 1,
    p_any_ip_addresses: [],
    p_any_usernames: [],
    p_any_emails: [],
    p_any_trace_ids: [],
    p_any_actor_ids: [],
    actionName: 'DELETE_DETECTION',
    actionResult: 'SUCCEEDED',
    actor: { id: 'u-1', type: 'USER' },
    pantherVersion: '1.0',
    timestamp: time,
    ...over,
  };
}

/** Every message the dead-letter topic holds once `count` are there. */
async function deadLetters(b: KafkaBus, count: number): Promise<DeadLetter[]> {
  // The bus creates the topic with the first dead letter; the reader may come first.
  await b.ensureTopics([Topics.consumerDeadLetters]);
  const got: ConsumedMessage[] = [];
  const reader = b.reader(Topics.consumerDeadLetters);
  await reader.run((_p, messages) => got.push(...messages));
  try {
    await waitFor(`${count} dead letter(s)`, async () => {
      await reader.caughtUp(30_000);
      return got.length >= count ? true : undefined;
    });
    await reader.caughtUp(30_000);
  } finally {
    await reader.stop();
  }
  return got.map(readDeadLetter);
}

test('bus: a poison message is set aside after bounded attempts; the other tenant behind it is handled once each, and committed', async () => {
  const prefix = uniqueName('dlq-bus');
  const metrics = new CaracalMetrics({ defaultMetrics: false });
  const b = bus(prefix, metrics);
  await b.ensureTopics(['events']);
  const producer = await b.producer();
  await producer.send('events', [
    { key: 'acme', value: JSON.stringify(event('acme', 'a-0')) },
    // Valid JSON, but not an event: no row id.
    { key: 'evil', value: JSON.stringify({ ...event('evil', 'x'), p_row_id: undefined }), headers: { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` } },
    ...[1, 2, 3, 4].map((i) => ({ key: 'acme', value: JSON.stringify(event('acme', `a-${i}`)) })),
  ]);
  const handled: string[] = [];
  let calls = 0;
  const consumer = b.consumer({ groupId: 'g', topics: ['events'] });
  await consumer.run(async (batch) => {
    calls++;
    // Decoded before anything is done, like every Caracal consumer.
    const events = batch.messages.map((m) => decodeNormalizedEvent(m.value));
    handled.push(...events.map((e) => e.p_row_id));
  });
  const [letter] = await deadLetters(b, 1);
  await waitFor('every acme event handled and committed', async () => (handled.length >= 5 && (await groupLag(prefix, 'g', ['events'])) === 0 ? true : undefined));
  // Later messages keep flowing.
  await producer.send('events', [{ key: 'acme', value: JSON.stringify(event('acme', 'a-5')) }]);
  await waitFor('the next message', async () => (handled.includes('a-5') ? true : undefined));
  await consumer.stop();

  assert.deepEqual(handled, ['a-0', 'a-1', 'a-2', 'a-3', 'a-4', 'a-5'], 'each once, in order, none lost');
  assert.ok(calls >= MAX_ATTEMPTS + 2, `bounded attempts, then the messages one by one (${calls} calls)`);
  assert.equal(letter.topic, 'events');
  assert.equal(letter.partition, 0);
  assert.equal(letter.offset, '1');
  assert.equal(letter.groupId, 'g');
  assert.equal(letter.tenantId, 'evil');
  assert.equal(letter.errorCode, 'INVALID_ARGUMENT');
  assert.match(letter.error, /not a valid normalized event: p_row_id must be a string, got undefined/);
  assert.equal(letter.attempts, MAX_ATTEMPTS + 1);
  assert.equal(letter.key, 'evil');
  assert.equal(letter.value.toString(), JSON.stringify({ ...event('evil', 'x'), p_row_id: undefined }), 'the value is the original, byte for byte');
  assert.equal(letter.headers.traceparent, `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`);
  assert.match(await metrics.exposition(), /caracal_consumer_dead_letters_total\{group="g",reason="INVALID_ARGUMENT"\} 1/);
});

test('bus: a failure of the infrastructure is retried past the bound, never dead-lettered, and nothing is lost or doubled', async () => {
  const prefix = uniqueName('dlq-retriable');
  const b = bus(prefix);
  await b.ensureTopics(['events']);
  const producer = await b.producer();
  await producer.send('events', [0, 1, 2].map((i) => ({ key: 'acme', value: JSON.stringify(event('acme', `r-${i}`)) })));
  const handled: string[] = [];
  let calls = 0;
  const consumer = b.consumer({ groupId: 'g', topics: ['events'] });
  await consumer.run(async (batch) => {
    calls++;
    if (calls <= MAX_ATTEMPTS + 1) throw new UnavailableError('the lake is down');
    handled.push(...batch.messages.map((m) => decodeNormalizedEvent(m.value).p_row_id));
  });
  await waitFor('the batch once the lake is back', async () => (handled.length >= 3 && (await groupLag(prefix, 'g', ['events'])) === 0 ? true : undefined), 90_000);
  await consumer.stop();
  assert.deepEqual(handled, ['r-0', 'r-1', 'r-2']);
  const letters = await deadLetters(b, 0);
  assert.deepEqual(letters, [], 'nothing dead-lettered');
});

test('writer: a row the lake refuses is filed in caracal.dead_letters; the other tenant reaches the lake, once per event, after a lake outage too', async () => {
  const prefix = uniqueName('dlq-writer');
  const dir = tempDir('dlq-writer');
  const config = loadConfig({ CARACAL_DATA_DIR: dir, CARACAL_BATCH_MAX_EVENTS: '100' }, dir);
  const lake = createLakeClient(config);
  await applyLakeSchema(lake);
  // The real engine, whose first inserts fail as a lost connection does: the outage the writer must sit out.
  let outage = MAX_ATTEMPTS + 1;
  const flaky = new Proxy(lake, {
    get(target, prop, receiver) {
      if (prop !== 'insertJsonLines') return Reflect.get(target, prop, receiver) as unknown;
      return (params: Parameters<LakeClient['insertJsonLines']>[0]) =>
        outage-- > 0 ? Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })) : target.insertJsonLines(params);
    },
  });
  const metrics = new CaracalMetrics({ defaultMetrics: false });
  const b = bus(prefix, metrics);
  const writer = new EventWriterService(b, flaky, config, logger, metrics);
  const deadLetterWriter = new DeadLetterWriterService(b, lake, config, logger, metrics);
  cleanups.push(async () => {
    await writer.onApplicationShutdown();
    await deadLetterWriter.onApplicationShutdown();
    await lake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const topic = Topics.logs('Panther.Audit');
  await b.ensureTopics([topic]);
  const producer = await b.producer();
  // Published before the writers start, so they come in one batch: the refused row fails its insert as a whole.
  await producer.send(topic, [
    { key: 'acme', value: JSON.stringify(event('acme', 'w-0')) },
    { key: 'evil', value: JSON.stringify(event('evil', 'poison', { timestamp: 'not a time' })) },
    ...[1, 2, 3].map((i) => ({ key: 'acme', value: JSON.stringify(event('acme', `w-${i}`)) })),
  ]);
  await writer.onApplicationBootstrap();
  await deadLetterWriter.onApplicationBootstrap();

  const query = async <T>(sql: string) => (await lake.query({ query: sql, format: 'JSONEachRow' })).json<T>();
  await waitFor('the dead letter filed', async () => ((await query(`SELECT 1 FROM ${DEAD_LETTERS_TABLE}`)).length === 1 ? true : undefined), 90_000);
  await waitFor('both writers committed', async () =>
    (await groupLag(prefix, EVENT_WRITER_GROUP, [topic])) === 0 && (await groupLag(prefix, DEAD_LETTER_WRITER_GROUP, [Topics.consumerDeadLetters])) === 0 ? true : undefined,
  );
  const [acme] = await query<{ rows: string; ids: string }>("SELECT count() AS rows, uniqExact(p_row_id) AS ids FROM panther_logs.panther_audit WHERE p_tenant_id = 'acme'");
  assert.deepEqual([Number(acme.rows), Number(acme.ids)], [4, 4], 'every acme event once, without FINAL');
  const evil = await query<{ n: string }>("SELECT count() AS n FROM panther_logs.panther_audit WHERE p_tenant_id = 'evil'");
  assert.equal(Number(evil[0].n), 0);
  const [letter] = await query<Record<string, unknown>>(
    `SELECT consumer_group, source_topic, toString(source_offset) AS offset, tenant_id, error_code, error_message, attempts FROM ${DEAD_LETTERS_TABLE}`,
  );
  assert.equal(letter.consumer_group, EVENT_WRITER_GROUP);
  assert.equal(letter.source_topic, topic);
  assert.equal(letter.offset, '1');
  assert.equal(letter.tenant_id, 'evil');
  assert.equal(letter.error_code, 'INVALID_EVENT');
  assert.match(String(letter.error_message), /the lake refused rows for panther_logs\.panther_audit: Cannot read DateTime/);
  assert.equal(letter.attempts, MAX_ATTEMPTS + 1);
  assert.ok(outage < 0, 'the outage happened and was sat out');
  const exposition = await metrics.exposition();
  assert.match(exposition, new RegExp(`caracal_consumer_dead_letters_total\\{group="${EVENT_WRITER_GROUP}",reason="INVALID_EVENT"\\} 1`));
  assert.doesNotMatch(exposition, /reason="UNAVAILABLE"/, 'the outage was not dead-lettered');
});

function match(tenant: string, offset: number, over: Partial<RuleMatch> = {}): RuleMatch {
  return {
    tenantId: tenant,
    rule: { ruleId: 'Test.Rule', ruleSeverity: 'HIGH', dedupPeriodMinutes: 60, threshold: 1, createAlert: true, outputIds: [], tags: [], reports: {} },
    event: event(tenant, `${tenant}-${offset}`),
    source: { topic: 'logs.panther_audit', partition: 0, offset: String(offset) },
    matchedAtMs: NOW + offset,
    title: 'deleted',
    dedup: 'same',
    severity: 'HIGH',
    alertContext: {},
    description: '',
    reference: '',
    runbook: '',
    destinations: null,
    auxErrors: [],
    ...over,
  };
}

test('alert stage: an unreadable rule match is dead-lettered, and the other tenant\'s matches behind it make their alert', async () => {
  const prefix = uniqueName('dlq-alerts');
  const b = bus(prefix);
  const stage = new AlertDedupService(b, loadConfig({ CARACAL_MODE: 'embedded' }), logger);
  cleanups.push(() => stage.onApplicationShutdown());
  await b.ensureTopics([Topics.ruleMatches]);
  const producer = await b.producer();
  const key = alertDedupKey('acme', 'Test.Rule', 'RULE', 'same');
  const poison = { ...match('evil', 1), rule: 'not settings' };
  await producer.send(Topics.ruleMatches, [
    { key, value: JSON.stringify(match('acme', 0)) },
    { key, value: JSON.stringify(poison) },
    ...[2, 3, 4].map((o) => ({ key, value: JSON.stringify(match('acme', o)) })),
  ]);
  await stage.onApplicationBootstrap();

  const [letter] = await deadLetters(b, 1);
  await waitFor('the stage committed everything', async () => ((await groupLag(prefix, ALERT_STAGE_GROUP, [Topics.ruleMatches])) === 0 ? true : undefined));
  const alerts: AlertRecord[] = [];
  const reader = b.reader(Topics.alerts);
  await reader.run((_p, messages) => alerts.push(...messages.map((m) => JSON.parse(m.value.toString()) as AlertRecord)));
  await reader.caughtUp(30_000);
  await reader.stop();
  const latest = alerts.reduce((a, x) => (x.version > a.version ? x : a));
  assert.equal(latest.tenantId, 'acme');
  assert.equal(latest.eventCount, 4, 'every acme match counted once, none lost behind the poison');
  assert.equal(letter.groupId, ALERT_STAGE_GROUP);
  assert.equal(letter.topic, Topics.ruleMatches);
  assert.equal(letter.offset, '1');
  assert.equal(letter.tenantId, 'evil');
  assert.equal(letter.errorCode, 'INVALID_ARGUMENT');
  assert.match(letter.error, /not a valid rule match: rule must be an object, got string/);
});
