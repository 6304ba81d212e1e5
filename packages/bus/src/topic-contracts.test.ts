import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@caracal/core';
import { MessageDecodeError, NormalizedEvent, RuleError, RuleMatch, TenantDetectionRecord } from '@caracal/core/messages';
import { ContractConsumer, ConsumerSubscription } from './contract-consumer.base';
import { LocalBus } from './local-bus';
import type { ConsumedBatch, ConsumedMessage } from './message-bus';
import { isPoisonFailure } from './poison-message.policy';
import { decodeMessage, encodeMessage, isTombstone, publish, TopicContract } from './topic-contract';
import {
  ALERT_DELIVERIES,
  ALERT_EVENTS,
  ALERTS,
  CONSUMER_DEAD_LETTERS,
  DETECTIONS,
  eventsTopic,
  FIXED_TOPICS,
  INGEST_REJECTIONS,
  RULE_ERRORS,
  RULE_MATCHES,
  Topics,
} from './topic-contracts';
import { deadLetters, until } from './test-support';

const logger = createLogger('silent');

const event: NormalizedEvent = {
  p_log_type: 'Panther.Audit',
  p_tenant_id: 'acme',
  p_row_id: 'r1',
  p_event_time: '2024-01-31 12:00:00.000',
  p_parse_time: '2024-01-31 12:00:01.000',
  p_source_id: 's',
  p_source_label: 'S',
  p_schema_version: 1,
  p_any_ip_addresses: [],
  p_any_usernames: [],
  p_any_emails: [],
  p_any_trace_ids: [],
  p_any_actor_ids: [],
  actionName: 'DELETE_DETECTION',
};

function ruleMatch(dedup: string): RuleMatch {
  return {
    tenantId: 'acme',
    rule: { ruleId: 'Panther.Detection.Deleted', ruleSeverity: 'HIGH', dedupPeriodMinutes: 60, threshold: 1, createAlert: true, outputIds: [], tags: [], reports: {} },
    event,
    source: { topic: 'logs.panther_audit', partition: 0, offset: '7' },
    matchedAtMs: 1706702400000,
    title: 'deleted',
    dedup,
    severity: 'HIGH',
    alertContext: {},
    description: '',
    reference: '',
    runbook: '',
    destinations: null,
    auxErrors: [],
  };
}

const asConsumed = (m: { key: string; value: string | Buffer }, offset = '0'): ConsumedMessage => ({ key: m.key, value: Buffer.from(m.value), offset });

test('every topic is declared once, and the name map tools use is the contracts’ names', () => {
  const names = FIXED_TOPICS.map((c) => c.name);
  assert.equal(new Set(names).size, names.length, 'no two contracts share a topic');
  assert.deepEqual(
    Object.entries(Topics)
      .filter(([, v]) => typeof v === 'string')
      .map(([, v]) => v)
      .sort(),
    [...names].sort(),
  );
  assert.equal(Topics.logs('GitHub.Audit'), eventsTopic('GitHub.Audit').name);
  assert.equal(eventsTopic('Panther.Audit').name, 'logs.panther_audit');
  assert.equal(eventsTopic('Panther.Audit'), eventsTopic('Panther.Audit'), 'one contract object per log type');
  // The topics that are also state stores, and only they, are compacted.
  assert.deepEqual(FIXED_TOPICS.filter((c) => c.compacted).map((c) => c.name).sort(), [ALERTS.name, DETECTIONS.name].sort());
  for (const c of [...FIXED_TOPICS, eventsTopic('Panther.Audit')]) {
    assert.ok(c.valueType.length > 0 && c.keyedBy.length > 0, `${c.name} says what its values and keys are`);
    assert.ok(Object.isFrozen(c), `${c.name} cannot be changed after it is declared`);
  }
});

test('a value goes out keyed by its contract and comes back equal', () => {
  const m = ruleMatch('d1');
  const out = encodeMessage(RULE_MATCHES, m, { traceparent: 't' });
  // One dedup key, one alert-stage partition: the key is the alert's.
  assert.equal(out.key, 'acme|Panther.Detection.Deleted|d1');
  assert.deepEqual(out.headers, { traceparent: 't' });
  assert.deepEqual(decodeMessage(RULE_MATCHES, asConsumed(out)), m);
  assert.equal(encodeMessage(RULE_MATCHES, m).headers, undefined, 'no headers unless given');

  const e: RuleError = { ...ruleMatch('x'), errorType: 'KeyError', message: "'actor'\nmore", traceback: 'tb' } as unknown as RuleError;
  assert.equal(encodeMessage(RULE_ERRORS, e).key, "acme|Panther.Detection.Deleted|rule-error|KeyError: 'actor'");

  const ev = eventsTopic('Panther.Audit');
  const evOut = encodeMessage(ev, event);
  assert.equal(evOut.key, 'acme');
  assert.deepEqual(decodeMessage(ev, asConsumed(evOut)), event);

  const record: TenantDetectionRecord = { tenantId: 'acme', ruleId: 'My.Rule', version: 3, updatedAtMs: 1, updatedBy: 'token:ci (t1)' };
  const recOut = encodeMessage(DETECTIONS, record);
  assert.equal(recOut.key, 'acme|My.Rule');
  assert.deepEqual(decodeMessage(DETECTIONS, asConsumed(recOut)), record);

  assert.equal(encodeMessage(ALERT_EVENTS, { kind: 'match', logType: 'Panther.Audit', row: { ...event, p_alert_id: 'a9' } }).key, 'acme|a9');
  assert.equal(encodeMessage(ALERT_DELIVERIES, { tenantId: 'acme', alertId: 'a9', destinationId: 'd', destinationType: 'webhook', outcome: 'DELIVERED', attempts: 1, httpStatus: 204, error: '', attemptedAt: '2024-01-31 12:00:00.000' }).key, 'a9');
  assert.equal(
    encodeMessage(INGEST_REJECTIONS, { p_tenant_id: 'globex', p_row_id: 'r', p_parse_time: '2024-01-31 12:00:00.000', p_source_id: 's', p_source_label: 'S', p_log_type: 'Panther.Audit', request_id: 'q', event_index: 0, raw: '{', raw_encoding: 'utf8', raw_truncated: false, problems: [{ field: '(line)', problem: 'not JSON' }] }).key,
    'globex',
  );
});

