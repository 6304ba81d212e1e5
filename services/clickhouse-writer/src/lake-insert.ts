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
