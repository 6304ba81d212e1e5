import type { ConsumedBatch } from '@caracal/bus';
import type { LakeClient } from '@caracal/lake';

/**
 * The same batch read again after a crash carries the same offsets, so the
 * same token: the engine drops the second insert instead of doubling rows.
 */
export function dedupToken(batch: ConsumedBatch, table: string): string {
  const first = batch.messages[0]?.offset ?? '0';
  const last = batch.messages[batch.messages.length - 1]?.offset ?? first;
  return `${table}|${batch.topic}|${batch.partition}|${first}-${last}`;
}

export async function insertRows(client: LakeClient, table: string, rows: Record<string, unknown>[], token: string): Promise<void> {
  if (rows.length === 0) return;
  await client.insert({
    table,
    values: rows,
    format: 'JSONEachRow',
    clickhouse_settings: { insert_deduplication_token: token, date_time_input_format: 'best_effort' },
  });
}

/** Where one message goes: its table and row, or nothing for a message that has no table. */
export type RowRoute = (value: unknown) => { table: string; row: Record<string, unknown> } | undefined;

/** Writes one consumed batch: each message routed to its table, one insert per table. */
export async function writeBatch(client: LakeClient, batch: ConsumedBatch, route: RowRoute): Promise<number> {
  const byTable = new Map<string, Record<string, unknown>[]>();
  for (const m of batch.messages) {
    const routed = route(JSON.parse(m.value.toString('utf8')));
    if (!routed) continue;
    const rows = byTable.get(routed.table) ?? [];
    rows.push(routed.row);
    byTable.set(routed.table, rows);
  }
  let written = 0;
  for (const [table, rows] of byTable) {
    await insertRows(client, table, rows, dedupToken(batch, table));
    written += rows.length;
  }
  return written;
}
