import { fromClickHouseTime, toClickHouseTime } from '@caracal/core/messages';
import { sqlStringLiteral, type LakeClient } from '@caracal/lake';

// An event without a time of its own gets its parse time as p_event_time, so a
// copy sent again later carries a later one: look back this far from the
// batch's earliest event for its first copy.
const RESEND_WINDOW_MS = 60 * 60 * 1000;

interface EventRow {
  p_tenant_id?: unknown;
  p_row_id?: unknown;
  p_event_time?: unknown;
}

function clickHouseTime(ms: number): string {
  return sqlStringLiteral(toClickHouseTime(new Date(ms)));
}

/**
 * The row ids of `rows` that `table` already holds. A client that got 503
 * for a publish that landed after all sends the same events again; their
 * row ids are the same (p_row_id is a hash of tenant, source and event), so
 * they are recognised here instead of becoming second rows. The table's key
 * starts with (tenant, event time), so the lookup reads only the batch's
 * tenants and time range.
 */
export async function writtenRowIds(client: LakeClient, table: string, rows: EventRow[]): Promise<Set<string>> {
  const tenants = new Set<string>();
  const ids = new Set<string>();
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    if (typeof r.p_tenant_id !== 'string' || typeof r.p_row_id !== 'string' || typeof r.p_event_time !== 'string') continue;
    const at = fromClickHouseTime(r.p_event_time).getTime();
    if (Number.isNaN(at)) continue;
    tenants.add(r.p_tenant_id);
    ids.add(r.p_row_id);
    from = Math.min(from, at);
    to = Math.max(to, at);
  }
  if (ids.size === 0) return new Set();
  const list = (values: Set<string>) => [...values].map(sqlStringLiteral).join(', ');
  const rs = await client.query({
    query: `SELECT DISTINCT p_row_id FROM ${table}
WHERE p_tenant_id IN (${list(tenants)})
  AND p_event_time >= toDateTime64(${clickHouseTime(from - RESEND_WINDOW_MS)}, 3, 'UTC')
  AND p_event_time <= toDateTime64(${clickHouseTime(to)}, 3, 'UTC')
  AND p_row_id IN (${list(ids)})`,
    format: 'JSONEachRow',
  });
  const found = await rs.json<{ p_row_id: string }>();
  return new Set(found.map((r) => r.p_row_id));
}
