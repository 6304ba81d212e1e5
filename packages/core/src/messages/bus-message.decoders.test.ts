import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeAlertDeliveryRecord,
  decodeAlertEventRecord,
  decodeAlertRecord,
  decodeIngestRejection,
  decodeNormalizedEvent,
  decodeRuleError,
  decodeRuleMatch,
  MessageDecodeError,
} from './bus-message.decoders';
import type { AlertRecord, RuleMatch } from './alert.types';
import type { NormalizedEvent } from './event.types';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

const event: NormalizedEvent = {
  p_log_type: 'Panther.Audit',
  p_tenant_id: 'acme',
  p_row_id: 'r1',
  p_event_time: '2024-01-31 12:00:00.000',
  p_parse_time: '2024-01-31 12:00:01.000',
  p_source_id: 's',
  p_source_label: 'S',
  p_schema_version: 1,
  p_any_ip_addresses: ['203.0.113.10'],
  p_any_usernames: [],
  p_any_emails: [],
  p_any_trace_ids: [],
  p_any_actor_ids: [],
  actionName: 'X',
};

const match: RuleMatch = {
  tenantId: 'acme',
  rule: { ruleId: 'R', ruleSeverity: 'HIGH', dedupPeriodMinutes: 60, threshold: 1, createAlert: true, outputIds: [], tags: ['t'], reports: { MITRE: ['TA0001'] } },
  event,
  source: { topic: 'logs.panther_audit', partition: 0, offset: '12' },
  matchedAtMs: 1706702400000,
  title: 't',
  dedup: 'd',
  severity: 'HIGH',
  alertContext: {},
  description: '',
  reference: '',
  runbook: '',
  destinations: null,
  auxErrors: [],
};

const alert: AlertRecord = {
  alertId: 'a1',
  tenantId: 'acme',
  type: 'RULE',
  ruleId: 'R',
  dedupKey: 'acme|R|d',
  dedup: 'd',
  title: 't',
  severity: 'HIGH',
  ruleSeverity: 'HIGH',
  logTypes: ['Panther.Audit'],
  eventCount: 1,
  threshold: 1,
  dedupPeriodMinutes: 60,
  firstEventTime: '2024-01-31 12:00:00.000',
  lastEventTime: '2024-01-31 12:00:00.000',
  createdAt: '2024-01-31 12:00:00.000',
  updatedAt: '2024-01-31 12:00:00.000',
  thresholdReachedAt: null,
  thresholdReachedVersion: null,
  initialStatus: 'OPEN',
  alertContext: {},
  description: '',
  reference: '',
  runbook: '',
  tags: [],
  reports: {},
  destinationOverride: null,
  outputIds: [],
  auxErrors: [],
  errorType: '',
  errorMessage: '',
  version: 1,
  sourceOffsets: { 'logs.panther_audit/0': '12' },
};

/** The decoder refuses the value with a non-retriable INVALID_ARGUMENT error whose message matches. */
function refuses(decode: (v: Buffer) => unknown, value: Buffer, problem: RegExp): void {
  assert.throws(
    () => decode(value),
    (err: unknown) => err instanceof MessageDecodeError && err.code === 'INVALID_ARGUMENT' && !err.retriable && problem.test(err.message),
  );
}

test('each decoder takes its own record and gives back the parsed value', () => {
  assert.deepEqual(decodeNormalizedEvent(json(event)), event);
  assert.deepEqual(decodeRuleMatch(json(match)), match);
  const { title: _t, dedup: _d, severity: _s, alertContext: _c, description: _de, reference: _r, runbook: _ru, destinations: _ds, auxErrors: _a, ...base } = match;
  decodeRuleError(json({ ...base, errorType: 'KeyError', message: 'x', traceback: '' }));
  assert.deepEqual(decodeAlertRecord(json(alert)), alert);
  decodeAlertRecord(json({ ...alert, thresholdReachedAt: '2024-01-31 12:00:00.000', thresholdReachedVersion: 1, destinationOverride: ['hook'] }));
  decodeAlertEventRecord(json({ kind: 'match', logType: 'Panther.Audit', row: { ...event, p_alert_id: 'a1' } }));
  decodeAlertDeliveryRecord(
    json({ tenantId: 'acme', alertId: 'a1', destinationId: 'd', destinationType: 'webhook', outcome: 'DELIVERED', attempts: 1, httpStatus: 204, error: '', attemptedAt: '2024-01-31 12:00:00.000' }),
  );
  decodeIngestRejection(
    json({
      p_tenant_id: 'acme',
      p_row_id: 'r',
      p_parse_time: '2024-01-31 12:00:00.000',
      p_source_id: 's',
      p_source_label: 'S',
      p_log_type: 'Panther.Audit',
      request_id: 'q',
      event_index: -1,
      raw: '{',
      raw_encoding: 'utf8',
      raw_truncated: false,
      problems: [{ field: '(body)', problem: 'not JSON' }],
    }),
  );
});

