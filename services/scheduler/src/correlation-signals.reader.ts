import { fromClickHouseTime, toClickHouseTime } from '@caracal/core/messages';
import type { CorrelationRuleSpec, CorrelationSignal } from '@caracal/detections';
import { correlationJoinPaths } from '@caracal/detections';
import { type LakeClient, lakeLogSchemas, SCHEDULED_ROWS_TABLE } from '@caracal/lake';
import { lakeCall } from './lake-call';

/** A signal with when its rule matched (the lake row's p_alert_update_time), which says whether it is new to a run. */
export interface ReadSignal extends CorrelationSignal {
  id: string;
  matchedAtMs: number;
}

/** Per table, at most this many signals for one run, the newest: a rule that matches more in one window is a noisy signal, not a correlation. */
export const MAX_SIGNALS_PER_TABLE = 10_000;

type Row = Record<string, unknown>;

/** A row's value at a dotted path: p_alert_context.* in the alert context (kept as JSON text), a query's columns under row_data. */
function valueAt(row: Row, path: string): unknown {
  const [head, ...rest] = path.split('.');
  let value: unknown;
  if (head === 'p_alert_context' && typeof row.p_alert_context === 'string') {
    try {
      value = JSON.parse(row.p_alert_context);
    } catch {
      return undefined;
    }
  } else {
    value = head in row ? row[head] : (row.row_data as Row | undefined)?.[head];
  }
  for (const key of rest) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Row)[key];
  }
  return value;
}

function joinValues(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
  return undefined;
}

/**
 * Reads the signals of a correlation rule from the tenant's lake: the rule
 * matches (of every log type, and of scheduled rules) of the rules its items
 * name, with event times in [from, to], each with the fields the rule joins on.
 */
export class CorrelationSignalsReader {
  constructor(private readonly lake: LakeClient) {}

  async read(tenantId: string, rule: CorrelationRuleSpec, from: Date, to: Date): Promise<ReadSignal[]> {
    const items = rule.detection.items;
    const paths = correlationJoinPaths(rule.detection);
    const ruleIds = [...new Set(items.map((i) => i.ruleId))];
    const tables = [...lakeLogSchemas().map((s) => s.table), SCHEDULED_ROWS_TABLE];
    const perTable = await Promise.all(
      tables.map((table) =>
        this.select(
          `SELECT * FROM panther_rule_matches.${table} WHERE p_tenant_id = {tenant:String} AND p_rule_id IN {rules:Array(String)}\n` +
            `AND p_event_time >= {from:DateTime64(3, 'UTC')} AND p_event_time <= {to:DateTime64(3, 'UTC')}\n` +
            // A replayed event may sit twice in a table until a merge.
            `ORDER BY p_event_time DESC, p_row_id LIMIT 1 BY p_row_id LIMIT {max:UInt32}`,
          { tenant: tenantId, rules: ruleIds, from: toClickHouseTime(from), to: toClickHouseTime(to), max: MAX_SIGNALS_PER_TABLE },
        ),
      ),
    );
    const signals: ReadSignal[] = [];
    for (const row of perTable.flat()) {
      for (const item of items.filter((i) => i.ruleId === row.p_rule_id)) {
        const fields: Record<string, string | string[]> = {};
        for (const path of paths.get(item.id) ?? []) {
          const v = joinValues(valueAt(row, path));
          if (v !== undefined) fields[path] = v;
        }
        signals.push({
          itemId: item.id,
          atMs: fromClickHouseTime(String(row.p_event_time)).getTime(),
          fields,
          id: String(row.p_row_id),
          matchedAtMs: fromClickHouseTime(String(row.p_alert_update_time)).getTime(),
        });
      }
    }
    return signals;
  }

  private select(query: string, params: Record<string, unknown>): Promise<Row[]> {
    return lakeCall('read correlation signals', async () => {
      const rs = await this.lake.query({ query, format: 'JSONEachRow', query_params: params });
      return rs.json<Row>();
    });
  }
}
