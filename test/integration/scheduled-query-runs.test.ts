import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { loadConfig } from '@caracal/core';
import { NormalizedEvent, ScheduledRowEvent, toClickHouseTime } from '@caracal/core/messages';
import type { ScheduledQuerySpec } from '@caracal/detections';
import { applyLakeSchema, createLakeClient, LakeClient } from '@caracal/lake';
import { insertRows } from '@caracal/clickhouse-writer';
import { SqlQueryService } from '@caracal/api-service';
import { runScheduledQuery, ScheduledRunOutputs, ScheduledRunRecord, ScheduledRunRecords } from '@caracal/scheduler';
import { tempDir } from '../support/test-env';

// Scheduled query runs against the real engine (chDB) through the query
// service the API uses: the tick's time as the macros' now, the tenant's rows
// only, refused and timed-out queries recorded as such, one record per tick.
const dataDir = tempDir('scheduled-runs');
const config = loadConfig({ CARACAL_DATA_DIR: dataDir });
const DAY_MS = 86_400_000;
let lake: LakeClient;
let sql: SqlQueryService;
let records: ScheduledRunRecords;

function event(tenant: string, action: string, ageMs: number, id: string, email: string): NormalizedEvent {
  const t = toClickHouseTime(new Date(Date.now() - ageMs));
  return {
    p_log_type: 'Panther.Audit',
    p_tenant_id: tenant,
    p_row_id: id,
    p_event_time: t,
    p_parse_time: t,
    p_source_id: `${tenant}-src`,
    p_source_label: 'audit',
    p_schema_version: 1,
    p_any_ip_addresses: [],
    p_any_usernames: [],
    p_any_emails: [email],
    p_any_trace_ids: [],
    p_any_actor_ids: [],
    actionName: action,
    actionResult: 'SUCCEEDED',
    actor: { id: email, type: 'USER', name: email, attributes: { email } },
    timestamp: t,
    pantherVersion: '1.0.0',
    actionParams: {},
    actionDetails: {},
    errors: [],
    sourceIP: '203.0.113.1',
    XForwardedFor: [],
  };
}

function query(sqlText: string, timeoutMinutes = 1): ScheduledQuerySpec {
  return { queryName: 'Deletions', query: sqlText, queryKey: 'Query', description: '', tags: [], filePath: 'deletions.yml', enabled: true, schedule: { rateMinutes: 60, timeoutMinutes } };
}

/** Captures what a run publishes and records the run in the real lake. */
function outputs(): ScheduledRunOutputs & { rows: ScheduledRowEvent[] } {
  const rows: ScheduledRowEvent[] = [];
  return {
    rows,
    publishRows: async (events) => {
      rows.push(...events);
    },
    record: (run) => records.record(run),
  };
}

const PER_ACTOR = "SELECT toString(actor.name) AS actor_name, toUInt32(count()) AS deletions FROM panther_logs.panther_audit WHERE p_occurs_since('1 hour') AND actionName = 'DELETE_DETECTION' GROUP BY actor_name";

before(async () => {
  lake = createLakeClient(config);
  await applyLakeSchema(lake);
  await insertRows(
    lake,
    'panther_logs.panther_audit',
    [
      event('acme', 'DELETE_DETECTION', 60_000, 'a1', 'homer@acme.example'),
      event('acme', 'DELETE_DETECTION', 120_000, 'a2', 'homer@acme.example'),
      event('acme', 'DELETE_DETECTION', 3 * DAY_MS, 'a3', 'marge@acme.example'),
      event('globex', 'DELETE_DETECTION', 60_000, 'g1', 'hank@globex.example'),
    ],
    'scheduled-runs-1',
  );
  // Enough rows for a cross join that runs far past a 60 ms timeout.
  const many = Array.from({ length: 400 }, (_, i) => event('initech', 'UPDATE_USER', 60_000, `i${i}`, 'bill@initech.example'));
  await insertRows(lake, 'panther_logs.panther_audit', many, 'scheduled-runs-2');
  sql = new SqlQueryService(lake, config);
  records = new ScheduledRunRecords(lake);
});