test('what a codec refuses is a poison message: not retriable, set aside by the bus', () => {
  const cases: [TopicContract<unknown>, ConsumedMessage, RegExp][] = [
    [RULE_MATCHES, asConsumed({ key: 'k', value: 'not json' }), /not a valid rule match: the value is not JSON/],
    [eventsTopic('Panther.Audit'), asConsumed({ key: 'acme', value: '{"p_tenant_id":"acme"}' }), /not a valid normalized event: p_log_type/],
    // Compaction keeps one record per key: one under a foreign key could outlive its own.
    [DETECTIONS, asConsumed({ key: 'globex|My.Rule', value: JSON.stringify({ tenantId: 'acme', ruleId: 'My.Rule', version: 1 }) }), /stored under key "globex\|My.Rule"/],
    // An empty value is a tombstone only where keys can be deleted.
    [RULE_MATCHES, asConsumed({ key: 'k', value: '' }), /the value is not JSON/],
  ];
  for (const [contract, message, problem] of cases) {
    assert.throws(
      () => decodeMessage(contract, message),
      (err: unknown) => err instanceof MessageDecodeError && problem.test(err.message) && isPoisonFailure(err),
      `${contract.name}: ${message.value.toString()}`,
    );
  }
  assert.equal(isTombstone(ALERTS, asConsumed({ key: 'k', value: '' })), true);
  assert.equal(isTombstone(RULE_MATCHES, asConsumed({ key: 'k', value: '' })), false);
  // The dead-letter topic's values are other topics' bytes, taken as they are.
  assert.deepEqual(decodeMessage(CONSUMER_DEAD_LETTERS, asConsumed({ key: 'k', value: Buffer.from([0xff, 0x00]) })), Buffer.from([0xff, 0x00]));
});

/** A consumer as the services write one: decode every message through the contract, then act. */
class MatchCounter extends ContractConsumer<RuleMatch> {
  readonly seen: string[] = [];
  readonly steps: string[] = [];

  constructor(bus: LocalBus, private readonly groupId: string) {
    super(bus);
  }

  protected subscription(): ConsumerSubscription<RuleMatch> {
    return { groupId: this.groupId, consumes: [RULE_MATCHES], produces: [ALERTS], maxBatchMessages: 10 };
  }

  protected override async beforeConsume(): Promise<void> {
    this.steps.push(`before consume, producer ready: ${this.producer !== undefined}`);
  }

  protected override async afterStop(): Promise<void> {
    this.steps.push('after stop');
  }

  async handle(batch: ConsumedBatch): Promise<void> {
    const contract = this.contractOf(batch);
    const matches = batch.messages.map((m) => decodeMessage(contract, m));
    this.seen.push(...matches.map((m) => m.dedup));
  }
}

test('a ContractConsumer creates its topics, consumes through its contract, and a message it cannot decode goes to the dead-letter topic while the rest go on', async () => {
  const bus = new LocalBus({ logger, deadLetters: { maxAttempts: 2, retryBackoffMs: 1 } });
  const consumer = new MatchCounter(bus, 'test-match-counter');
  await consumer.onApplicationBootstrap();
  assert.deepEqual(consumer.steps, ['before consume, producer ready: true']);
  const producer = await bus.producer();
  await publish(producer, RULE_MATCHES, [ruleMatch('first')]);
  await producer.send(RULE_MATCHES.name, [{ key: 'acme|Panther.Detection.Deleted|bad', value: '{"tenantId":"acme"}' }]);
  await publish(producer, RULE_MATCHES, [ruleMatch('second')]);
  await until(() => consumer.seen.length === 2);
  assert.deepEqual(consumer.seen, ['first', 'second']);

  const [letter] = await deadLetters(bus, 1);
  assert.equal(letter.groupId, 'test-match-counter');
  assert.equal(letter.topic, RULE_MATCHES.name);
  assert.equal(letter.errorCode, 'INVALID_ARGUMENT');
  assert.match(letter.error, /not a valid rule match/);
  assert.equal(letter.value.toString(), '{"tenantId":"acme"}');

  await consumer.onApplicationShutdown();
  assert.deepEqual(consumer.steps, ['before consume, producer ready: true', 'after stop']);
  await bus.close();
});

test('a batch of a topic the consumer does not read is a bug, named', () => {
  const consumer = new MatchCounter(new LocalBus({ logger }), 'test-other');
  const batch: ConsumedBatch = { topic: ALERTS.name, partition: 0, messages: [], generation: 1 };
  assert.throws(() => (consumer as unknown as { contractOf(b: ConsumedBatch): unknown }).contractOf(batch), /MatchCounter got a batch of alerts, which it does not consume/);
});
