import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertRecord, NormalizedEvent, RuleError, RuleMatch, RuleSettings, toClickHouseTime } from '@caracal/core/messages';
import { dedupOutputs, RuleOutput } from './alert-dedup';

const T0 = Date.parse('2026-11-24T10:00:00.000Z');
const MINUTE = 60_000;

function rule(overrides: Partial<RuleSettings> = {}): RuleSettings {
  return {
    ruleId: 'Test.Rule',
    ruleSeverity: 'HIGH',
    dedupPeriodMinutes: 60,
    threshold: 1,
    createAlert: true,
    outputIds: [],
    tags: ['t'],
    reports: {},
    ...overrides,
  };
}

function event(n: number, tenant = 'acme'): NormalizedEvent {
  return {
    p_log_type: 'Panther.Audit',
    p_tenant_id: tenant,
    p_row_id: `row-${tenant}-${n}`,
    p_event_time: toClickHouseTime(new Date(T0 - 3600_000 + n * 1000)),
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
}

function match(n: number, o: { dedup?: string; atMs?: number; rule?: RuleSettings; partition?: number; tenant?: string; severity?: RuleMatch['severity'] } = {}): RuleOutput {
  return {
    kind: 'match',
    match: {
      tenantId: o.tenant ?? 'acme',
      rule: o.rule ?? rule(),
      event: event(n, o.tenant),
      source: { topic: 'logs.panther_audit', partition: o.partition ?? 0, offset: String(n) },
      matchedAtMs: o.atMs ?? T0 + n,
      title: `title ${n}`,
      dedup: o.dedup ?? 'k1',
      severity: o.severity ?? 'HIGH',
      alertContext: { n },
      description: '',
      reference: '',
      runbook: '',
      destinations: null,
      auxErrors: [],
    },
  };
}

function ruleError(n: number, message: string): RuleOutput {
  const e: RuleError = {
    tenantId: 'acme',
    rule: rule(),
    event: event(n),
    source: { topic: 'logs.panther_audit', partition: 0, offset: String(n) },
    matchedAtMs: T0 + n,
    errorType: 'KeyError',
    message,
    traceback: 'Traceback ...',
  };
  return { kind: 'error', error: e };
}

/** Runs batches one after another the way the stage does: each sees what the previous published. */
function run(batches: RuleOutput[][], store = new Map<string, AlertRecord>()) {
  const results = [];
  for (const b of batches) {
    const r = dedupOutputs(b, (k) => store.get(k));
    for (const a of r.alerts) store.set(a.dedupKey, a);
    results.push(r);
  }
  return { results, store };
}

test('matches of one key within the window make one alert; its id, count and times follow the matches', () => {
  const { results, store } = run([[match(1), match(2)], [match(3)]]);
  assert.equal(store.size, 1);
  const [alert] = [...store.values()];
  assert.equal(alert.eventCount, 3);
  assert.equal(alert.title, 'title 1', 'the title is the first match\'s');
  assert.equal(alert.createdAt, toClickHouseTime(new Date(T0 + 1)));
  assert.equal(alert.updatedAt, toClickHouseTime(new Date(T0 + 3)));
  assert.equal(alert.firstEventTime, event(1).p_event_time);
  assert.equal(alert.lastEventTime, event(3).p_event_time);
  assert.equal(alert.version, 2, 'one version per batch that touched the key');
  assert.equal(alert.initialStatus, 'OPEN');
  const ids = new Set(results.flatMap((r) => r.events.map((e) => e.row.p_alert_id)));
  assert.deepEqual([...ids], [alert.alertId], 'every matched row names the alert');
});

test('a match at or after the end of the window opens a new alert with a new id', () => {
  const end = T0 + 1 + 60 * MINUTE;
  const { results, store } = run([[match(1), match(2, { atMs: end - 1 })], [match(3, { atMs: end })]]);
  const first = results[0].alerts[0];
  const second = results[1].alerts[0];
  assert.notEqual(first.alertId, second.alertId);
  assert.equal(first.eventCount, 2);
  assert.equal(second.eventCount, 1);
  assert.equal(store.get(second.dedupKey)!.alertId, second.alertId);
});

test('a window that closes inside one batch publishes the closed alert before the new one', () => {
  const end = T0 + 1 + 60 * MINUTE;
  const { results } = run([[match(1), match(2), match(3, { atMs: end + 5 }), match(4, { atMs: end + 6 })]]);
  const alerts = results[0].alerts;
  assert.equal(alerts.length, 2);
  assert.deepEqual(alerts.map((a) => [a.eventCount, a.version]), [[2, 1], [2, 2]]);
  assert.notEqual(alerts[0].alertId, alerts[1].alertId);
});

test('different dedup strings, rules and tenants never share an alert', () => {
  const other = rule({ ruleId: 'Other.Rule' });
  const { store } = run([[match(1), match(2, { dedup: 'k2' }), match(3, { rule: other }), match(4, { tenant: 'globex' })]]);
  assert.equal(store.size, 4);
  assert.equal(new Set([...store.values()].map((a) => a.alertId)).size, 4);
});

test('a replayed output (same source offset) is not counted again, in the same batch or a later one', () => {
  const { results, store } = run([[match(1), match(2), match(2)], [match(1), match(2), match(3)]]);
  assert.equal([...store.values()][0].eventCount, 3);
  assert.deepEqual(results.map((r) => r.replays), [1, 2]);
  assert.deepEqual(
    results.flatMap((r) => r.events.map((e) => e.row.p_row_id)),
    ['row-acme-1', 'row-acme-2', 'row-acme-3'],
    'a replay yields no second row either',
  );
});

test('offsets are tracked per source partition', () => {
  const { store } = run([[match(5, { partition: 0 }), match(1, { partition: 1 })]]);
  assert.equal([...store.values()][0].eventCount, 2);
  assert.deepEqual([...store.values()][0].sourceOffsets, { 'logs.panther_audit/0': '5', 'logs.panther_audit/1': '1' });
});

test('the same batch processed again from the same state yields identical alerts and rows', () => {
  const batch = [match(1), match(2, { dedup: 'k2' }), match(3)];
  const a = dedupOutputs(batch, () => undefined);
  const b = dedupOutputs(batch, () => undefined);
  assert.deepEqual(a, b);
});

test('the threshold: reached on the Nth match, marked once, with the version that reached it', () => {
  const r = rule({ threshold: 3 });
  const { results } = run([[match(1, { rule: r }), match(2, { rule: r })], [match(3, { rule: r })], [match(4, { rule: r })]]);
  const [v1, v2, v3] = results.map((x) => x.alerts[0]);
  assert.equal(v1.thresholdReachedAt, null);
  assert.equal(v1.thresholdReachedVersion, null);
  assert.equal(v2.eventCount, 3);
  assert.equal(v2.thresholdReachedVersion, v2.version);
  assert.equal(v2.thresholdReachedAt, toClickHouseTime(new Date(T0 + 3)));
  assert.equal(v3.thresholdReachedVersion, v2.version, 'later updates do not trigger delivery again');
});

test('INFO alerts start RESOLVED', () => {
  const { store } = run([[match(1, { severity: 'INFO' })]]);
  assert.equal([...store.values()][0].initialStatus, 'RESOLVED');
});

test('CreateAlert: false keeps the match row without an alert', () => {
  const { results, store } = run([[match(1, { rule: rule({ createAlert: false }) })]]);
  assert.equal(store.size, 0);
  assert.equal(results[0].events.length, 1);
  assert.equal(results[0].events[0].row.p_alert_id, '');
});

test('rule errors become their own alerts, deduplicated by error type and first line, with the error on each row', () => {
  const { results, store } = run([[ruleError(1, "'actor'\nmore"), ruleError(2, "'actor'"), ruleError(3, "'other'"), match(4)]]);
  const errors = [...store.values()].filter((a) => a.type === 'RULE_ERROR');
  assert.equal(errors.length, 2);
  const actor = errors.find((a) => a.dedup === "KeyError: 'actor'")!;
  assert.equal(actor.eventCount, 2);
  assert.equal(actor.title, "Test.Rule raised KeyError: 'actor'");
  assert.equal(actor.severity, 'HIGH');
  assert.equal(actor.threshold, 1);
  assert.notEqual(actor.dedupKey, [...store.values()].find((a) => a.type === 'RULE')!.dedupKey);
  const errorRows = results[0].events.filter((e) => e.kind === 'error');
  assert.equal(errorRows.length, 3);
  assert.equal(errorRows[0].row.p_rule_error, "'actor'\nmore");
  assert.equal(errorRows[0].row.p_rule_error_type, 'KeyError');
  assert.equal(errorRows[0].row.p_alert_id, actor.alertId);
});

test("a scheduled rule's matches and errors make SCHEDULED_RULE and SCHEDULED_RULE_ERROR alerts, with the threshold and keys of a rule's", () => {
  const scheduled = rule({ ruleId: 'Test.Scheduled', scheduled: true, threshold: 2 });
  const raised = ruleError(3, "KeyError: 'reviewed'");
  if (raised.kind !== 'error') throw new Error('a rule error');
  raised.error.rule = scheduled;
  const { results, store } = run([[match(1, { rule: scheduled }), match(2, { rule: scheduled }), raised]]);
  const byType = new Map([...store.values()].map((a) => [a.type, a]));
  assert.deepEqual([...byType.keys()].sort(), ['SCHEDULED_RULE', 'SCHEDULED_RULE_ERROR']);
  const matched = byType.get('SCHEDULED_RULE')!;
  assert.equal(matched.threshold, 2);
  assert.equal(matched.eventCount, 2);
  assert.notEqual(matched.thresholdReachedAt, null, 'reached on the second match');
  assert.equal(matched.dedupKey, 'acme|Test.Scheduled|k1', 'keyed as a rule is: a RuleID is a rule or a scheduled rule, never both');
  const errored = byType.get('SCHEDULED_RULE_ERROR')!;
  assert.equal(errored.threshold, 1, 'an error is told the first time');
  assert.match(errored.dedupKey, /^acme\|Test\.Scheduled\|rule-error\|/);
  // Their rows go to the lake as a rule's do.
  assert.deepEqual(results[0].events.map((e) => e.kind).sort(), ['error', 'match', 'match']);
});
