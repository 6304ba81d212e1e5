import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { CaracalConfig, ErrorCode, loadConfig } from '@caracal/core';
import { NormalizedEvent, toClickHouseTime } from '@caracal/core/messages';
import { applyLakeSchema, createLakeClient, LakeClient, lakeDdl } from '@caracal/lake';
import { insertRows } from '@caracal/clickhouse-writer';
import { QueryColumn, SqlQueryService } from '@caracal/api-service';
import { tempDir } from '../support/test-env';

// Tenant A runs every query; tenant B's rows sit in the same tables, each
// carrying MARKER somewhere, so any of B's data in an answer or an error
// message shows up as the marker (or B's tenant id) in its serialized form.
const A = 'tenant-a';
const B = 'tenant-b';
const MARKER = 'ZZB0RG-SECRET';
const A_ROWS = 300;
const B_ROWS = 300;

const dataDir = tempDir('hostile');
const sandbox = tempDir('hostile-files');
// A file the engine could read if a query reached the file system, and a
// place a query would write to: neither may be touched.
const secretFile = path.join(sandbox, 'secret.txt');
const FILE_MARKER = 'FILE-CONTENT-7Q9W';
const outFile = path.join(sandbox, 'out.csv');

type ServiceName = 'main' | 'slow' | 'lowMemory' | 'lowRead';
const services = {} as Record<ServiceName, SqlQueryService>;
let lake: LakeClient;
let netServer: net.Server;
let port = 0;
let connectionsSeen = 0;

function configFor(extra: Record<string, string>): CaracalConfig {
  return loadConfig({
    CARACAL_DATA_DIR: dataDir,
    CARACAL_QUERY_MAX_RESULT_ROWS: '1000',
    CARACAL_QUERY_MAX_EXECUTION_TIME_SECONDS: '10',
    CARACAL_QUERY_MAX_RESULT_BYTES: String(1024 * 1024),
    CARACAL_QUERY_MAX_MEMORY_USAGE_BYTES: String(512 * 1024 * 1024),
    ...extra,
  });
}

function event(tenant: string, i: number): NormalizedEvent {
  const t = toClickHouseTime(new Date(Date.now() - (i + 1) * 60_000));
  const b = tenant === B;
  const tag = b ? MARKER : 'a';
  return {
    p_log_type: 'Panther.Audit',
    p_tenant_id: tenant,
    p_row_id: `${tag}-row-${i}`,
    p_event_time: t,
    p_parse_time: t,
    p_source_id: `${tenant}-src`,
    p_source_label: b ? `${MARKER}-label` : 'audit',
    p_schema_version: 1,
    p_any_ip_addresses: [b ? '198.51.100.66' : '203.0.113.1'],
    p_any_usernames: [],
    p_any_emails: [`admin@${tag}.example`],
    p_any_trace_ids: [`${tag}-actor`],
    p_any_actor_ids: [`${tag}-actor`],
    actionName: b ? `${MARKER}-ACTION` : i % 2 ? 'DELETE_DETECTION' : 'UPDATE_USER',
    actionResult: 'SUCCEEDED',
    actor: { id: `${tag}-actor`, type: 'USER', attributes: { email: `admin@${tag}.example` } },
    timestamp: t,
    pantherVersion: '1.0.0',
    actionParams: { dynamic: { input: { note: tag } } },
    actionDetails: {},
    errors: [],
    sourceIP: b ? '198.51.100.66' : '203.0.113.1',
    XForwardedFor: [],
  };
}

function matchRow(tenant: string, i: number): Record<string, unknown> {
  const tag = tenant === B ? MARKER : 'a';
  return { ...event(tenant, i), p_alert_id: `${tag}-alert-${i}`, p_rule_id: `${tag}.Rule`, p_alert_title: `${tag} title` };
}

