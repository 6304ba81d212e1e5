import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandMacros } from './occurs-macros';

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
    ["p_occurs_since('1 day'; DROP TABLE x)", /p_occurs_since: argument 1 must be a single literal or name; expected ',' or '\)'/],
    ["p_occurs_since(now())", /p_occurs_since: argument 1 must be a single literal or name; expected ',' or '\)'/],
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

test('all five macros take an alias and a column, in that order, after their own arguments', () => {
  const ts = "toDateTime64('2024-01-01 10:00:00.000', 3, 'UTC')";
  assert.equal(expandMacros("p_occurs_since(60, e, p_parse_time)"), '(e.p_parse_time >= now64(3) - toIntervalSecond(60))');
  assert.equal(expandMacros("p_occurs_between('2024-01-01 10:00:00', '2024-01-01 10:00:00', e, p_parse_time)"), `(e.p_parse_time BETWEEN ${ts} AND ${ts})`);
  assert.equal(
    expandMacros("p_occurs_around('2024-01-01 10:00:00', 60, e, p_parse_time)"),
    `(e.p_parse_time BETWEEN ${ts} - toIntervalSecond(60) AND ${ts} + toIntervalSecond(60))`,
  );
  assert.equal(expandMacros("p_occurs_after('2024-01-01 10:00:00', e, p_parse_time)"), `(e.p_parse_time >= ${ts})`);
  assert.equal(expandMacros("p_occurs_before('2024-01-01 10:00:00', e, p_parse_time)"), `(e.p_parse_time <= ${ts})`);
  // The alias alone qualifies the default column.
  assert.equal(expandMacros("p_occurs_after('2024-01-01 10:00:00', e)"), `(e.p_event_time >= ${ts})`);
});

test('malformed calls of every macro are refused with a message that names the macro and the problem', () => {
  const bad: [string, RegExp][] = [
    ['p_occurs_since()', /^p_occurs_since takes 1 to 3 arguments, got 0$/],
    ["p_occurs_since('1 day', a, b, c)", /^p_occurs_since takes 1 to 3 arguments, got 4$/],
    ['SELECT p_occurs_since', /^p_occurs_since must be called with arguments, e\.g\. p_occurs_since\('1 day'\)$/],
    ["p_occurs_since('1 fortnight')", /^p_occurs_since: cannot read offset '1 fortnight'; write a number and a unit such as '1 day'/],
    ['p_occurs_since(-5)', /^p_occurs_since: offset must be a whole number of seconds, got -5$/],
    ['p_occurs_since(1.5)', /^p_occurs_since: offset must be a whole number of seconds, got 1.5$/],
    ['p_occurs_since(day)', /^p_occurs_since: offset must be a number of seconds or a quoted duration such as '1 day'$/],
    ['p_occurs_since(1 day)', /^p_occurs_since: argument 1 must be a single literal or name; expected ',' or '\)' after it, got "day"$/],
    ["p_occurs_since('1 day', a.b)", /^p_occurs_since: argument 2 must be a single literal or name; expected ',' or '\)' after it, got "\."$/],
    ["p_occurs_since('1 day', 'a b')", /^p_occurs_since: table alias must be a plain identifier, got "a b"$/],
    ["p_occurs_since('1 day', a, 'p_tenant_id) OR (1')", /^p_occurs_since: column must be a plain identifier, got "p_tenant_id\) OR \(1"$/],
    ["p_occurs_since('1 day', a, `p_tenant_id) OR (1`)", /^p_occurs_since: argument 3 must be a literal \(a quoted string or a whole number\) or a plain name, got "`p_tenant_id\) OR \(1`"$/],
    ["p_occurs_since('1 day', 7)", /^p_occurs_since: table alias must be a plain identifier, got 7$/],
    ["p_occurs_since(concat('1', ' day'))", /^p_occurs_since: argument 1 must be a single literal or name; expected ',' or '\)' after it, got "\("$/],
    ["p_occurs_between('2024-01-01')", /^p_occurs_between takes 2 to 4 arguments, got 1$/],
    ["p_occurs_between((SELECT 1), '2024-01-02')", /^p_occurs_between: argument 1 must be a literal \(a quoted string or a whole number\) or a plain name, got "\("$/],
    ["p_occurs_between('2024-01-01', now())", /^p_occurs_between: argument 2 must be a single literal or name; expected ',' or '\)' after it, got "\("$/],
    ["p_occurs_between('2024-01-01', 1704067200)", /^p_occurs_between: end must be a quoted UTC timestamp such as '2024-01-31 12:00:00'$/],
    ["p_occurs_around('2024-01-01')", /^p_occurs_around takes 2 to 4 arguments, got 1$/],
    ["p_occurs_around('not a time', '5 min')", /^p_occurs_around: timestamp 'not a time' is not a timestamp such as '2024-01-31 12:00:00'/],
    ["p_occurs_around('2024-01-01', 'soon')", /^p_occurs_around: cannot read offset 'soon'/],
    ['p_occurs_after()', /^p_occurs_after takes 1 to 3 arguments, got 0$/],
    ["p_occurs_after('2024-02-30 25:00:00')", /^p_occurs_after: timestamp '2024-02-30 25:00:00' is not a timestamp/],
    ["p_occurs_after('2024-01-01' || '')", /^p_occurs_after: argument 1 must be a single literal or name; expected ',' or '\)' after it, got "\|"$/],
    ["p_occurs_before('yesterday')", /^p_occurs_before: timestamp 'yesterday' is not a timestamp/],
    ["p_occurs_before('2024-01-01', a, b, c)", /^p_occurs_before takes 1 to 3 arguments, got 4$/],
    ["p_occurs_before('2024-01-01'", /^p_occurs_before: argument 1 must be a single literal or name; expected ',' or '\)' after it, got the end of the query$/],
    ["p_occurs_before('2024-01-01", /^cannot read the query: unterminated string literal at position 16$/],
  ];
  for (const [sql, message] of bad) {
    assert.throws(
      () => expandMacros(sql),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'INVALID_ARGUMENT', sql);
        assert.match(err.message, message, sql);
        return true;
      },
    );
  }
});

test('macros inside comments and heredocs the way the engine reads them are left alone', () => {
  for (const sql of ["SELECT 1 # p_occurs_since(oops\n", "SELECT 1 /* a /* p_occurs_since(x */ p_occurs_since( */", 'SELECT $$p_occurs_since($$, $t$p_occurs_since($t$']) {
    assert.equal(expandMacros(sql), sql);
  }
  // `#x` is not a comment to the engine, so neither is it here.
  assert.throws(() => expandMacros('SELECT 1 #p_occurs_since()'), /p_occurs_since takes 1 to 3 arguments/);
});
