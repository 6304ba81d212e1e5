import type { ConsumedBatch } from '@caracal/bus';
import { CaracalMetrics, parseTraceparent, TRACEPARENT_HEADER, TraceContext, Tracing } from '@caracal/core';
import type { LakeClient } from '@caracal/lake';
import { writtenRowIds } from './written-rows.filter';

/**
 * The same batch read again after a crash carries the same offsets (the
 * writers consume with `stableBatches`, so a replay is cut where the first
 * attempt was), so the same token: the engine drops the second insert
 * instead of doubling rows.
 */
export function dedupToken(batch: ConsumedBatch, table: string): string {
  const first = batch.messages[0]?.offset ?? '0';
  const last = batch.messages[batch.messages.length - 1]?.offset ?? first;
  return `${table}|${batch.topic}|${batch.partition}|${first}-${last}`;
}

export async function insertRows(client: LakeClient, table: string, rows: Record<string, unknown>[], token: string, metrics?: CaracalMetrics): Promise<void> {
  if (rows.length === 0) return;
  const started = process.hrtime.bigint();
  await client.insert({
    table,
    values: rows,
    format: 'JSONEachRow',
    clickhouse_settings: { insert_deduplication_token: token, date_time_input_format: 'best_effort' },
  });
  metrics?.observeLakeInsert(table, rows, Number(process.hrtime.bigint() - started) / 1e9);
}

/** Where one message goes: its table and row, or nothing for a message that has no table. */
export type RowRoute = (value: unknown) => { table: string; row: Record<string, unknown> } | undefined;

/** What watches the writes: insert metrics, and a span per batch linked to the traces of its events. */
export interface WriteObservers {
  metrics?: CaracalMetrics;
  tracing?: Tracing;
  /**
   * Rows whose p_row_id the table already holds, or that came earlier in
   * the batch, are not written again (log tables, see writtenRowIds).
   */
  dropWrittenRows?: boolean;
  /** Told how many copies were dropped, per table. */
  onDropped?: (table: string, copies: number) => void;
}

/** Writes one consumed batch: each message routed to its table, one insert per table. */
export async function writeBatch(client: LakeClient, batch: ConsumedBatch, route: RowRoute, observers: WriteObservers = {}): Promise<number> {
  const span = observers.tracing?.startSpan('lake write', {
    kind: 'consumer',
    links: batch.messages.map((m) => parseTraceparent(m.headers?.[TRACEPARENT_HEADER])).filter((t): t is TraceContext => t !== undefined),
    attributes: { 'messaging.destination.name': batch.topic, 'caracal.messages': batch.messages.length },
  });
  try {
    return await routeAndInsert(client, batch, route, observers);
  } catch (err) {
    span?.fail(err);
    throw err;
  } finally {
    span?.end();
  }
}

async function routeAndInsert(client: LakeClient, batch: ConsumedBatch, route: RowRoute, observers: WriteObservers): Promise<number> {
  const byTable = new Map<string, Record<string, unknown>[]>();
  for (const m of batch.messages) {
    const routed = route(JSON.parse(m.value.toString('utf8')));
    if (!routed) continue;
    const rows = byTable.get(routed.table) ?? [];
    rows.push(routed.row);
    byTable.set(routed.table, rows);
  }
  let written = 0;
  for (const [table, routed] of byTable) {
    const rows = observers.dropWrittenRows ? await withoutWrittenRows(client, table, routed) : routed;
    if (rows.length < routed.length) observers.onDropped?.(table, routed.length - rows.length);
    // The token names the batch as consumed, so a replay dedups whatever was dropped from it.
    await insertRows(client, table, rows, dedupToken(batch, table), observers.metrics);
    written += rows.length;
  }
  return written;
}

async function withoutWrittenRows(client: LakeClient, table: string, rows: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const written = await writtenRowIds(client, table, rows);
  const seen = new Set<string>();
  return rows.filter((r) => {
    const id = r.p_row_id;
    if (typeof id !== 'string') return true;
    if (written.has(id) || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
