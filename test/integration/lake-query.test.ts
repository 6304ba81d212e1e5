import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CaracalError, loadConfig } from '@caracal/core';
import { NormalizedEvent, toClickHouseTime } from '@caracal/core/messages';
import { applyLakeSchema, createLakeClient, LakeClient, tenantQuerySettings } from '@caracal/lake';
import { insertRows } from '@caracal/clickhouse-writer';
import { QueryColumn, SqlQueryService } from '@caracal/api-service';
import { tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

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
  // Enough rows of a third tenant for a cross join that runs for minutes.
  const many = Array.from({ length: 400 }, (_, i) => event('initech', 'UPDATE_USER', 60_000, `i${i}`));
  await insertRows(lake, 'panther_rule_matches.panther_audit', many as unknown as Record<string, unknown>[], 'batch-2');
  sql = new SqlQueryService(lake, config);
});

after(async () => {
  sql.onModuleDestroy();
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

test('a query run with its own "now" (a scheduled query\'s tick) measures the macros from that instant, not from the wall clock', async () => {
  // p_occurs_since bounds one side: from two hours before "now" on.
  const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000 + 3_600_000);
  const then = await sql.execute('acme', "SELECT p_row_id FROM panther_logs.panther_audit WHERE p_occurs_since('2 hours') ORDER BY p_row_id", { now: threeDaysAgo });
  assert.deepEqual(then.rows.map((x) => x.p_row_id), ['a1', 'a2'], 'the event of three days ago is within two hours of a "now" an hour after it');
  const wall = await sql.execute('acme', "SELECT p_row_id FROM panther_logs.panther_audit WHERE p_occurs_since('2 hours')");
  assert.deepEqual(wall.rows.map((x) => x.p_row_id), ['a1']);
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
    ['SELECT name FROM system.databases', /reads system\.databases; only ([\w.]+, )*panther_logs\.panther_audit/],
    ['WITH x AS (SELECT name FROM `system`."databases") SELECT * FROM x', /reads system\.databases/],
    ['SELECT (SELECT count() FROM system.processes) AS c', /reads system\.processes/],
    ['SELECT p_row_id FROM panther_logs.panther_audit UNION ALL SELECT query FROM system.processes', /reads system\.processes/],
    ["SELECT * FROM merge('system', '^proc')", /table functions are not allowed: merge\(\)/],
    ['SELECT * FROM numbers(3)', /table functions are not allowed: numbers\(\)/],
    ["SELECT * FROM file('/etc/hostname', 'LineAsString')", /file\(\)|readonly/],
    ['SELECT * FROM INFORMATION_SCHEMA.TABLES', /reads INFORMATION_SCHEMA\.TABLES; only ([\w.]+, )*panther_logs\.panther_audit/],
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

const HEAVY =
  'SELECT count() FROM panther_rule_matches.panther_audit AS a, panther_rule_matches.panther_audit AS b, panther_rule_matches.panther_audit AS c, panther_rule_matches.panther_audit AS d ' +
  'WHERE sipHash64(a.p_row_id, b.p_row_id, c.p_row_id, d.p_row_id) % 1000 = 7';

/** The engine queries running now whose log_comment names this query id. */
async function engineQueriesOf(queryId: string): Promise<number> {
  const probe = createLakeClient(config);
  try {
    const rs = await probe.query({ query: `SELECT count() AS n FROM system.processes WHERE Settings['log_comment'] LIKE '%:${queryId}'`, format: 'JSONEachRow' });
    return Number((await rs.json<{ n: string | number }>())[0].n);
  } finally {
    await probe.close();
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  await waitFor(what, async () => ((await check()) ? true : undefined), timeoutMs, 50);
}

test('run streams the column names and types first, then the rows in chunks, under the caller\'s query id', async () => {
  const events: string[] = [];
  let columns: QueryColumn[] = [];
  const chunks: number[] = [];
  const summary = await sql.run(
    'initech',
    'SELECT p_row_id, p_tenant_id, k FROM panther_rule_matches.panther_audit CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) AS n ORDER BY p_row_id, k',
    {
      columns: (c) => {
        events.push('columns');
        columns = c;
      },
      rows: async (r) => {
        events.push('rows');
        chunks.push(r.length);
        await new Promise((resolve) => setImmediate(resolve));
      },
    },
    { queryId: 'stream-1' },
  );
  assert.equal(summary.queryId, 'stream-1');
  assert.equal(summary.rowCount, 1200);
  assert.ok(summary.elapsedSeconds > 0);
  assert.deepEqual(columns, [
    { name: 'p_row_id', type: 'String' },
    { name: 'p_tenant_id', type: 'LowCardinality(String)' },
    { name: 'k', type: 'UInt8' },
  ]);
  assert.deepEqual(events, ['columns', 'rows', 'rows', 'rows']);
  assert.deepEqual(chunks, [500, 500, 200]);
});

test('cancel stops a running query in the engine, and only for the tenant that runs it', async () => {
  const running = sql.run('initech', HEAVY, { columns: () => undefined, rows: () => undefined }, { queryId: 'heavy-1' });
  const outcome = running.then(
    () => undefined,
    (err: CaracalError) => err,
  );
  // Polling the engine needs the event loop: seeing the query running proves chDB does not block it.
  await until('the heavy query to run in the engine', async () => (await engineQueriesOf('heavy-1')) > 0, 10_000);

  assert.equal(sql.cancel('acme', 'heavy-1'), false, "another tenant's query id");
  assert.equal(sql.cancel('initech', 'nope'), false, 'an id that is not running');
  assert.equal(sql.cancel('initech', 'heavy-1'), true);
  const err = await outcome;
  assert.ok(err instanceof CaracalError);
  assert.equal(err.code, 'CANCELLED');
  assert.match(err.message, /query heavy-1 was cancelled/);
  // Killed in the engine, not left to run out its max_execution_time (60 s).
  await until('the engine to drop the killed query', async () => (await engineQueriesOf('heavy-1')) === 0, 5_000);
  assert.equal(sql.cancel('initech', 'heavy-1'), false, 'a finished query');
});

test("the caller's abort signal cancels the query", async () => {
  const abort = new AbortController();
  const running = sql.run('initech', HEAVY, { columns: () => undefined, rows: () => undefined }, { queryId: 'heavy-2', signal: abort.signal });
  await until('the query to run in the engine', async () => (await engineQueriesOf('heavy-2')) > 0, 10_000);
  abort.abort();
  await assert.rejects(running, (err: CaracalError) => err.code === 'CANCELLED');
  await until('the engine to drop the aborted query', async () => (await engineQueriesOf('heavy-2')) === 0, 5_000);
});

test("a tenant's queries beyond its limit wait their turn, then fail; other tenants are not held up", async () => {
  const limited = new SqlQueryService(
    lake,
    loadConfig({ CARACAL_DATA_DIR: dataDir, CARACAL_QUERY_MAX_CONCURRENT_PER_TENANT: '1', CARACAL_QUERY_QUEUE_TIMEOUT_MS: '200' }),
  );
  const running = limited.run('initech', HEAVY, { columns: () => undefined, rows: () => undefined }, { queryId: 'heavy-3' });
  const outcome = running.catch((err: CaracalError) => err);
  await until('the heavy query to run in the engine', async () => (await engineQueriesOf('heavy-3')) > 0, 10_000);
  const waitedFrom = Date.now();
  await assert.rejects(limited.execute('initech', 'SELECT 1 AS x'), (err: CaracalError) => {
    assert.equal(err.code, 'RESOURCE_EXHAUSTED');
    assert.match(err.message, /too many queries at once: 1 of this tenant's queries are already running and this one waited 200 ms/);
    return true;
  });
  assert.ok(Date.now() - waitedFrom >= 190);
  assert.deepEqual((await limited.execute('acme', 'SELECT 1 AS x')).rows, [{ x: 1 }]);
  assert.equal(limited.cancel('initech', 'heavy-3'), true);
  assert.equal(((await outcome) as CaracalError).code, 'CANCELLED');
  assert.deepEqual((await limited.execute('initech', 'SELECT 2 AS y')).rows, [{ y: 2 }]);
  limited.onModuleDestroy();
});

test("a query that fails midway leaves nothing behind for the next one", async () => {
  const small = new SqlQueryService(lake, loadConfig({ CARACAL_DATA_DIR: dataDir, CARACAL_QUERY_MAX_RESULT_ROWS: '10' }));
  await assert.rejects(small.execute('initech', 'SELECT p_row_id FROM panther_rule_matches.panther_audit'), (err: CaracalError) => {
    assert.equal(err.code, 'RESOURCE_EXHAUSTED');
    assert.match(err.message, /^the result has more than 10 rows/);
    return true;
  });
  const next = await small.execute('acme', 'SELECT 1 AS x');
  assert.deepEqual(next.columns, [{ name: 'x', type: 'UInt8' }]);
  assert.deepEqual(next.rows, [{ x: 1 }]);
});

test('a syntax error quotes the engine, without the service settings', async () => {
  await assert.rejects(sql.execute('acme', 'SELECT FROM WHERE'), (err: CaracalError) => {
    assert.equal(err.code, 'INVALID_ARGUMENT');
    assert.match(err.message, /^the query is not valid SQL: Syntax error/);
    assert.doesNotMatch(err.message, /additional_table_filters|In scope/);
    return true;
  });
});

test("readonly = 1 does not stop the service's own limits, and SETTINGS inside a query are refused before the engine sees them", async () => {
  const settings = tenantQuerySettings('acme', { ...config.query, maxResultRows: 1 });
  // readonly = 1 sits in the same clause as the limits and does not stop them: the result limit of 1 row applies.
  await assert.rejects(lake.query({ query: `SELECT p_row_id FROM panther_logs.panther_audit SETTINGS ${settings}`, format: 'JSONEachRow' }), /Limit for result exceeded/);
  // The engine (chDB 3.4, ClickHouse 26.7) lets a subquery's SETTINGS clause
  // replace additional_table_filters even under readonly = 1: the parse
  // check refusing every SETTINGS clause is what keeps the filter in place.
  for (const q of [
    'SELECT p_tenant_id FROM (SELECT p_tenant_id FROM panther_logs.panther_audit SETTINGS additional_table_filters = {})',
    'WITH x AS (SELECT p_tenant_id FROM panther_logs.panther_audit SETTINGS additional_table_filters = {}) SELECT * FROM x',
  ]) {
    await assert.rejects(sql.execute('acme', q), (err: CaracalError) => {
      assert.equal(err.code, 'INVALID_ARGUMENT');
      assert.match(err.message, /^SETTINGS is not allowed in a query/);
      return true;
    });
  }
});