before(async () => {
  fs.writeFileSync(secretFile, `${FILE_MARKER}\n`);
  netServer = net.createServer((socket) => {
    connectionsSeen++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => netServer.listen(0, '127.0.0.1', resolve));
  port = (netServer.address() as net.AddressInfo).port;

  const config = configFor({});
  lake = createLakeClient(config);
  await applyLakeSchema(lake);
  const rows = (tenant: string, n: number, build: (t: string, i: number) => Record<string, unknown>) => Array.from({ length: n }, (_, i) => build(tenant, i));
  await insertRows(lake, 'panther_logs.panther_audit', [...rows(A, A_ROWS, event), ...rows(B, B_ROWS, event)] as Record<string, unknown>[], 'logs');
  await insertRows(lake, 'panther_rule_matches.panther_audit', [...rows(A, 20, matchRow), ...rows(B, 20, matchRow)], 'matches');
  await insertRows(
    lake,
    'panther_rule_errors.panther_audit',
    [...rows(A, 10, matchRow), ...rows(B, 10, matchRow)].map((r) => ({ ...r, p_rule_error: `${String(r.p_row_id)} failed` })),
    'errors',
  );
  services.main = new SqlQueryService(lake, config);
  services.slow = new SqlQueryService(lake, configFor({ CARACAL_QUERY_MAX_EXECUTION_TIME_SECONDS: '1' }));
  services.lowMemory = new SqlQueryService(lake, configFor({ CARACAL_QUERY_MAX_MEMORY_USAGE_BYTES: String(16 * 1024 * 1024) }));
  services.lowRead = new SqlQueryService(lake, configFor({ CARACAL_QUERY_MAX_ROWS_TO_READ: '100' }));
});

after(async () => {
  for (const s of Object.values(services)) s.onModuleDestroy();
  await lake.close();
  await new Promise((resolve) => netServer.close(resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(sandbox, { recursive: true, force: true });
});

interface Outcome {
  columns: QueryColumn[];
  rows: Record<string, unknown>[];
  error?: Error & { code?: ErrorCode };
}

async function runAsA(sql: string, service: ServiceName = 'main'): Promise<Outcome> {
  const outcome: Outcome = { columns: [], rows: [] };
  try {
    await services[service].run(A, sql.replaceAll('{port}', String(port)), {
      columns: (c) => {
        outcome.columns = c;
      },
      rows: (r) => {
        outcome.rows.push(...r);
      },
    });
  } catch (err) {
    outcome.error = err as Outcome['error'];
  }
  return outcome;
}

/** Nothing of tenant B, of the secret file or of the service's settings in anything the caller saw. */
function assertNoLeak(sql: string, outcome: Outcome): void {
  const seen = JSON.stringify({ columns: outcome.columns, rows: outcome.rows, error: outcome.error?.message });
  for (const secret of [MARKER, B, FILE_MARKER, 'additional_table_filters', '198.51.100.66']) {
    assert.ok(!seen.includes(secret), `${sql}\nleaked ${secret}: ${seen.slice(0, 500)}`);
  }
  for (const row of outcome.rows) if ('p_tenant_id' in row) assert.equal(row.p_tenant_id, A, sql);
}

interface Refused {
  name: string;
  sql: string;
  code: ErrorCode;
  message: RegExp;
  service?: ServiceName;
}

const ONLY_LAKE = /only ([\w.]+, )*panther_logs\.panther_audit, panther_rule_matches\.panther_audit, panther_rule_errors\.panther_audit(, [\w.]+)* may be read/;
const T = 'panther_logs.panther_audit';
const notSelect = (keyword: string) => new RegExp(`^only SELECT queries are allowed, got ${keyword}$`);
const tableFunction = (fn: string) => new RegExp(`^table functions are not allowed: ${fn}\\(\\)`);
const refusedFunction = (fn: string) => new RegExp(`^${fn}\\(\\) is not allowed: `);

// Every query below is run as tenant A ({port} is a local port that counts
// the connections made to it) and must fail with the code and a
// message naming the problem. Refused functions (see packages/lake/src/
// query-functions.ts) are those that read outside the tenant's rows: other
// tables without the filter (dictGet, joinGet), files (file), the network,
// or the engine's host and configuration (hostName, getSetting, getMacro,
// currentUser, filesystemAvailable, …). currentDatabase() stays allowed.
const REFUSED: Refused[] = [
  // Statements other than SELECT, however they are dressed.
  { name: 'INSERT', sql: `INSERT INTO ${T} (p_tenant_id) VALUES ('${A}')`, code: 'INVALID_ARGUMENT', message: notSelect('INSERT') },
  { name: 'INSERT INTO FUNCTION', sql: `INSERT INTO FUNCTION file('${outFile}', 'CSV', 'a String') SELECT 'x'`, code: 'INVALID_ARGUMENT', message: notSelect('INSERT') },
  { name: 'ALTER DELETE', sql: `ALTER TABLE ${T} DELETE WHERE p_tenant_id = '${B}'`, code: 'INVALID_ARGUMENT', message: notSelect('ALTER') },
  { name: 'DROP', sql: `DROP TABLE ${T}`, code: 'INVALID_ARGUMENT', message: notSelect('DROP') },
  { name: 'CREATE', sql: 'CREATE TABLE panther_logs.x (a String) ENGINE = Memory', code: 'INVALID_ARGUMENT', message: notSelect('CREATE') },
  { name: 'TRUNCATE', sql: `TRUNCATE TABLE ${T}`, code: 'INVALID_ARGUMENT', message: notSelect('TRUNCATE') },
  { name: 'OPTIMIZE', sql: `OPTIMIZE TABLE ${T} FINAL`, code: 'INVALID_ARGUMENT', message: notSelect('OPTIMIZE') },
  { name: 'KILL', sql: 'KILL QUERY WHERE 1', code: 'INVALID_ARGUMENT', message: notSelect('KILL') },
  { name: 'SYSTEM', sql: 'SYSTEM DROP DNS CACHE', code: 'INVALID_ARGUMENT', message: notSelect('SYSTEM') },
  { name: 'ATTACH', sql: `ATTACH TABLE ${T}`, code: 'INVALID_ARGUMENT', message: notSelect('ATTACH') },
  { name: 'DETACH', sql: `DETACH TABLE ${T}`, code: 'INVALID_ARGUMENT', message: notSelect('DETACH') },
  { name: 'GRANT', sql: 'GRANT SELECT ON *.* TO default', code: 'INVALID_ARGUMENT', message: notSelect('GRANT') },
  { name: 'SET', sql: 'SET readonly = 0', code: 'INVALID_ARGUMENT', message: notSelect('SET') },
  { name: 'USE', sql: 'USE caracal', code: 'INVALID_ARGUMENT', message: notSelect('USE') },
  { name: 'RENAME', sql: `RENAME TABLE ${T} TO panther_logs.gone`, code: 'INVALID_ARGUMENT', message: notSelect('RENAME') },
  { name: 'EXPLAIN', sql: 'EXPLAIN SELECT * FROM system.tables', code: 'INVALID_ARGUMENT', message: notSelect('EXPLAIN') },
  { name: 'DESCRIBE', sql: 'DESCRIBE TABLE caracal.alerts', code: 'INVALID_ARGUMENT', message: notSelect('DESCRIBE') },
  { name: 'SHOW TABLES', sql: 'SHOW TABLES FROM caracal', code: 'INVALID_ARGUMENT', message: notSelect('SHOW') },
  { name: 'EXISTS', sql: 'EXISTS TABLE caracal.alerts', code: 'INVALID_ARGUMENT', message: notSelect('EXISTS') },
  { name: 'EXPLAIN as a subquery', sql: 'SELECT * FROM (EXPLAIN QUERY TREE SELECT * FROM system.tables)', code: 'INVALID_ARGUMENT', message: tableFunction('viewExplain') },

  // More than one statement, however the second one is hidden.
  { name: 'two statements', sql: `SELECT 1; DROP TABLE ${T}`, code: 'INVALID_ARGUMENT', message: /^only one statement per query is allowed/ },
  { name: 'a statement after a # comment that hides a quote', sql: `SELECT 1 # '\n; DROP TABLE ${T}; SELECT '`, code: 'INVALID_ARGUMENT', message: /^only one statement per query is allowed/ },
  { name: 'a statement after a heredoc that hides a quote', sql: `SELECT $$ ' $$; DROP TABLE ${T}; SELECT '$$'`, code: 'INVALID_ARGUMENT', message: /^only one statement per query is allowed/ },
  { name: 'a NUL byte before a second statement', sql: `SELECT 1\u0000; DROP TABLE ${T}`, code: 'INVALID_ARGUMENT', message: /^the query contains a NUL character$/ },
  { name: 'an empty query', sql: ' -- nothing\n', code: 'INVALID_ARGUMENT', message: /^the query is empty$/ },

  // SETTINGS, FORMAT, INTO OUTFILE: anywhere.
  { name: 'SETTINGS at the end', sql: `SELECT * FROM ${T} SETTINGS readonly = 0`, code: 'INVALID_ARGUMENT', message: /^SETTINGS is not allowed in a query/ },
  { name: 'SETTINGS clearing the filters', sql: `SELECT * FROM ${T} SETTINGS additional_table_filters = {}`, code: 'INVALID_ARGUMENT', message: /^SETTINGS is not allowed in a query/ },
  { name: 'SETTINGS in a subquery', sql: `SELECT * FROM (SELECT p_tenant_id FROM ${T} SETTINGS additional_table_filters = {})`, code: 'INVALID_ARGUMENT', message: /^SETTINGS is not allowed in a query/ },
  { name: 'SETTINGS in a CTE', sql: `WITH x AS (SELECT * FROM ${T} SETTINGS max_result_rows = 0) SELECT * FROM x`, code: 'INVALID_ARGUMENT', message: /^SETTINGS is not allowed in a query/ },
  { name: 'SETTINGS after a block comment', sql: `SELECT 1 /* harmless */ SETTINGS readonly = 0`, code: 'INVALID_ARGUMENT', message: /^SETTINGS is not allowed in a query/ },
  { name: 'SETTINGS on the line after a -- comment', sql: `SELECT 1 -- harmless\nSETTINGS readonly = 0`, code: 'INVALID_ARGUMENT', message: /^SETTINGS is not allowed in a query/ },
  { name: 'SETTINGS in full-width letters', sql: 'SELECT 1 ＳＥＴＴＩＮＧＳ readonly = 0', code: 'INVALID_ARGUMENT', message: /^the query is not valid SQL: .*Unrecognized token/ },
  { name: 'FORMAT', sql: `SELECT * FROM ${T} FORMAT JSON`, code: 'INVALID_ARGUMENT', message: /^FORMAT is not allowed \(got FORMAT JSON\)/ },
  { name: 'INTO OUTFILE', sql: `SELECT * FROM ${T} INTO OUTFILE '${outFile}'`, code: 'INVALID_ARGUMENT', message: /^INTO OUTFILE is not allowed/ },
  { name: 'INTO OUTFILE with FORMAT', sql: `SELECT 1 INTO OUTFILE '${outFile}' FORMAT CSV`, code: 'INVALID_ARGUMENT', message: /^INTO OUTFILE is not allowed/ },

  // Other databases and system tables, however they are named.
  { name: 'system.tables', sql: 'SELECT name FROM system.tables', code: 'INVALID_ARGUMENT', message: /^the query reads system\.tables; / },
  { name: 'system.query_log', sql: 'SELECT query FROM system.query_log', code: 'INVALID_ARGUMENT', message: /^the query reads system\.query_log; / },
  { name: 'system.settings', sql: 'SELECT name, value FROM system.settings', code: 'INVALID_ARGUMENT', message: /^the query reads system\.settings; / },
  { name: 'system.processes in a scalar subquery', sql: 'SELECT (SELECT any(query) FROM system.processes) AS q', code: 'INVALID_ARGUMENT', message: /^the query reads system\.processes; / },
  { name: 'system.one named outright', sql: 'SELECT * FROM system.one', code: 'INVALID_ARGUMENT', message: /^the query reads system\.one; / },
  { name: 'system.one quoted with backticks', sql: 'SELECT * FROM `system`.`one`', code: 'INVALID_ARGUMENT', message: /^the query reads system\.one; / },
  { name: 'system.tables quoted with double quotes', sql: 'SELECT * FROM "system"."tables"', code: 'INVALID_ARGUMENT', message: /^the query reads system\.tables; / },
  { name: 'IN a system table', sql: `SELECT 1 FROM ${T} WHERE p_tenant_id IN system.tables`, code: 'INVALID_ARGUMENT', message: /^the query reads system\.tables; / },
  { name: 'a CTE over a system table', sql: 'WITH x AS (SELECT name FROM system.tables) SELECT * FROM x', code: 'INVALID_ARGUMENT', message: /^the query reads system\.tables; / },
  { name: 'a CTE named like a lake table over a system table', sql: 'WITH panther_audit AS (SELECT * FROM system.settings) SELECT * FROM panther_audit', code: 'INVALID_ARGUMENT', message: /^the query reads system\.settings; / },
  { name: 'information_schema', sql: 'SELECT * FROM information_schema.tables', code: 'INVALID_ARGUMENT', message: /^the query reads information_schema\.tables; / },
  { name: 'INFORMATION_SCHEMA', sql: 'SELECT * FROM INFORMATION_SCHEMA.COLUMNS', code: 'INVALID_ARGUMENT', message: /^the query reads INFORMATION_SCHEMA\.COLUMNS; / },
  { name: 'caracal.alerts', sql: 'SELECT * FROM caracal.alerts', code: 'INVALID_ARGUMENT', message: /^the query reads caracal\.alerts; / },
  { name: 'UNION ALL into caracal.alerts', sql: `SELECT p_tenant_id FROM ${T} UNION ALL SELECT tenant_id FROM caracal.alerts`, code: 'INVALID_ARGUMENT', message: /^the query reads caracal\.alerts; / },
  { name: 'a JOIN with caracal.alert_activity', sql: `SELECT * FROM ${T} AS e JOIN caracal.alert_activity AS a ON a.alert_id = e.p_row_id`, code: 'INVALID_ARGUMENT', message: /^the query reads caracal\.alert_activity; / },
  { name: 'a lake database without a tenant filter', sql: 'SELECT * FROM panther_views.all_logs', code: 'INVALID_ARGUMENT', message: /^the query reads panther_views\.all_logs; / },
  { name: 'a table without a database', sql: 'SELECT * FROM panther_audit', code: 'INVALID_ARGUMENT', message: ONLY_LAKE },
  { name: 'a look-alike system (Cyrillic s)', sql: 'SELECT * FROM ѕystem.tables', code: 'INVALID_ARGUMENT', message: /^the query is not valid SQL: .*Unrecognized token/ },

  // Table functions: files, network, other tables.
  { name: 'url()', sql: `SELECT * FROM url('http://127.0.0.1:{port}/x', 'CSV', 'a String')`, code: 'INVALID_ARGUMENT', message: tableFunction('url') },
  { name: 'file()', sql: `SELECT * FROM file('${secretFile}', 'LineAsString')`, code: 'INVALID_ARGUMENT', message: tableFunction('file') },
  { name: 'remote()', sql: `SELECT * FROM remote('127.0.0.1:{port}', 'system', 'one')`, code: 'INVALID_ARGUMENT', message: tableFunction('remote') },
  { name: 'remoteSecure()', sql: `SELECT * FROM remoteSecure('127.0.0.1:{port}', system.one)`, code: 'INVALID_ARGUMENT', message: tableFunction('remoteSecure') },
  { name: 's3()', sql: `SELECT * FROM s3('http://127.0.0.1:{port}/bucket/key.csv', 'CSV', 'a String')`, code: 'INVALID_ARGUMENT', message: tableFunction('s3') },
  { name: 'hdfs()', sql: `SELECT * FROM hdfs('hdfs://127.0.0.1:{port}/x', 'CSV', 'a String')`, code: 'INVALID_ARGUMENT', message: tableFunction('hdfs') },
  { name: 'mysql()', sql: `SELECT * FROM mysql('127.0.0.1:{port}', 'db', 't', 'u', 'p')`, code: 'INVALID_ARGUMENT', message: tableFunction('mysql') },
  { name: 'postgresql()', sql: `SELECT * FROM postgresql('127.0.0.1:{port}', 'db', 't', 'u', 'p')`, code: 'INVALID_ARGUMENT', message: tableFunction('postgresql') },
  { name: 'executable()', sql: "SELECT * FROM executable('cat /etc/passwd', 'LineAsString', 'a String')", code: 'INVALID_ARGUMENT', message: tableFunction('executable') },
  { name: 'input()', sql: "SELECT * FROM input('a String')", code: 'INVALID_ARGUMENT', message: tableFunction('input') },
  { name: 'numbers()', sql: 'SELECT * FROM numbers(10)', code: 'INVALID_ARGUMENT', message: tableFunction('numbers') },
  { name: 'generateRandom()', sql: "SELECT * FROM generateRandom('a String') LIMIT 1", code: 'INVALID_ARGUMENT', message: tableFunction('generateRandom') },
  { name: 'cluster()', sql: "SELECT * FROM cluster('default', system.one)", code: 'INVALID_ARGUMENT', message: tableFunction('cluster') },
  { name: 'merge() over the lake database', sql: "SELECT p_tenant_id FROM merge('panther_logs', '.*')", code: 'INVALID_ARGUMENT', message: tableFunction('merge') },
  { name: 'view() over a lake table', sql: `SELECT * FROM view(SELECT * FROM ${T})`, code: 'INVALID_ARGUMENT', message: tableFunction('view') },
  { name: 'a table function in a subquery', sql: `SELECT * FROM ${T} WHERE p_row_id IN (SELECT * FROM url('http://127.0.0.1:{port}/x', 'CSV', 'a String'))`, code: 'INVALID_ARGUMENT', message: tableFunction('url') },

  // Functions that read outside the tenant's rows.
  { name: 'dictGet', sql: "SELECT dictGet('caracal.tenants', 'name', toUInt64(1))", code: 'INVALID_ARGUMENT', message: refusedFunction('dictGet') },
  { name: 'joinGet', sql: "SELECT joinGet('caracal.alerts', 'title', 'x')", code: 'INVALID_ARGUMENT', message: refusedFunction('joinGet') },
  { name: 'file() as a function', sql: `SELECT file('${secretFile}')`, code: 'INVALID_ARGUMENT', message: refusedFunction('file') },
  { name: 'file() inside a lambda', sql: `SELECT arrayMap(x -> file(x), ['${secretFile}'])`, code: 'INVALID_ARGUMENT', message: refusedFunction('file') },
  { name: 'APPLY calling a function by name', sql: `SELECT * APPLY file FROM (SELECT '${secretFile}' AS p)`, code: 'INVALID_ARGUMENT', message: /^APPLY is not allowed/ },
  { name: 'hostName', sql: 'SELECT hostName()', code: 'INVALID_ARGUMENT', message: refusedFunction('hostName') },
  { name: 'getMacro', sql: "SELECT getMacro('replica')", code: 'INVALID_ARGUMENT', message: refusedFunction('getMacro') },
  { name: 'getSetting of the tenant filters', sql: "SELECT getSetting('additional_table_filters')", code: 'INVALID_ARGUMENT', message: refusedFunction('getSetting') },
  { name: 'currentUser', sql: 'SELECT currentUser()', code: 'INVALID_ARGUMENT', message: refusedFunction('currentUser') },
  { name: 'filesystemAvailable', sql: 'SELECT filesystemAvailable()', code: 'INVALID_ARGUMENT', message: refusedFunction('filesystemAvailable') },
  { name: 'hasColumnInTable', sql: "SELECT hasColumnInTable('caracal', 'alerts', 'title')", code: 'INVALID_ARGUMENT', message: refusedFunction('hasColumnInTable') },
  { name: 'virtual part columns', sql: `SELECT _part, _part_offset FROM ${T}`, code: 'INVALID_ARGUMENT', message: /^the virtual column _part is not allowed/ },

  // PREWHERE runs before the tenant filter.
  { name: 'PREWHERE that throws on B', sql: `SELECT count() FROM ${T} PREWHERE throwIf(p_tenant_id = '${B}')`, code: 'INVALID_ARGUMENT', message: /^PREWHERE is not allowed/ },
  { name: 'PREWHERE quoting B in a cast error', sql: `SELECT count() FROM ${T} PREWHERE if(p_tenant_id != '${A}', toUInt8(actionName), 0) = 1`, code: 'INVALID_ARGUMENT', message: /^PREWHERE is not allowed/ },

  // Macros with injected arguments.
  { name: 'a macro followed by a second statement', sql: `SELECT * FROM ${T} WHERE p_occurs_since('1 day'); DROP TABLE ${T}`, code: 'INVALID_ARGUMENT', message: /^only one statement per query is allowed/ },
  { name: 'a statement inside the offset', sql: `SELECT * FROM ${T} WHERE p_occurs_since('1 day''); DROP TABLE ${T}; --')`, code: 'INVALID_ARGUMENT', message: /^p_occurs_since: cannot read offset/ },
  { name: 'a subquery as p_occurs_between start', sql: `SELECT * FROM ${T} WHERE p_occurs_between((SELECT min(p_event_time) FROM ${T}), '2100-01-01')`, code: 'INVALID_ARGUMENT', message: /^p_occurs_between: argument 1 must be a literal/ },
  { name: 'an alias with a dot', sql: `SELECT * FROM ${T} AS e WHERE p_occurs_since('1 day', system.one)`, code: 'INVALID_ARGUMENT', message: /^p_occurs_since: argument 2 must be a single literal or name; expected ',' or '\)' after it, got "\."$/ },
  { name: 'a column that closes the condition', sql: `SELECT * FROM ${T} AS e WHERE p_occurs_since('1 day', e, 'p_tenant_id) OR (1')`, code: 'INVALID_ARGUMENT', message: /^p_occurs_since: column must be a plain identifier/ },
  { name: 'a quoted column that closes the condition', sql: `SELECT * FROM ${T} AS e WHERE p_occurs_since('1 day', e, \`p_tenant_id) OR (1\`)`, code: 'INVALID_ARGUMENT', message: /^p_occurs_since: argument 3 must be a literal/ },
  { name: 'a function call as the offset', sql: `SELECT * FROM ${T} WHERE p_occurs_since(toString(86400))`, code: 'INVALID_ARGUMENT', message: /^p_occurs_since: argument 1 must be a single literal or name/ },
  { name: 'a macro without arguments', sql: `SELECT * FROM ${T} WHERE p_occurs_around`, code: 'INVALID_ARGUMENT', message: /^p_occurs_around must be called with arguments/ },

  // Huge, slow and memory-hungry queries, without numbers(): cross joins of the lake with itself.
  { name: 'a result over max_result_rows', sql: `SELECT a.p_row_id, b.p_row_id FROM ${T} AS a CROSS JOIN ${T} AS b`, code: 'RESOURCE_EXHAUSTED', message: /^the result has more than 1000 rows/ },
  { name: 'a result over max_result_bytes', sql: `SELECT repeat(p_row_id, 2000) FROM ${T} LIMIT 900`, code: 'RESOURCE_EXHAUSTED', message: /^the result is larger than 1048576 bytes/ },
  {
    name: 'a query over max_execution_time',
    sql: `SELECT count() FROM ${T} AS a, ${T} AS b, ${T} AS c, ${T} AS d WHERE sipHash64(a.p_row_id, b.p_row_id, c.p_row_id, d.p_row_id) % 1000 = 7`,
    code: 'DEADLINE_EXCEEDED',
    message: /^the query took too long \(1 s, the most one query may run\)/,
    service: 'slow',
  },
  {
    name: 'sleeping past max_execution_time',
    sql: `SELECT sleepEachRow(0.005) FROM ${T} AS a CROSS JOIN (SELECT p_row_id FROM ${T} LIMIT 2) AS b`,
    code: 'DEADLINE_EXCEEDED',
    message: /^the query took too long/,
    service: 'slow',
  },
  {
    name: 'a query over max_memory_usage',
    sql: `SELECT a.p_row_id, groupArray(repeat(b.p_row_id, 100)) FROM ${T} AS a CROSS JOIN ${T} AS b GROUP BY a.p_row_id`,
    code: 'RESOURCE_EXHAUSTED',
    message: /^the query needs more memory than 16777216 bytes/,
    service: 'lowMemory',
  },
  { name: 'a query over max_rows_to_read', sql: `SELECT count() FROM ${T}`, code: 'RESOURCE_EXHAUSTED', message: /^the query would read more than 100 rows of the lake/, service: 'lowRead' },
];

for (const c of REFUSED) {
  test(`refused: ${c.name}`, async () => {
    const outcome = await runAsA(c.sql, c.service);
    assertNoLeak(c.sql, outcome);
    assert.ok(outcome.error, `${c.sql}\nsucceeded with ${JSON.stringify(outcome.rows).slice(0, 300)}`);
    assert.equal(outcome.error.code, c.code, `${c.sql}\n${outcome.error.message}`);
    assert.match(outcome.error.message, c.message, c.sql);
  });
}

interface Filtered {
  name: string;
  sql: string;
  /** What A's rows alone give; undefined when any number of A's rows will do. */
  rows?: unknown[];
}

// Queries that are fine to run: the engine must answer them from A's rows
// alone. Several of them made the engine leak B's data before the service
// turned optimize_move_to_prewhere off (a WHERE condition moved to PREWHERE
// ran before the tenant filter, and its error quoted B's values).
const FILTERED: Filtered[] = [
  { name: 'asking for B by name', sql: `SELECT * FROM ${T} WHERE p_tenant_id = '${B}'`, rows: [] },
  { name: 'anyone but A', sql: `SELECT * FROM ${T} WHERE p_tenant_id != '${A}'`, rows: [] },
  { name: 'OR 1=1', sql: `SELECT count() AS n FROM ${T} WHERE p_tenant_id = '${B}' OR 1 = 1`, rows: [{ n: String(A_ROWS) }] },
  { name: 'a macro OR 1=1', sql: `SELECT count() AS n FROM ${T} WHERE p_occurs_since('1 day') OR 1=1`, rows: [{ n: String(A_ROWS) }] },
  { name: 'count() from part metadata', sql: `SELECT count() AS n FROM ${T}`, rows: [{ n: String(A_ROWS) }] },
  { name: 'min/max/count from the implicit projection', sql: `SELECT count() AS n, max(p_row_id) AS top FROM ${T}`, rows: [{ n: String(A_ROWS), top: 'a-row-99' }] },
  { name: 'throwIf on B in WHERE', sql: `SELECT count() AS n FROM ${T} WHERE throwIf(p_tenant_id = '${B}') AND p_schema_version = 1`, rows: [{ n: '0' }] },
  { name: 'a cast of B values in WHERE', sql: `SELECT count() AS n FROM ${T} WHERE if(p_tenant_id != '${A}', toUInt8(actionName), 0) = 1`, rows: [{ n: '0' }] },
  { name: "a cast of B's action by row id in WHERE", sql: `SELECT count() AS n FROM ${T} WHERE if(startsWith(p_row_id, 'ZZB0'), toUInt8(actionName), 0) = 1`, rows: [{ n: '0' }] },
  {
    name: "a cast of B's action next to a cheap condition",
    sql: `SELECT count() AS n FROM ${T} WHERE p_schema_version = 1 AND if(startsWith(p_row_id, 'ZZB0'), toUInt8(actionName), 0) = 1`,
    rows: [{ n: '0' }],
  },
  { name: 'throwIf on B in a subquery WHERE', sql: `SELECT * FROM (SELECT p_tenant_id, actionName FROM ${T}) WHERE throwIf(actionName = '${MARKER}-ACTION')`, rows: [] },
  { name: 'B in a scalar subquery', sql: `SELECT toUInt8((SELECT any(actionName) FROM ${T} WHERE p_tenant_id = '${B}')) AS x`, rows: [{ x: null }] },
  { name: 'B in an IN subquery', sql: `SELECT count() AS n FROM ${T} WHERE '${B}' IN (SELECT p_tenant_id FROM ${T})`, rows: [{ n: '0' }] },
  { name: 'FINAL', sql: `SELECT DISTINCT p_tenant_id FROM ${T} FINAL`, rows: [{ p_tenant_id: A }] },
  { name: 'ARRAY JOIN', sql: `SELECT DISTINCT p_tenant_id, ip FROM ${T} ARRAY JOIN p_any_ip_addresses AS ip`, rows: [{ p_tenant_id: A, ip: '203.0.113.1' }] },
  { name: 'a window over everything', sql: `SELECT DISTINCT count() OVER () AS n FROM ${T}`, rows: [{ n: String(A_ROWS) }] },
  { name: 'groupUniqArray of tenants', sql: `SELECT groupUniqArray(p_tenant_id) AS t FROM ${T}`, rows: [{ t: [A] }] },
  { name: 'a self-join on anything', sql: `SELECT DISTINCT b.p_tenant_id AS t FROM ${T} AS a JOIN ${T} AS b ON a.p_schema_version = b.p_schema_version`, rows: [{ t: A }] },
  {
    name: 'UNION ALL over the three lake tables',
    sql: `SELECT p_tenant_id FROM ${T} UNION ALL SELECT p_tenant_id FROM panther_rule_matches.panther_audit UNION ALL SELECT p_tenant_id FROM panther_rule_errors.panther_audit`,
  },
  { name: 'B asked for in the first SELECT of a UNION', sql: `SELECT p_row_id AS r FROM ${T} WHERE p_tenant_id = '${B}' UNION ALL SELECT 'x'`, rows: [{ r: 'x' }] },
  { name: 'INTERSECT', sql: `SELECT DISTINCT p_tenant_id FROM ${T} INTERSECT SELECT p_tenant_id FROM panther_rule_matches.panther_audit`, rows: [{ p_tenant_id: A }] },
  { name: 'EXCEPT', sql: `SELECT DISTINCT p_tenant_id FROM ${T} EXCEPT SELECT 'nobody'`, rows: [{ p_tenant_id: A }] },
  { name: 'a window reaching for the next row', sql: `SELECT p_row_id, leadInFrame(p_row_id) OVER (ORDER BY p_tenant_id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS next FROM ${T}` },
  { name: 'the rule errors of B', sql: `SELECT p_rule_error FROM panther_rule_errors.panther_audit WHERE p_rule_error LIKE '%${MARKER}%'`, rows: [] },
  { name: 'sorted to put B first', sql: `SELECT p_tenant_id FROM ${T} ORDER BY p_tenant_id DESC LIMIT 1`, rows: [{ p_tenant_id: A }] },
  { name: 'a WITH name like a system table', sql: `WITH tables AS (SELECT * FROM ${T}) SELECT DISTINCT p_tenant_id FROM tables`, rows: [{ p_tenant_id: A }] },
  { name: 'a WITH name like a database', sql: 'WITH system AS (SELECT 1 AS one) SELECT one FROM system', rows: [{ one: 1 }] },
  { name: 'a trailing comment meant to swallow the settings', sql: `SELECT DISTINCT p_tenant_id FROM ${T} --`, rows: [{ p_tenant_id: A }] },
  { name: 'a trailing #! comment', sql: `SELECT DISTINCT p_tenant_id FROM ${T} #! comment`, rows: [{ p_tenant_id: A }] },
  { name: 'a nested comment hiding a statement', sql: `SELECT DISTINCT p_tenant_id FROM ${T} /* a /* b */ ; DROP TABLE ${T} */`, rows: [{ p_tenant_id: A }] },
  { name: 'an escaped quote hiding a statement', sql: `SELECT 'x\\'; DROP TABLE ${T}; SELECT ' AS s`, rows: [{ s: `x'; DROP TABLE ${T}; SELECT ` }] },
  { name: 'a doubled quote hiding a statement', sql: `SELECT 'x''; DROP TABLE ${T}; --' AS s`, rows: [{ s: `x'; DROP TABLE ${T}; --` }] },
  { name: 'currentDatabase()', sql: 'SELECT currentDatabase() AS db', rows: [{ db: 'default' }] },
  { name: 'a SELECT without FROM (system.one)', sql: 'SELECT 1 AS one', rows: [{ one: 1 }] },
  { name: 'macros with an alias in a self-join', sql: `SELECT count() AS n FROM ${T} AS x JOIN ${T} AS y ON x.p_row_id = y.p_row_id WHERE p_occurs_between('2000-01-01', '2100-01-01', x) AND p_occurs_since('1 week', y, p_parse_time)`, rows: [{ n: String(A_ROWS) }] },
];

for (const c of FILTERED) {
  test(`allowed but filtered: ${c.name}`, async () => {
    const outcome = await runAsA(c.sql);
    assert.equal(outcome.error, undefined, `${c.sql}\n${outcome.error?.message}`);
    assertNoLeak(c.sql, outcome);
    if (c.rows !== undefined) assert.deepEqual(outcome.rows, c.rows, c.sql);
    else assert.ok(outcome.rows.length > 0, c.sql);
  });
}

test('the seed query and the macros return tenant A rows of the right time only', async () => {
  const seed = await runAsA(`SELECT p_row_id, p_tenant_id FROM ${T} WHERE p_occurs_since('1 day')`);
  assert.equal(seed.error, undefined);
  assertNoLeak('seed', seed);
  assert.equal(seed.rows.length, A_ROWS);
  // Row i is i+1 minutes old: the last 10 minutes hold rows 0 to 8 and, at the edge, maybe 9.
  const recent = await runAsA(`SELECT p_row_id FROM ${T} WHERE p_occurs_since('10 min') ORDER BY p_event_time DESC`);
  assert.ok(recent.rows.length >= 9 && recent.rows.length <= 10, JSON.stringify(recent.rows));
  assert.equal(recent.rows[0].p_row_id, 'a-row-0');
  const matches = await runAsA(`SELECT p_alert_id FROM panther_rule_matches.panther_audit AS m WHERE p_occurs_after('2000-01-01', m) ORDER BY p_alert_id`);
  assert.equal(matches.rows.length, 20);
  assertNoLeak('matches', matches);
});

test('nothing was written, reached over the network or read from a file', async () => {
  assert.equal(fs.existsSync(outFile), false);
  assert.equal(connectionsSeen, 0);
  const rs = await lake.query({ query: `SELECT p_tenant_id, count() AS n FROM ${T} GROUP BY p_tenant_id ORDER BY p_tenant_id`, format: 'JSONEachRow' });
  const counts = (await rs.json<{ p_tenant_id: string; n: string | number }>()).map((r) => [r.p_tenant_id, Number(r.n)]);
  assert.deepEqual(counts, [
    [A, A_ROWS],
    [B, B_ROWS],
  ]);
  const tables = await lake.query({ query: "SELECT count() AS n FROM system.tables WHERE database LIKE 'panther_%'", format: 'JSONEachRow' });
  // Exactly the lake's own tables: no query made one.
  const lakeTables = lakeDdl().filter((s) => /^CREATE TABLE IF NOT EXISTS panther_/.test(s)).length;
  assert.deepEqual((await tables.json<{ n: string | number }>()).map((r) => Number(r.n)), [lakeTables]);
  assert.ok(REFUSED.length + FILTERED.length >= 60);
});
