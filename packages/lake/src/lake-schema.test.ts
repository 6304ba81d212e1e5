import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALERTS_TABLE } from './alert-schema';
import { DEAD_LETTERS_TABLE } from './dead-letter-schema';
import { lakeDdl, monthOfTime, monthPartitionColumns, partitionKeyOf, tenantScopedTables } from './lake-schema';
import { INGEST_REJECTIONS_TABLE } from './rejection-schema';

test('the partition column of every partitioned table is read from its DDL', () => {
  const columns = monthPartitionColumns();
  assert.equal(columns.get('panther_logs.panther_audit'), 'p_event_time');
  assert.equal(columns.get('panther_rule_matches.panther_audit'), 'p_event_time');
  assert.equal(columns.get('panther_rule_errors.github_audit'), 'p_event_time');
  assert.equal(columns.get(INGEST_REJECTIONS_TABLE), 'p_parse_time');
  assert.equal(columns.get(DEAD_LETTERS_TABLE), 'dead_lettered_at');
  assert.equal(columns.get(ALERTS_TABLE), undefined);
  assert.equal(columns.size, lakeDdl().filter((s) => s.includes('\nPARTITION BY ')).length, 'every partitioned table is known');
});

test('a row goes to the partition of its month, whatever the form of its time', () => {
  const key = partitionKeyOf('panther_logs.panther_audit')!;
  assert.equal(key({ p_event_time: '2024-01-31 23:59:59.999' }), '202401');
  assert.equal(key({ p_event_time: '2024-02-01T00:30:00+01:00' }), '202401', 'an offset is applied before the month is taken');
  assert.equal(key({ p_event_time: '2024-02-01T00:00:00Z' }), '202402');
  assert.equal(key({ p_event_time: 'yesterday' }), '');
  assert.equal(key({}), '');
  assert.equal(partitionKeyOf(ALERTS_TABLE), undefined);
  assert.equal(monthOfTime('1900-01-01 00:00:00.000'), '190001');
});

test('dead letters are not for tenant SQL', () => {
  assert.ok(!tenantScopedTables().includes(DEAD_LETTERS_TABLE));
});
