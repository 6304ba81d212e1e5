import { InvalidArgumentError } from '@caracal/core';
import { NormalizedEvent, toClickHouseTime } from '@caracal/core/messages';
import { schemaForLogType, sqlStringLiteral } from '@caracal/lake';
import type { QueryRunOptions, QuerySink, QuerySummary } from './query-sink.types';

/** The part of the query service a replay reads through: the tenant's own rows, under its query limits. */
export interface TenantRowSource {
  run(tenantId: string, sql: string, sink: QuerySink, options?: QueryRunOptions): Promise<QuerySummary>;
}

/** What reading has cost so far. */
export interface ReadCost {
  queries: number;
  seconds: number;
}

interface Position {
  time: string;
  rowId: string;
}

function timeLiteral(ms: number): string {
  return `toDateTime64(${sqlStringLiteral(toClickHouseTime(new Date(ms)))}, 3, 'UTC')`;
}

/**
 * An event as the stream had it: the lake writes an absent optional field as
 * NULL, which the event never held.
 */
function eventOfRow(row: Record<string, unknown>): NormalizedEvent {
  const event: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) if (value !== null) event[name] = value;
  return event as unknown as NormalizedEvent;
}

/**
 * One log type's events of a tenant in a window of event time, a page at a
 * time, in (p_event_time, p_row_id) order: the table's own sort key, so each
 * page is a range read. Each page is a query of the tenant's, under its
 * limits and its share of query slots.
 */
class LogTypePages {
  private after: Position | undefined;
  private done = false;
  private buffer: NormalizedEvent[] = [];
  private next = 0;

  constructor(
    private readonly source: TenantRowSource,
    private readonly tenantId: string,
    private readonly table: string,
    private readonly window: { sinceMs: number; untilMs: number },
    private readonly pageRows: number,
    private readonly cost: ReadCost,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** The next event, or undefined at the end. */
  async peek(): Promise<NormalizedEvent | undefined> {
    if (this.next < this.buffer.length) return this.buffer[this.next];
    if (this.done) return undefined;
    await this.fetch();
    return this.buffer[this.next];
  }

  take(): void {
    this.next++;
  }

  private async fetch(): Promise<void> {
    const where = [`p_event_time >= ${timeLiteral(this.window.sinceMs)}`, `p_event_time < ${timeLiteral(this.window.untilMs)}`];
    if (this.after) where.push(`(p_event_time, p_row_id) > (toDateTime64(${sqlStringLiteral(this.after.time)}, 3, 'UTC'), ${sqlStringLiteral(this.after.rowId)})`);
    const sql = `SELECT * FROM panther_logs.${this.table} WHERE ${where.join(' AND ')} ORDER BY p_event_time, p_row_id LIMIT ${this.pageRows}`;
    const rows: NormalizedEvent[] = [];
    const summary = await this.source.run(
      this.tenantId,
      sql,
      { columns: () => undefined, rows: (chunk) => void rows.push(...chunk.map(eventOfRow)) },
      { signal: this.signal, numbersAsNumbers: true },
    );
    this.cost.queries += 1;
    this.cost.seconds += summary.elapsedSeconds;
    this.buffer = rows;
    this.next = 0;
    this.done = rows.length < this.pageRows;
    const last = rows.at(-1);
    if (last) this.after = { time: last.p_event_time, rowId: last.p_row_id };
  }
}

/**
 * The tenant's events of `logTypes` with p_event_time in [sinceMs, untilMs),
 * in event-time order across the log types (ties by row id), each row id
 * once: a row written twice (a retried batch the lake has not merged yet) is
 * read twice, and the stream evaluated it once.
 */
export class ReplayEventsReader {
  readonly cost: ReadCost = { queries: 0, seconds: 0 };
  private readonly tables: string[];

  constructor(
    private readonly source: TenantRowSource,
    private readonly tenantId: string,
    logTypes: readonly string[],
    private readonly window: { sinceMs: number; untilMs: number },
    private readonly pageRows: number,
    private readonly signal?: AbortSignal,
  ) {
    this.tables = logTypes.map((logType) => {
      const schema = schemaForLogType(logType);
      if (!schema) throw new InvalidArgumentError(`log type ${logType} has no table in the lake: its events cannot be replayed`);
      return schema.table;
    });
  }

  /** How many events the window holds (rows written twice and not yet merged count twice). */
  async count(): Promise<number> {
    let total = 0;
    for (const table of this.tables) {
      let n = 0;
      const summary = await this.source.run(
        this.tenantId,
        `SELECT count() AS n FROM panther_logs.${table} WHERE p_event_time >= ${timeLiteral(this.window.sinceMs)} AND p_event_time < ${timeLiteral(this.window.untilMs)}`,
        { columns: () => undefined, rows: (rows) => void (n = Number(rows[0]?.n ?? 0)) },
        { signal: this.signal, numbersAsNumbers: true },
      );
      this.cost.queries += 1;
      this.cost.seconds += summary.elapsedSeconds;
      total += n;
    }
    return total;
  }

  /** Batches of at most `batchSize` events, in order. */
  async *batches(batchSize: number): AsyncGenerator<NormalizedEvent[]> {
    const pages = this.tables.map((table) => new LogTypePages(this.source, this.tenantId, table, this.window, this.pageRows, this.cost, this.signal));
    let batch: NormalizedEvent[] = [];
    let previous: NormalizedEvent | undefined;
    for (;;) {
      let first: { pages: LogTypePages; event: NormalizedEvent } | undefined;
      for (const p of pages) {
        const event = await p.peek();
        if (event && (!first || before(event, first.event))) first = { pages: p, event };
      }
      if (!first) break;
      first.pages.take();
      const event = first.event;
      if (previous && previous.p_row_id === event.p_row_id && previous.p_event_time === event.p_event_time) continue;
      previous = event;
      batch.push(event);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}

function before(a: NormalizedEvent, b: NormalizedEvent): boolean {
  return a.p_event_time < b.p_event_time || (a.p_event_time === b.p_event_time && a.p_row_id < b.p_row_id);
}
