import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureAlert } from './alert.fixture';
import { buildWebhookPayload } from './webhook-payload';

test('the webhook body is version 1 with ISO-8601 UTC times and the initial status', () => {
  const p = buildWebhookPayload(fixtureAlert({ initialStatus: 'RESOLVED', severity: 'INFO' }), 'a1b2c3d4e5f60718:soc-hook');
  assert.equal(p.version, 1);
  assert.equal(p.deliveryId, 'a1b2c3d4e5f60718:soc-hook');
  assert.equal(p.alert.id, 'a1b2c3d4e5f60718');
  assert.equal(p.alert.status, 'RESOLVED');
  assert.equal(p.alert.firstEventTime, '2026-11-24T10:00:00.000Z');
  assert.equal(p.alert.lastEventTime, '2026-11-24T10:05:30.250Z');
  assert.equal(p.alert.createdAt, '2026-11-24T10:00:01.000Z');
  assert.deepEqual(p.alert.alertContext, { actor: 'homer' });
  assert.equal(p.alert.error, null);
  assert.deepEqual(Object.keys(p.alert), [
    'id', 'tenantId', 'type', 'ruleId', 'title', 'severity', 'dedup', 'eventCount', 'firstEventTime', 'lastEventTime',
    'createdAt', 'updatedAt', 'status', 'alertContext', 'description', 'reference', 'runbook', 'tags', 'logTypes', 'error',
  ]);
});

test('a rule error alert carries what the rule raised', () => {
  const p = buildWebhookPayload(fixtureAlert({ type: 'RULE_ERROR', errorType: 'KeyError', errorMessage: "'actor'" }), 'x:y');
  assert.deepEqual(p.alert.error, { type: 'KeyError', message: "'actor'" });
});
