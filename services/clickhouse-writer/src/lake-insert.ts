import type { ConsumedBatch, ConsumedMessage } from '@caracal/bus';
import { repairLoneSurrogates } from '@caracal/core';
import { CaracalMetrics, parseTraceparent, TRACEPARENT_HEADER, TraceContext, Tracing } from '@caracal/core/observability';
import { engineMessage, LakeError, partitionKeyOf, type LakeClient } from '@caracal/lake';
import { writtenRowIds } from './written-rows.filter';

// Engine errors that say the rows themselves are wrong: the same rows fail
// the same way however often they are sent. Anything else (a connection
// refused, a timeout, "too many parts" while merges catch up) may pass later.
const REFUSED_ROWS: ReadonlySet<string> = new Set([
  'CANNOT_PARSE_ESCAPE_SEQUENCE',
  'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
  'CANNOT_PARSE_TEXT',
  'CANNOT_PARSE_QUOTED_STRING',
  'CANNOT_PARSE_DATE',
  'CANNOT_PARSE_DATETIME',
  'CANNOT_PARSE_NUMBER',
  'CANNOT_PARSE_BOOL',
  'CANNOT_READ_ARRAY_FROM_TEXT',
  'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN',
  'INCORRECT_DATA',
  'TYPE_MISMATCH',
  'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
]);

/**
 * An insert that failed, as the consumer must see it: rows the engine
 * refuses are not retriable (the bus finds the message they came from and
 * sets it aside); any other failure is, and is retried until it passes.
 */
export function lakeInsertError(table: string, err: unknown): LakeError {
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && REFUSED_ROWS.has(type)) {
    return new LakeError('INVALID_EVENT', `the lake refused rows for ${table}: ${engineMessage(err)}`, { cause: err, retriable: false, details: { engineError: type } });
  }
  return new LakeError('UNAVAILABLE', `insert into ${table} failed: ${engineMessage(err)}`, { cause: err, retriable: true });
}

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

/** What insertRows may know of its rows beyond the objects. */
export interface InsertRowsOptions {
  metrics?: CaracalMetrics;
  /**
   * The row's JSON text as it came, when the row is exactly that text
   * parsed: inserted as it is rather than serialized again.
   */
  lineOf?: (row: Record<string, unknown>) => Buffer | undefined;
  /** Which rows need the lone-surrogate walk (all, without it). */
  mayHoldLoneSurrogates?: (row: Record<string, unknown>) => boolean;
}

const NEWLINE = Buffer.from('\n');

/**
 * One insert of one block. Strings are made well-formed first: ingest
 * repairs what it takes in, but rows also carry what rules returned, and a
 * single lone surrogate would fail the whole block. Returns how many strings
 * needed that.
 */
export async function insertRows(
  client: LakeClient,
  table: string,
  rows: Record<string, unknown>[],
  token: string,
  options: InsertRowsOptions = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  let repaired = 0;
  const lines: Buffer[] = [];
  for (const row of rows) {
    const mayHold = options.mayHoldLoneSurrogates?.(row) ?? true;
    const line = mayHold ? undefined : options.lineOf?.(row);
    if (line) {
      lines.push(line, NEWLINE);
      continue;
    }
    let value = row;
    if (mayHold) {
      const fixed = repairLoneSurrogates(row);
      repaired += fixed.repaired;
      value = fixed.value;
    }
    lines.push(Buffer.from(`${JSON.stringify(value)}\n`));
  }
  const started = process.hrtime.bigint();
  try {
    await client.insertJsonLines({
      table,
      body: Buffer.concat(lines),
      settings: {
        insert_deduplication_token: token,
        date_time_input_format: 'best_effort',
        // {"a": {"b": 1}, "a.b": 2} names the JSON path a.b twice; the engine refuses the row
        // unless told to keep the first. One tenant's odd keys must not stop the lake.
        type_json_skip_duplicated_paths: 1,
      },
    });
  } catch (err) {
    throw lakeInsertError(table, err);
  }
  options.metrics?.observeLakeInsert(table, rows, Number(process.hrtime.bigint() - started) / 1e9);
  return repaired;
}

