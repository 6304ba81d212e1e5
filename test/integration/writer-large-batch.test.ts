import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { loadConfig } from '@caracal/core';
import { applyLakeSchema, createLakeClient } from '@caracal/lake';
import { writeBatch } from '@caracal/clickhouse-writer';
import type { ConsumedBatch } from '@caracal/bus';
import { tempDir } from '../support/test-env';

const TABLE = 'panther_logs.panther_audit';

function event(i: number): Record<string, unknown> {
  const at = new Date(Date.UTC(2026, 11, 6, 10, 0, 0) + i).toISOString().replace('T', ' ').replace('Z', '');
  return {
    p_log_type: 'Panther.Audit', p_tenant_id: `tenant-${i % 7}`, p_row_id: `row-${i.toString(16).padStart(28, '0')}`, p_event_time: at, p_parse_time: at,
    p_source_id: 'src', p_source_label: 'src', p_schema_version: 1, p_any_ip_addresses: [], p_any_usernames: [], p_any_emails: [], p_any_trace_ids: [], p_any_actor_ids: [],
    actionName: 'LIST_RESOURCES', actionResult: 'SUCCEEDED', actor: { id: `user-${i % 50}` }, timestamp: at, pantherVersion: '1.0.0', actionParams: {}, actionDetails: {}, errors: [], XForwardedFor: [],
  };
}

function batchOf(events: Record<string, unknown>[], firstOffset: number): ConsumedBatch {
  return { topic: 'logs.panther_audit', partition: 0, generation: 0, messages: events.map((e, i) => ({ key: String(e.p_tenant_id), value: Buffer.from(JSON.stringify(e)), offset: String(firstOffset + i) })) };
}

// Before the lookup was cut into parts, a batch of 7,500 or more rows made a
// query over the engine's max_query_size, and the writer retried it forever.
test('a batch of 9,000 events is written, and the same events again at other offsets are all recognised as written', async () => {
  const dataDir = tempDir('writer-large-batch');
  const lake = createLakeClient(loadConfig({ CARACAL_DATA_DIR: dataDir }));
  try {
    await applyLakeSchema(lake);
    const events = Array.from({ length: 9000 }, (_, i) => event(i));
    const route = (m: { value: Buffer }) => ({ table: TABLE, row: JSON.parse(m.value.toString()) as Record<string, unknown> });
    assert.equal(await writeBatch(lake, batchOf(events, 0), route, { dropWrittenRows: true }), 9000);
    let dropped = 0;
    // Other offsets: another insert token, so only the lookup stands between these copies and the table.
    const written = await writeBatch(lake, batchOf(events, 9000), route, { dropWrittenRows: true, onDropped: (_t, copies) => (dropped += copies) });
    assert.equal(written, 0);
    assert.equal(dropped, 9000);
    const [r] = (await (await lake.query({ query: `SELECT count() AS n, uniqExact(p_row_id) AS u FROM ${TABLE}`, format: 'JSONEachRow' })).json()) as { n: string; u: string }[];
    assert.deepEqual([Number(r.n), Number(r.u)], [9000, 9000]);
  } finally {
    await lake.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
