import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandMacros } from './occurs-macros';
import { checkReadOnlyStatement, tenantQuerySettings } from './tenant-scope';

const NOW = new Date('2024-05-01T12:00:00.000Z');

test('p_occurs_since reads every unit form and re-prints seconds', () => {
  const cases: [string, number][] = [
    ["'1 day'", 86400],
    ["'96 hrs'", 345600],
    ["'15 min'", 900],
    ["'2 weeks'", 1209600],
    ["'30 s'", 30],
    ["'1 hour'", 3600],
    ['3600', 3600],
  ];
  for (const [arg, secs] of cases) {
    assert.equal(expandMacros(`SELECT 1 WHERE p_occurs_since(${arg})`), `SELECT 1 WHERE (p_event_time >= now64(3) - toIntervalSecond(${secs}))`, arg);
  }
});

test('alias and column arguments qualify the column; a scheduled run time replaces now', () => {
  assert.equal(
    expandMacros("SELECT 1 FROM t AS a WHERE P_OCCURS_SINCE('1 day', a, p_parse_time)", { now: NOW }),
    "SELECT 1 FROM t AS a WHERE (a.p_parse_time >= toDateTime64('2024-05-01 12:00:00.000', 3, 'UTC') - toIntervalSecond(86400))",
  );
});

test('the other four macros expand to bounded conditions', () => {
  assert.equal(
    expandMacros("p_occurs_between('2024-01-01', '2024-01-02T00:00:00Z')"),
    "(p_event_time BETWEEN toDateTime64('2024-01-01 00:00:00.000', 3, 'UTC') AND toDateTime64('2024-01-02 00:00:00.000', 3, 'UTC'))",
  );
  assert.equal(
    expandMacros("p_occurs_around('2024-01-01 10:00:00', '5 min', x)"),
    "(x.p_event_time BETWEEN toDateTime64('2024-01-01 10:00:00.000', 3, 'UTC') - toIntervalSecond(300) AND toDateTime64('2024-01-01 10:00:00.000', 3, 'UTC') + toIntervalSecond(300))",
  );
  assert.equal(expandMacros("p_occurs_after('2024-01-01 10:00:00')"), "(p_event_time >= toDateTime64('2024-01-01 10:00:00.000', 3, 'UTC'))");
  assert.equal(expandMacros("p_occurs_before('2024-01-01 10:00:00')"), "(p_event_time <= toDateTime64('2024-01-01 10:00:00.000', 3, 'UTC'))");
});

test('macro names inside strings, quoted identifiers and comments are left alone', () => {
  const sql = "SELECT 'p_occurs_since(1)', \"p_occurs_since\" -- p_occurs_since(2)\n/* p_occurs_since(3) */ FROM t";
  assert.equal(expandMacros(sql), sql);
});

test('injected or malformed macro arguments are refused with the macro named', () => {
  const bad: [string, RegExp][] = [
    ["p_occurs_since('1 day') OR 1=1 --')", /^$/],
    ["p_occurs_since(1) ; DROP TABLE x", /^$/],
    ["p_occurs_since('1 day'; DROP TABLE x)", /p_occurs_since: expected ',' or '\)'/],
    ["p_occurs_since(now())", /p_occurs_since: expected ',' or '\)'/],
    ["p_occurs_since('1 day', 'a.b')", /table alias must be a plain identifier/],
    ["p_occurs_since('1 day', a, 'p_event_time) OR (1')", /column must be a plain identifier/],
    ["p_occurs_since('1 fortnight')", /cannot read offset '1 fortnight'/],
    ['p_occurs_since(-5)', /whole number of seconds/],
    ['p_occurs_since()', /takes 1 to 3 arguments, got 0/],
    ['p_occurs_since', /must be called with arguments/],
    ["p_occurs_between('2024-13-45', '2024-01-02')", /start '2024-13-45' is not a timestamp/],
    ["p_occurs_since('1 day'", /missing '\)'|expected ',' or '\)'/],
  ];
  for (const [sql, message] of bad) {
    if (message.source === '^$') {
      // Valid macro, hostile text after it: the macro expands and the rest is left for the other gates.
      assert.doesNotThrow(() => expandMacros(sql));
      continue;
    }
    assert.throws(() => expandMacros(sql), message, sql);
  }
});

test('only one read statement passes the first gate; a trailing comment cannot swallow the settings', () => {
  assert.equal(checkReadOnlyStatement('SELECT 1 ; '), 'SELECT 1');
  assert.equal(checkReadOnlyStatement('SELECT 1 -- note'), 'SELECT 1');
  assert.equal(checkReadOnlyStatement('WITH x AS (SELECT 1) SELECT * FROM x'), 'WITH x AS (SELECT 1) SELECT * FROM x');
  assert.throws(() => checkReadOnlyStatement('SELECT 1; SELECT 2'), /only one statement/);
  assert.throws(() => checkReadOnlyStatement('INSERT INTO t VALUES (1)'), /only SELECT queries are allowed, got INSERT/);
  assert.throws(() => checkReadOnlyStatement('SELECT 1 SETTINGS readonly = 0'), /SETTINGS is not allowed/);
  assert.throws(() => checkReadOnlyStatement('SELECT 1 INTO OUTFILE \'x\''), /INTO is not allowed/);
  assert.throws(() => checkReadOnlyStatement('   '), /the query is empty/);
});

test('tenant settings refuse a tenant id that could break out of the quoting', () => {
  assert.throws(() => tenantQuerySettings("a' OR 1=1", { maxExecutionTimeSeconds: 1, maxResultRows: 1 }), /invalid tenant id/);
  const s = tenantQuerySettings('acme', { maxExecutionTimeSeconds: 5, maxResultRows: 10 });
  assert.match(s, /'panther_logs\.panther_audit': 'p_tenant_id = ''acme'''/);
  assert.match(s, /readonly = 1/);
});
