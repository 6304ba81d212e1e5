import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { loadConfig, NormalizedEvent, toClickHouseTime } from '@caracal/core';
import { applyLakeSchema, createLakeClient, LakeClient } from '@caracal/lake';
import { insertRows } from '@caracal/clickhouse-writer';
import { SqlQueryService } from '@caracal/query';
import { tempDir } from '../support/test-env';

// The real ClickHouse engine in-process (chDB), with the same DDL and SQL a server gets.
const dataDir = tempDir('lake');
const config = loadConfig({ CARACAL_DATA_DIR: dataDir });
let lake: LakeClient;
let sql: SqlQueryService;

function event(tenant: string, action: string, ageMs: number, id: string): NormalizedEvent {
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
    p_any_ip_addresses: ['203.0.113.1'],
    p_any_usernames: [],
    p_any_emails: [`admin@${tenant}.example`],
    p_any_trace_ids: ['actor-1'],
    p_any_actor_ids: ['actor-1'],
    actionName: action,
    actionResult: 'SUCCEEDED',
    actor: { id: 'actor-1', type: 'USER', attributes: { email: `admin@${tenant}.example` } },
    timestamp: t,
    pantherVersion: '1.0.0',
    actionParams: { dynamic: { input: { detections: [{ id: 'X' }] } } },
    actionDetails: {},
    errors: [],
    sourceIP: '203.0.113.1',
    XForwardedFor: [],
  };
}

before(async () => {
  lake = createLakeClient(config);
  await applyLakeSchema(lake);
  await applyLakeSchema(lake); // idempotent
  const rows = [
    event('acme', 'DELETE_DETECTION', 60_000, 'a1'),
    event('acme', 'UPDATE_USER', 3 * 86_400_000, 'a2'),
    event('globex', 'DELETE_DETECTION', 60_000, 'g1'),
  ];
  await insertRows(lake, 'panther_logs.panther_audit', rows, 'batch-1');
  // The same batch retried after a crash: the token makes it a no-op.
  await insertRows(lake, 'panther_logs.panther_audit', rows, 'batch-1');
  sql = new SqlQueryService(lake, config);
});

after(async () => {
  await lake.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a retried insert batch adds no rows', async () => {
  const rs = await lake.query({ query: 'SELECT count() AS n FROM panther_logs.panther_audit', format: 'JSONEachRow' });
  assert.deepEqual((await rs.json<{ n: number | string }>()).map((r) => Number(r.n)), [3]);
});

test('the seed query returns the caller tenant rows of the last day only', async () => {
  const r = await sql.execute('acme', "SELECT * FROM panther_logs.panther_audit WHERE p_occurs_since('1 day');");
  assert.deepEqual(r.rows.map((x) => x.p_row_id), ['a1']);
  assert.ok(r.columns.some((c) => c.name === 'p_event_time' && c.type.startsWith('DateTime64(3')));
  assert.equal((r.rows[0].actor as { attributes: { email: string } }).attributes.email, 'admin@acme.example');
});

test('the engine filters every read to the tenant, in subqueries, joins and unions too', async () => {
  const queries = [
    'SELECT p_tenant_id FROM panther_logs.panther_audit',
    'SELECT p_tenant_id FROM (SELECT * FROM panther_logs.panther_audit)',
    'SELECT b.p_tenant_id AS p_tenant_id FROM panther_logs.panther_audit a JOIN panther_logs.panther_audit b ON a.actionName = b.actionName',
    "SELECT p_tenant_id FROM panther_logs.panther_audit WHERE p_tenant_id = 'globex' OR 1 = 1",
    'SELECT p_tenant_id FROM panther_logs.panther_audit UNION ALL SELECT p_tenant_id FROM panther_rule_matches.panther_audit',
  ];
  for (const q of queries) {
    const r = await sql.execute('acme', q);
    assert.ok(r.rows.length > 0, q);
    assert.ok(r.rows.every((x) => x.p_tenant_id === 'acme'), `${q} leaked ${JSON.stringify(r.rows)}`);
  }
});

test('engine errors come back as clear invalid-argument errors', async () => {
  await assert.rejects(sql.execute('acme', 'SELECT nope FROM panther_logs.panther_audit'), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'INVALID_ARGUMENT');
    assert.match(err.message, /nope/);
    return true;
  });
});

test('only the lake databases may be read: the engine names every table, however it is written', async () => {
  const refused: [string, RegExp][] = [
    ['SELECT name FROM system.databases', /reads system\.databases; only the panther_logs/],
    ['WITH x AS (SELECT name FROM `system`."databases") SELECT * FROM x', /reads system\.databases/],
    ['SELECT (SELECT count() FROM system.processes) AS c', /reads system\.processes/],
    ['SELECT p_row_id FROM panther_logs.panther_audit UNION ALL SELECT query FROM system.processes', /reads system\.processes/],
    ["SELECT * FROM merge('system', '^proc')", /table functions are not allowed: merge\(\)/],
    ['SELECT * FROM numbers(3)', /table functions are not allowed: numbers\(\)/],
    ["SELECT * FROM file('/etc/hostname', 'LineAsString')", /file\(\)|readonly/],
    ['SELECT * FROM INFORMATION_SCHEMA.TABLES', /only the panther_logs/],
  ];
  for (const [q, message] of refused) {
    await assert.rejects(sql.execute('acme', q), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'INVALID_ARGUMENT', q);
      assert.match(err.message, message, q);
      return true;
    });
  }
  const one = await sql.execute('acme', 'SELECT 1 AS x');
  assert.deepEqual(one.rows, [{ x: 1 }]);
});
