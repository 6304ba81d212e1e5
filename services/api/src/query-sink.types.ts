/** A column of a query's result, with its ClickHouse type. */
export interface QueryColumn {
  name: string;
  type: string;
}

/**
 * Where a query's result goes as it arrives. columns() comes once, before
 * any rows; rows() comes in chunks. Both may return a promise: the next call
 * waits for it, so a slow consumer slows the reading down.
 */
export interface QuerySink {
  columns(columns: QueryColumn[]): void | Promise<void>;
  rows(rows: Record<string, unknown>[]): void | Promise<void>;
}

export interface QuerySummary {
  queryId: string;
  rowCount: number;
  /** From the call to run() to its last row, any wait for a turn included. */
  elapsedSeconds: number;
}

export interface QueryRunOptions {
  /** Known to the caller before rows flow, so it can cancel(); a UUID is made up when absent. */
  queryId?: string;
  signal?: AbortSignal;
  /** "now" of p_occurs_since and the other macros: a scheduled query's tick, not the wall clock of its run. */
  now?: Date;
  /**
   * 64-bit integers as JSON numbers rather than strings: for reading events
   * back as they came in (a replay), not for answers to people.
   */
  numbersAsNumbers?: boolean;
}
