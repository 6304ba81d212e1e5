import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryMarker, tenantQuerySettings } from './tenant-scope';

const LIMITS = { maxExecutionTimeSeconds: 5, maxResultRows: 10, maxResultBytes: 2048, maxMemoryUsageBytes: 1 << 24, maxRowsToRead: 100, maxBytesToRead: 4096 };

test('tenant settings filter every lake table, refuse writes and carry every limit', () => {
  const s = tenantQuerySettings('acme', LIMITS, { queryId: 'q-1' });
  for (const db of ['panther_logs', 'panther_rule_matches', 'panther_rule_errors']) {
    assert.match(s, new RegExp(`'${db}\\.panther_audit': 'p_tenant_id = ''acme'''`));
  }
  for (const part of [
    'readonly = 1',
    'optimize_move_to_prewhere = 0',
    'max_execution_time = 5',
    'max_result_rows = 10',
    'max_result_bytes = 2048',
    "result_overflow_mode = 'throw'",
    `max_memory_usage = ${1 << 24}`,
    'max_rows_to_read = 100',
    'max_bytes_to_read = 4096',
    "log_comment = 'caracal-query:acme:q-1'",
  ]) {
    assert.ok(s.includes(part), part);
  }
});

test('tenant and query ids that could break out of the quoting are refused', () => {
  assert.throws(() => tenantQuerySettings("a' OR 1=1", LIMITS), /invalid tenant id/);
  assert.throws(() => tenantQuerySettings('acme', LIMITS, { queryId: "x'; KILL" }), /invalid query id/);
  assert.throws(() => queryMarker('acme', ''), /invalid query id/);
});
