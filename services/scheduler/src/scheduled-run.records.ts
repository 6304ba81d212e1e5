import { fromClickHouseTime, toClickHouseTime } from '@caracal/core/messages';
import { type LakeClient, SCHEDULED_QUERY_RUNS_TABLE } from '@caracal/lake';
import { lakeCall } from './lake-call';
import type { ScheduledRunOutcome, ScheduledRunRecord, ScheduledRunTrigger } from './scheduled-query.types';

interface RunRow {
  p_tenant_id: string;
  query_name: string;
  scheduled_time: string;
  trigger: string;
  started_at: string;
  duration_ms: string | number;
  rows: string | number;
  outcome: string;
  error: string;
}

function fromRow(r: RunRow): ScheduledRunRecord {
  return {
    tenantId: r.p_tenant_id,
    queryName: r.query_name,
    scheduledTime: fromClickHouseTime(r.scheduled_time),
    trigger: r.trigger as ScheduledRunTrigger,
    startedAt: fromClickHouseTime(r.started_at),
    durationMs: Number(r.duration_ms),
    rows: Number(r.rows),
    outcome: r.outcome as ScheduledRunOutcome,
    error: r.error,
  };
}

// A tenant sees its runs through SQL too; these reads are the API's, bounded by the tenant filter and the limit.
const COLUMNS = 'p_tenant_id, query_name, scheduled_time, trigger, started_at, duration_ms, rows, outcome, error';

/**
 * The records of scheduled query runs, in panther_monitor.scheduled_query_runs.
 * A tick's record is keyed by tenant, query, tick and trigger: a run repeated
 * after its scheduler died replaces any record the first one left (FINAL reads
 * see one). Failures of the lake are retriable UNAVAILABLE errors.
 */
export class ScheduledRunRecords {
  constructor(private readonly lake: LakeClient) {}

  async record(run: ScheduledRunRecord): Promise<void> {
    await lakeCall('record a scheduled query run', () =>
      this.lake.insert({
        table: SCHEDULED_QUERY_RUNS_TABLE,
        format: 'JSONEachRow',
        values: [
          {
            p_tenant_id: run.tenantId,
            query_name: run.queryName,
            scheduled_time: toClickHouseTime(run.scheduledTime),
            trigger: run.trigger,
            started_at: toClickHouseTime(run.startedAt),
            duration_ms: run.durationMs,
            rows: run.rows,
            outcome: run.outcome,
            error: run.error,
          },
        ],
      }),
    );
  }

  /** Newest first. */
  async list(tenantId: string, options: { queryName?: string; limit: number }): Promise<ScheduledRunRecord[]> {
    const byQuery = options.queryName === undefined ? '' : ' AND query_name = {query:String}';
    return this.select(
      `SELECT ${COLUMNS} FROM ${SCHEDULED_QUERY_RUNS_TABLE} FINAL WHERE p_tenant_id = {tenant:String}${byQuery}\nORDER BY started_at DESC, query_name LIMIT {limit:UInt32}`,
      { tenant: tenantId, query: options.queryName ?? '', limit: options.limit },
    );
  }

  /** The latest run of each of the tenant's queries. */
  async latest(tenantId: string): Promise<Map<string, ScheduledRunRecord>> {
    const runs = await this.select(
      `SELECT ${COLUMNS} FROM ${SCHEDULED_QUERY_RUNS_TABLE} FINAL WHERE p_tenant_id = {tenant:String}\nORDER BY started_at DESC LIMIT 1 BY query_name`,
      { tenant: tenantId },
    );
    return new Map(runs.map((r) => [r.queryName, r]));
  }

  private async select(query: string, params: Record<string, unknown>): Promise<ScheduledRunRecord[]> {
    const rows = await lakeCall('read scheduled query runs', async () => {
      const rs = await this.lake.query({ query, format: 'JSONEachRow', query_params: params });
      return rs.json<RunRow>();
    });
    return rows.map(fromRow);
  }
}
