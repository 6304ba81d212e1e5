import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { CaracalError, CONFIG, CaracalConfig, LAKE_CLIENT, METRICS } from '@caracal/core';
import type { CaracalMetrics } from '@caracal/core/observability';
import { checkQueryId, checkTenantId, LakeClient, prepareTenantQuery, queryMarker, sqlStringLiteral, withQueryClient } from '@caracal/lake';
import { engineQueryError } from './lake-query.errors';
import { QueryConcurrencyLimiter, ReleaseSlot } from './query-concurrency.limiter';
import { readResult, RESULT_FORMAT } from './query-result.reader';
import type { QueryColumn, QueryRunOptions, QuerySink, QuerySummary } from './query-sink.types';

export type { QueryColumn, QueryRunOptions, QuerySink, QuerySummary } from './query-sink.types';

export interface SqlResult {
  queryId: string;
  columns: QueryColumn[];
  rows: Record<string, unknown>[];
  elapsedSeconds: number;
}

const CHUNK_ROWS = 500;
// 64-bit integers as strings, whatever the engine's default (it changed over
// versions): the same answer from chDB and a server, and no precision lost in JSON.
const RESULT_SETTINGS = 'output_format_json_quote_64bit_integers = 1';
// Events read back as their JSON had them: numbers as numbers.
const EVENT_RESULT_SETTINGS = 'output_format_json_quote_64bit_integers = 0';
// A KILL that finds nothing may have come between the engine receiving the
// query and listing it as running; one more try a little later catches that.
const KILL_RETRY_MS = 250;

interface RunningQuery {
  abort: AbortController;
}

@Injectable()
export class SqlQueryService implements OnModuleDestroy {
  private readonly limiter: QueryConcurrencyLimiter;
  private readonly running = new Map<string, RunningQuery>();
  /** Once the module is going down, no new engine connections are opened to kill queries. */
  private closed = false;

  constructor(
    @Inject(LAKE_CLIENT) private readonly lake: LakeClient,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Optional() @Inject(METRICS) private readonly metrics?: CaracalMetrics,
  ) {
    this.limiter = new QueryConcurrencyLimiter(config.query.maxConcurrentQueriesPerTenant, config.query.queueTimeoutMs);
  }

  /**
   * Runs a tenant's SQL and streams the result into `sink`: it waits for one
   * of the tenant's query slots, has the engine check and format the query
   * (prepareTenantQuery), then runs it with the engine filtering every lake
   * table to the tenant and bounding time, rows, bytes and memory.
   */
  async run(tenantId: string, sql: string, sink: QuerySink, options: QueryRunOptions = {}): Promise<QuerySummary> {
    const started = process.hrtime.bigint();
    checkTenantId(tenantId);
    const queryId = options.queryId ?? randomUUID();
    checkQueryId(queryId);
    const key = runningKey(tenantId, queryId);
    if (this.running.has(key)) throw new CaracalError('ALREADY_EXISTS', `a query with id ${queryId} is already running`);
    const entry: RunningQuery = { abort: new AbortController() };
    const signal = entry.abort.signal;
    this.running.set(key, entry);
    const onCallerAbort = () => this.stop(tenantId, queryId, entry);
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });
    if (options.signal?.aborted) onCallerAbort();

    let release: ReleaseSlot | undefined;
    let sinkError: { error: unknown } | undefined;
    const watch = async (deliver: () => void | Promise<void>) => {
      try {
        await deliver();
      } catch (error) {
        sinkError = { error };
        throw error;
      }
    };
    const guarded: QuerySink = { columns: (c) => watch(() => sink.columns(c)), rows: (r) => watch(() => sink.rows(r)) };
    let outcome: 'ok' | 'cancelled' | 'error' = 'error';
    try {
      release = await this.limiter.acquire(tenantId, signal);
      const rowCount = await withQueryClient(this.config, this.lake, async (client) => {
        const query = await prepareTenantQuery(client, tenantId, sql, this.config.query, { queryId, signal, now: options.now });
        // An engine call made with an aborted signal still runs in chDB: only its answer is dropped.
        signal.throwIfAborted();
        const rs = await client.query({
          query: `${query.statement}\nSETTINGS ${query.settings}, ${options.numbersAsNumbers ? EVENT_RESULT_SETTINGS : RESULT_SETTINGS}`,
          format: RESULT_FORMAT,
          abort_signal: signal,
        });
        return readResult(rs, guarded, CHUNK_ROWS, signal);
      });
      outcome = 'ok';
      return { queryId, rowCount, elapsedSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
    } catch (err) {
      if (signal.aborted) outcome = 'cancelled';
      if (signal.aborted) throw new CaracalError('CANCELLED', `query ${queryId} was cancelled`, { cause: err });
      if (sinkError) {
        // The consumer failed or went away: the engine need not go on.
        this.stop(tenantId, queryId, entry);
        throw sinkError.error;
      }
      throw engineQueryError(err, this.config.query);
    } finally {
      // Queue time included: it is what the caller waited.
      this.metrics?.querySeconds.observe({ outcome }, Number(process.hrtime.bigint() - started) / 1e9);
      release?.();
      this.running.delete(key);
      options.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /**
   * Stops a running (or waiting) query of the tenant: true when one with that
   * id was found, false for an id that is not running or is another
   * tenant's. The caller of run() gets CANCELLED.
   */
  cancel(tenantId: string, queryId: string): boolean {
    const entry = this.running.get(runningKey(tenantId, queryId));
    if (!entry) return false;
    this.stop(tenantId, queryId, entry);
    return true;
  }

  /** The whole result at once, on top of run(). */
  async execute(tenantId: string, sql: string, options: QueryRunOptions = {}): Promise<SqlResult> {
    let columns: QueryColumn[] = [];
    const rows: Record<string, unknown>[] = [];
    const summary = await this.run(tenantId, sql, {
      columns: (c) => {
        columns = c;
      },
      rows: (r) => {
        for (const row of r) rows.push(row);
      },
    }, options);
    return { queryId: summary.queryId, columns, rows, elapsedSeconds: summary.elapsedSeconds };
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const [key, entry] of this.running) {
      const [tenantId, queryId] = key.split('\u0000');
      this.stop(tenantId, queryId, entry);
    }
  }

  private stop(tenantId: string, queryId: string, entry: RunningQuery): void {
    if (entry.abort.signal.aborted) return;
    entry.abort.abort();
    if (this.closed) return;
    // Aborting the request only stops the waiting for it: chDB cannot
    // interrupt a query it runs, and a server may go on until it next writes.
    // KILL QUERY stops it in the engine (on chDB too); if that fails, the
    // query's max_execution_time still ends it.
    void this.kill(tenantId, queryId)
      .then((killed) => {
        if (killed === 0 && !this.closed) setTimeout(() => void this.kill(tenantId, queryId).catch(() => undefined), KILL_RETRY_MS).unref();
      })
      .catch(() => undefined);
  }

  /** How many engine queries of this run the KILL found. */
  private async kill(tenantId: string, queryId: string): Promise<number> {
    // A connection of its own: on chDB the query's connection is busy running it.
    return withQueryClient(this.config, this.lake, async (client) => {
      const rs = await client.query({
        query: `KILL QUERY WHERE Settings['log_comment'] = ${sqlStringLiteral(queryMarker(tenantId, queryId))} ASYNC`,
        format: 'JSONEachRow',
      });
      return (await rs.json()).length;
    });
  }
}

function runningKey(tenantId: string, queryId: string): string {
  return `${tenantId}\u0000${queryId}`;
}
