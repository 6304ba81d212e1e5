import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RowOrigin, scheduledRowEvents } from './scheduled-row-events';

const origin: RowOrigin = { tenantId: 'acme', queryName: 'Failed Logins', tick: new Date('2026-03-01T10:00:00Z'), trigger: 'SCHEDULE', readAt: new Date('2026-03-01T10:00:02.5Z') };

test("a row's id depends on its run and its content, not on its place among the rows", () => {
  const rows = [
    { user: 'homer', failures: 7 },
    { user: 'marge', failures: 3 },
    { user: 'homer', failures: 7 },
  ];
  const first = scheduledRowEvents(origin, rows).map((e) => e.p_row_id);
  const reordered = scheduledRowEvents(origin, [rows[1], rows[0], rows[2]]).map((e) => e.p_row_id);
  assert.equal(new Set(first).size, 3, 'identical rows are numbered apart');
  assert.deepEqual(new Set(reordered), new Set(first));
  assert.equal(reordered[0], first[1]);
  // Another tick, another trigger or another tenant: other ids.
  const ids = (o: Partial<RowOrigin>) => scheduledRowEvents({ ...origin, ...o }, rows.slice(0, 1))[0].p_row_id;
  assert.notEqual(ids({ tick: new Date('2026-03-01T11:00:00Z') }), first[0]);
  assert.notEqual(ids({ trigger: 'MANUAL' }), first[0]);
  assert.notEqual(ids({ tenantId: 'globex' }), first[0]);
  assert.match(first[0], /^[0-9a-f]{32}$/);
});

test("Caracal's fields are set over the row's; the row's own event time and indicator lists are kept when well formed", () => {
  const [event] = scheduledRowEvents(origin, [
    { p_tenant_id: 'globex', p_log_type: 'Panther.Audit', p_row_id: 'x', p_event_time: '2026-03-01 09:41:07.250', p_any_emails: ['homer@example.com'], p_any_usernames: 'not a list', user: 'homer' },
  ]);
  assert.equal(event.p_tenant_id, 'acme');
  assert.equal(event.p_log_type, 'ScheduledQuery.Failed Logins');
  assert.notEqual(event.p_row_id, 'x');
  assert.equal(event.p_event_time, '2026-03-01 09:41:07.250');
  assert.deepEqual(event.p_any_emails, ['homer@example.com']);
  assert.deepEqual(event.p_any_usernames, []);
  assert.equal(event.p_query_name, 'Failed Logins');
  assert.equal(event.p_scheduled_time, '2026-03-01 10:00:00.000');
  assert.equal(event.p_parse_time, '2026-03-01 10:00:02.500');
  assert.equal(event.p_source_label, 'Failed Logins');
  assert.equal(event.user, 'homer');

  // An aggregate without a time of its own happened at the tick.
  const [aggregate] = scheduledRowEvents(origin, [{ failures: 12, p_event_time: 'yesterday' }]);
  assert.equal(aggregate.p_event_time, '2026-03-01 10:00:00.000');
});
