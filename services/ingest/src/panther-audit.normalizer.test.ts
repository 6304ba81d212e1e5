import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizePantherAudit, parseAuditTimestamp } from './panther-audit.normalizer';

const ctx = { tenantId: 'acme', sourceId: 'audit', sourceLabel: 'Audit', parseTime: new Date('2024-05-01T00:00:00Z') };

function raw(overrides: Record<string, unknown> = {}) {
  return {
    actionName: 'DELETE_DETECTION',
    actionResult: 'SUCCEEDED',
    actor: { id: 'u1', type: 'USER', name: 'homer', attributes: { email: 'Homer@Springfield.gov' } },
    timestamp: '2022-04-22 15:39:55.358',
    pantherVersion: '1.74.6',
    actionParams: { dynamic: { input: { emails: ['bart@springfield.gov'] } } },
    sourceIP: '203.0.113.10',
    XForwardedFor: ['203.0.113.10', '10.0.0.2'],
    p_tenant_id: 'evil',
    ...overrides,
  };
}

test('adds the standard fields; the tenant comes from the source, never the payload', () => {
  const r = normalizePantherAudit(raw(), ctx);
  assert.ok(r.ok);
  const e = r.event;
  assert.equal(e.p_tenant_id, 'acme');
  assert.equal(e.p_log_type, 'Panther.Audit');
  assert.equal(e.p_event_time, '2022-04-22 15:39:55.358');
  assert.equal(e.p_parse_time, '2024-05-01 00:00:00.000');
  assert.equal(e.p_source_id, 'audit');
  assert.deepEqual(e.p_any_ip_addresses, ['203.0.113.10', '10.0.0.2']);
  assert.deepEqual(e.p_any_emails, ['homer@springfield.gov', 'bart@springfield.gov']);
  assert.deepEqual(e.p_any_usernames, ['homer']);
  assert.deepEqual(e.p_any_actor_ids, ['u1']);
  assert.match(e.p_row_id, /^[0-9a-f]{32}$/);
});

test('p_row_id is the same for the same event retried, whatever its key order; different events differ', () => {
  const a = normalizePantherAudit(raw(), ctx);
  const reordered = Object.fromEntries(Object.entries(raw()).reverse());
  const b = normalizePantherAudit(reordered, { ...ctx, parseTime: new Date() });
  const c = normalizePantherAudit(raw({ actionName: 'UPDATE_USER' }), ctx);
  const otherTenant = normalizePantherAudit(raw(), { ...ctx, tenantId: 'globex' });
  assert.ok(a.ok && b.ok && c.ok && otherTenant.ok);
  assert.equal(a.event.p_row_id, b.event.p_row_id);
  assert.notEqual(a.event.p_row_id, c.event.p_row_id);
  assert.notEqual(a.event.p_row_id, otherTenant.event.p_row_id);
});

test('both timestamp styles are read as UTC', () => {
  assert.equal(parseAuditTimestamp('2022-04-22 15:39:55.358')?.toISOString(), '2022-04-22T15:39:55.358Z');
  assert.equal(parseAuditTimestamp('2022-04-22T15:39:55Z')?.toISOString(), '2022-04-22T15:39:55.000Z');
  assert.equal(parseAuditTimestamp('2022-04-22T17:39:55.123456+02:00')?.toISOString(), '2022-04-22T15:39:55.123Z');
  assert.equal(parseAuditTimestamp('yesterday'), undefined);
  assert.equal(parseAuditTimestamp(1650641995), undefined);
});

test('every problem of an invalid event is named with its field', () => {
  const r = normalizePantherAudit(
    { actionResult: 'MAYBE', actor: { type: 'ROBOT' }, timestamp: 'soon', sourceIP: 'not-an-ip', XForwardedFor: ['1.2.3.4', 'x'], errors: 'bad' },
    ctx,
  );
  assert.ok(!r.ok);
  const byField = Object.fromEntries(r.problems.map((p) => [p.field, p.problem]));
  assert.equal(byField.actionName, 'is required');
  assert.match(byField.actionResult, /must be one of SUCCEEDED, FAILED, PARTIALLY_FAILED; got "MAYBE"/);
  assert.equal(byField.pantherVersion, 'is required');
  assert.match(byField['actor.id'], /non-empty string/);
  assert.match(byField['actor.type'], /USER or TOKEN/);
  assert.match(byField.timestamp, /must look like/);
  assert.match(byField.sourceIP, /an IP address/);
  assert.match(byField.XForwardedFor, /array of IP addresses/);
  assert.match(byField.errors, /array of objects/);
  assert.deepEqual(normalizePantherAudit([1, 2], ctx), { ok: false, problems: [{ field: '(event)', problem: 'must be a JSON object' }] });
});