test('what is wrong is named: not JSON, not an object, a field by its path', () => {
  refuses(decodeNormalizedEvent, Buffer.from('{"p_tenant_id":'), /not a valid normalized event: the value is not JSON/);
  refuses(decodeNormalizedEvent, json([event]), /must be a JSON object, got a list/);
  refuses(decodeNormalizedEvent, json({ ...event, p_tenant_id: '' }), /p_tenant_id must not be empty/);
  refuses(decodeNormalizedEvent, json({ ...event, p_row_id: 7 }), /p_row_id must be a string, got number/);
  refuses(decodeNormalizedEvent, json({ ...event, p_event_time: 'yesterday' }), /p_event_time must be a UTC time/);
  refuses(decodeNormalizedEvent, json({ ...event, p_any_emails: ['a', 1] }), /p_any_emails\[1\] must be a string/);
  refuses(decodeRuleMatch, json({ ...match, rule: { ...match.rule, ruleSeverity: 'SEVERE' } }), /rule match: rule\.ruleSeverity must be one of INFO/);
  refuses(decodeRuleMatch, json({ ...match, event: { ...event, p_tenant_id: 'globex' } }), /event\.p_tenant_id is not the output's tenantId/);
  refuses(decodeRuleMatch, json({ ...match, source: { ...match.source, offset: '-1' } }), /source\.offset must be an offset/);
  refuses(decodeRuleError, json(match), /errorType must be a string, got undefined/);
  refuses(decodeAlertRecord, json({ ...alert, sourceOffsets: { p: 5 } }), /sourceOffsets\.p must be a string/);
  refuses(decodeAlertRecord, json({ ...alert, thresholdReachedVersion: undefined }), /thresholdReachedVersion must be a number/);
  refuses(decodeAlertEventRecord, json({ kind: 'match', logType: 'Panther.Audit', row: { p_tenant_id: 'acme' } }), /row\.p_log_type must be a string/);
  refuses(decodeIngestRejection, json({ p_tenant_id: 'acme' }), /p_row_id must be a string/);
});

test('an own field only: a key inherited from Object.prototype is not a field', () => {
  refuses(decodeNormalizedEvent, json({ ...event, p_source_id: undefined }), /p_source_id must be a string, got undefined/);
  const { p_log_type: _l, ...rest } = event;
  refuses(decodeNormalizedEvent, Buffer.from(JSON.stringify(rest).replace('{', '{"__proto__":{"p_log_type":"x"},')), /p_log_type must be a string/);
});

test("a rule output's scheduled flag, when present, must be true or false", () => {
  const output = (scheduled: unknown) => {
    const event = { p_log_type: 'ScheduledQuery.Q', p_tenant_id: 't', p_row_id: 'r', p_event_time: '2026-01-01 00:00:00.000', p_parse_time: '2026-01-01 00:00:00.000', p_source_id: 'scheduled-query', p_source_label: 'Q', p_schema_version: 1, p_any_ip_addresses: [], p_any_usernames: [], p_any_emails: [], p_any_trace_ids: [], p_any_actor_ids: [] };
    const rule = { ruleId: 'R', ruleSeverity: 'LOW', dedupPeriodMinutes: 60, threshold: 1, createAlert: true, outputIds: [], tags: [], reports: {}, ...(scheduled === undefined ? {} : { scheduled }) };
    return Buffer.from(JSON.stringify({ tenantId: 't', rule, event, source: { topic: 'scheduled-rows', partition: 0, offset: '1' }, matchedAtMs: 1, errorType: 'KeyError', message: 'm', traceback: '' }));
  };
  assert.equal(decodeRuleError(output(true)).rule.scheduled, true);
  assert.equal(decodeRuleError(output(undefined)).rule.scheduled, undefined);
  assert.throws(() => decodeRuleError(output('yes')), /rule\.scheduled must be true or false, got string/);
});