after(async () => {
  sql.onModuleDestroy();
  await lake.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("a run reads the tenant's rows as of its tick, and its rows become events of the query", async () => {
  const tick = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const out = outputs();
  const run = await runScheduledQuery({ tenantId: 'acme', query: query(PER_ACTOR), tick, trigger: 'SCHEDULE' }, sql, out);
  assert.equal(run.outcome, 'SUCCEEDED', run.error);
  assert.equal(run.rows, 1);
  assert.equal(out.rows.length, 1);
  const [row] = out.rows;
  // Only acme's deletions of the last hour: globex's are another tenant's, marge's are three days old.
  assert.equal(row.actor_name, 'homer@acme.example');
  assert.equal(row.deletions, 2);
  assert.equal(row.p_tenant_id, 'acme');
  assert.equal(row.p_log_type, 'ScheduledQuery.Deletions');
  assert.equal(row.p_query_name, 'Deletions');
  assert.equal(row.p_scheduled_time, toClickHouseTime(tick));

  // Three days back, p_occurs_since counts from the tick: Marge's deletion is in its hour.
  const then = outputs();
  const past = await runScheduledQuery({ tenantId: 'acme', query: query(PER_ACTOR), tick: new Date(Date.now() - 3 * DAY_MS + 30 * 60_000), trigger: 'SCHEDULE' }, sql, then);
  assert.equal(past.outcome, 'SUCCEEDED', past.error);
  assert.deepEqual(then.rows.map((r) => r.actor_name).sort(), ['homer@acme.example', 'marge@acme.example']);

  // The same tick run again (its scheduler died before marking it done) gives its rows the same ids.
  const again = outputs();
  await runScheduledQuery({ tenantId: 'acme', query: query(PER_ACTOR), tick, trigger: 'SCHEDULE' }, sql, again);
  assert.deepEqual(again.rows.map((r) => r.p_row_id), out.rows.map((r) => r.p_row_id));
});

test('a query the engine refuses is a FAILED run with the reason, and publishes nothing', async () => {
  const out = outputs();
  const run = await runScheduledQuery({ tenantId: 'acme', query: query('SELECT no_such_column FROM panther_logs.panther_audit'), tick: new Date(), trigger: 'SCHEDULE' }, sql, out);
  assert.equal(run.outcome, 'FAILED');
  assert.match(run.error, /no_such_column/);
  assert.equal(out.rows.length, 0);
  const refused = await runScheduledQuery({ tenantId: 'acme', query: query('DROP TABLE panther_logs.panther_audit'), tick: new Date(), trigger: 'SCHEDULE' }, sql, outputs());
  assert.equal(refused.outcome, 'FAILED');
  assert.match(refused.error, /only SELECT queries are allowed/);
});

test('a query past its TimeoutMinutes is cancelled and recorded TIMED_OUT', async () => {
  const cross = 'SELECT count() AS n FROM panther_logs.panther_audit AS a, panther_logs.panther_audit AS b, panther_logs.panther_audit AS c, panther_logs.panther_audit AS d';
  // 0.001 minutes: 60 ms, far below the minutes the four-way join of 400 rows needs.
  const run = await runScheduledQuery({ tenantId: 'initech', query: query(cross, 0.001), tick: new Date(), trigger: 'SCHEDULE' }, sql, outputs());
  assert.equal(run.outcome, 'TIMED_OUT');
  assert.equal(run.rows, 0);
  assert.ok(run.durationMs < 30_000, `cancelled soon after its timeout, took ${run.durationMs} ms`);
});

test("run records: one per tick (a repeated tick replaces its record), newest first, each tenant's own", async () => {
  // Recent ticks: records older than their retention are dropped.
  const tick = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000);
  const later = new Date(tick.getTime() + 3_600_000);
  const base: ScheduledRunRecord = { tenantId: 'records', queryName: 'Hourly', scheduledTime: tick, trigger: 'SCHEDULE', startedAt: new Date(tick.getTime() + 1000), durationMs: 12, rows: 3, outcome: 'SUCCEEDED', error: '' };
  await records.record({ ...base, outcome: 'FAILED', error: 'first try' });
  await records.record({ ...base, startedAt: new Date(tick.getTime() + 120_000) });
  await records.record({ ...base, scheduledTime: later, startedAt: new Date(later.getTime() + 1000) });
  await records.record({ ...base, tenantId: 'other-tenant' });
  const runs = await records.list('records', { limit: 10 });
  assert.deepEqual(
    runs.map((r) => [r.scheduledTime.toISOString(), r.outcome]),
    [
      [later.toISOString(), 'SUCCEEDED'],
      [tick.toISOString(), 'SUCCEEDED'],
    ],
  );
  assert.deepEqual((await records.list('records', { queryName: 'Nightly', limit: 10 })).length, 0);
  const latest = await records.latest('records');
  assert.equal(latest.get('Hourly')?.scheduledTime.toISOString(), later.toISOString());
  assert.equal((await records.list('other-tenant', { limit: 10 })).length, 1);

  // Tenants read their records through SQL too, scoped to themselves.
  const seen = await sql.execute('records', 'SELECT DISTINCT p_tenant_id FROM panther_monitor.scheduled_query_runs');
  assert.deepEqual(seen.rows, [{ p_tenant_id: 'records' }]);
});
