import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logSchemas, parseLogSchema } from '@caracal/core/log-schemas';
import { lakeDdl, tenantScopedTables } from './lake-schema';
import { STANDARD_EVENT_FIELDS } from '@caracal/core/messages';
import { lakeLogSchemas, lakeSchemaOf, schemaForLogType, STANDARD_COLUMNS } from './log-schemas';

test('the Panther.Audit table keeps the columns it had before log types were YAML', () => {
  const schema = schemaForLogType('Panther.Audit')!;
  assert.equal(schema.table, 'panther_audit');
  assert.deepEqual(schema.columns, [
    { name: 'actionName', type: 'String' },
    { name: 'actionResult', type: 'LowCardinality(String)' },
    { name: 'actor', type: 'JSON' },
    { name: 'timestamp', type: "DateTime64(3, 'UTC')" },
    { name: 'pantherVersion', type: 'String' },
    { name: 'actionDescription', type: 'Nullable(String)' },
    { name: 'actionParams', type: 'JSON' },
    { name: 'actionDetails', type: 'JSON' },
    { name: 'errors', type: 'Array(JSON)' },
    { name: 'sourceIP', type: 'Nullable(String)' },
    { name: 'XForwardedFor', type: 'Array(String)' },
    { name: 'userAgent', type: 'Nullable(String)' },
  ]);
});

test('column types follow from schema types by one rule', () => {
  const s = lakeSchemaOf(
    parseLogSchema(
      [
        'schema: Test.Types',
        'version: 1',
        'fields:',
        '  - { name: s, type: string, required: true }',
        '  - { name: so, type: string }',
        '  - { name: sa, type: string, required: true, validate: { allow: [a, b] } }',
        '  - { name: sao, type: string, validate: { allow: [a, b] } }',
        '  - { name: i, type: int, required: true }',
        '  - { name: io, type: int }',
        '  - { name: b, type: bigint }',
        '  - { name: f, type: float, required: true }',
        '  - { name: t, type: boolean }',
        '  - { name: ts, type: timestamp, timeFormats: [unix] }',
        '  - { name: o, type: object, fields: [{ name: x, type: int }] }',
        '  - { name: j, type: json, required: true }',
        '  - { name: aj, type: array, element: { type: json } }',
        '  - { name: ao, type: array, element: { type: object, fields: [{ name: x, type: int }] } }',
        '  - { name: at, type: array, element: { type: timestamp, timeFormats: [unix] } }',
        '  - { name: aa, type: array, element: { type: array, element: { type: string, validate: { allow: [x] } } } }',
        '  - { name: "@odd-name", type: bigint, required: true }',
      ].join('\n'),
      'test_types.yml',
    ),
  );
  assert.equal(s.table, 'test_types');
  assert.deepEqual(Object.fromEntries(s.columns.map((c) => [c.name, c.type])), {
    s: 'String',
    so: 'Nullable(String)',
    sa: 'LowCardinality(String)',
    sao: 'LowCardinality(Nullable(String))',
    i: 'Int32',
    io: 'Nullable(Int32)',
    b: 'Nullable(Int64)',
    f: 'Float64',
    t: 'Nullable(Bool)',
    ts: "Nullable(DateTime64(3, 'UTC'))",
    o: 'JSON',
    j: 'JSON',
    aj: 'Array(JSON)',
    ao: 'Array(JSON)',
    at: "Array(DateTime64(3, 'UTC'))",
    aa: 'Array(Array(LowCardinality(String)))',
    '@odd-name': 'Int64',
  });
});

test('the standard columns are the standard fields the normalizer sets, in order', () => {
  assert.deepEqual(
    STANDARD_COLUMNS.map((c) => c.name),
    STANDARD_EVENT_FIELDS,
  );
});

test('the lake has three tables per log type of the registry, and a tenant may read each', () => {
  const tables = lakeLogSchemas().map((s) => s.table);
  assert.deepEqual(
    lakeLogSchemas().map((s) => s.logType),
    logSchemas().map((s) => s.logType),
  );
  for (const table of ['github_audit', 'panther_audit', 'aws_cloudtrail', 'okta_systemlog', 'gsuite_activityevent']) assert.ok(tables.includes(table), table);
  const ddl = lakeDdl().join('\n');
  const scoped = tenantScopedTables();
  for (const table of tables) {
    for (const db of ['panther_logs', 'panther_rule_matches', 'panther_rule_errors']) {
      assert.ok(ddl.includes(`CREATE TABLE IF NOT EXISTS ${db}.${table} (`), `${db}.${table} is created`);
      assert.ok(scoped.includes(`${db}.${table}`), `${db}.${table} is tenant-scoped`);
    }
  }
  assert.match(ddl, /\n {2}`@timestamp` Nullable\(DateTime64\(3, 'UTC'\)\),\n/, 'names such as @timestamp are quoted');
  assert.match(ddl, /CREATE TABLE IF NOT EXISTS panther_logs\.github_audit \([^;]*\n {2}`p_extra_fields` JSON\n\)/, 'the catch-all is the last column');
});