/**
 * Where one message goes: its table and row, or nothing for a message that
 * has no table. It decodes the message (a MessageDecodeError for one that is
 * not what its topic carries); every message of a batch is routed before
 * anything is inserted, so such a failure leaves nothing half written.
 */
export type RowRoute = (message: ConsumedMessage) => RoutedRow | undefined;

export interface RoutedRow {
  table: string;
  row: Record<string, unknown>;
  /**
   * The row is the message's JSON, parsed and left as it was: the message's
   * bytes are inserted in its place, not the row serialized again.
   */
  verbatim?: boolean;
}

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
  /** Told how many strings held lone surrogates, per table (replaced with U+FFFD before the insert). */
  onRepaired?: (table: string, strings: number) => void;
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

// A message is UTF-8, which cannot hold a lone surrogate; JSON.parse makes one only from a
// \uD800-\uDFFF escape. A row routed from a message without any \u escape needs no repair walk,
// which was a tenth of the writer's JavaScript.
const UNICODE_ESCAPE = Buffer.from('\\u');

function mayHoldLoneSurrogates(message: ConsumedMessage): boolean {
  return message.value.includes(UNICODE_ESCAPE);
}

// The insert body is one row per line: a message's JSON with a line break between its tokens
// goes in serialized again rather than as it came.
function isOneLine(value: Buffer): boolean {
  return !value.includes(0x0a) && !value.includes(0x0d);
}

async function routeAndInsert(client: LakeClient, batch: ConsumedBatch, route: RowRoute, observers: WriteObservers): Promise<number> {
  const byTable = new Map<string, Record<string, unknown>[]>();
  // Rows are routed from their message alone (RowRoute), so a row inherits its message's answer.
  const escaped = new Set<Record<string, unknown>>();
  const lines = new Map<Record<string, unknown>, Buffer>();
  for (const m of batch.messages) {
    const routed = route(m);
    if (!routed) continue;
    const rows = byTable.get(routed.table) ?? [];
    rows.push(routed.row);
    byTable.set(routed.table, rows);
    if (mayHoldLoneSurrogates(m)) escaped.add(routed.row);
    else if (routed.verbatim && isOneLine(m.value)) lines.set(routed.row, m.value);
  }
  const options: InsertRowsOptions = { metrics: observers.metrics, lineOf: (row) => lines.get(row), mayHoldLoneSurrogates: (row) => escaped.has(row) };
  let written = 0;
  for (const [table, routed] of byTable) {
    const blocks = partitionBlocks(table, routed);
    const rows = observers.dropWrittenRows ? await withoutWrittenRows(client, table, routed) : routed;
    if (rows.length < routed.length) observers.onDropped?.(table, routed.length - rows.length);
    // The token names the batch as consumed, so a replay dedups whatever was dropped from it.
    const token = dedupToken(batch, table);
    let repaired = 0;
    for (const [suffix, block] of blocks(rows)) repaired += await insertRows(client, table, block, token + suffix, options);
    if (repaired > 0) observers.onRepaired?.(table, repaired);
    written += rows.length;
  }
  return written;
}

/**
 * Splits rows into one insert block per partition, for a table whose rows
 * of one batch fall into several: the engine refuses a block that spans
 * more than max_partitions_per_insert_block (100) partitions, and would
 * refuse it again on every redelivery. Each block's token is the batch's
 * with the partition's month appended. Whether to split is decided on the
 * rows as consumed, before copies already written are dropped, so a replay
 * of the batch names its blocks as the first attempt did; a batch of one
 * partition keeps the batch's token as it is.
 */
function partitionBlocks(table: string, consumed: Record<string, unknown>[]): (rows: Record<string, unknown>[]) => [string, Record<string, unknown>[]][] {
  const partitionOf = partitionKeyOf(table);
  if (!partitionOf || new Set(consumed.map(partitionOf)).size <= 1) return (rows) => [['', rows]];
  return (rows) => {
    const byPartition = new Map<string, Record<string, unknown>[]>();
    for (const row of rows) {
      const key = partitionOf(row);
      const block = byPartition.get(key) ?? [];
      block.push(row);
      byPartition.set(key, block);
    }
    return [...byPartition].map(([key, block]) => [`|${key}`, block]);
  };
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
