import { fromClickHouseTime, toClickHouseTime } from '@caracal/core/messages';
import { sqlStringLiteral, type LakeClient } from '@caracal/lake';

// An event without a time of its own gets its parse time as p_event_time (the
// two are then equal), so a copy sent again later carries a later one: for
// such a row, look back this far for its first copy. A row with a time of its
// own is looked up at that time only, since every copy of it carries the same:
// a lookup that always looked back an hour read every row of the batch's
// tenants in the last hour, whatever the batch held.
export const RESEND_WINDOW_MS = 60 * 60 * 1000;
// The ids and tenants go into the query text, and the engine refuses a query
// over max_query_size (256 KiB; a batch of 7,500 rows did). A batch whose
// lists would pass this many bytes is looked up in parts.
export const LOOKUP_LIST_BYTES = 128 * 1024;
interface EventRow {
  p_tenant_id?: unknown;
  p_row_id?: unknown;
  p_event_time?: unknown;
  p_parse_time?: unknown;
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
  const written = new Set<string>();
  for (const part of lookupParts(rows)) {
    const rs = await client.query({
      query: `SELECT DISTINCT p_row_id FROM ${table}
WHERE p_tenant_id IN (${[...part.tenants].join(', ')})
  AND p_event_time >= toDateTime64(${clickHouseTime(part.from)}, 3, 'UTC')
  AND p_event_time <= toDateTime64(${clickHouseTime(part.to)}, 3, 'UTC')
  AND p_row_id IN (${[...part.ids].join(', ')})`,
      format: 'JSONEachRow',
    });
    for (const r of await rs.json<{ p_row_id: string }>()) written.add(r.p_row_id);
  }
  return written;
}

interface LookupPart {
  /** As SQL string literals. */
  tenants: Set<string>;
  ids: Set<string>;
  /** The earliest p_event_time (ms) a first copy of one of its rows may carry. */
  from: number;
  to: number;
  bytes: number;
}

/** The rows with a tenant, row id and event time, cut into lookups whose lists stay under LOOKUP_LIST_BYTES. */
export function lookupParts(rows: EventRow[]): LookupPart[] {
  const parts: LookupPart[] = [];
  let part: LookupPart | undefined;
  for (const r of rows) {
    if (typeof r.p_tenant_id !== 'string' || typeof r.p_row_id !== 'string' || typeof r.p_event_time !== 'string') continue;
    const at = fromClickHouseTime(r.p_event_time).getTime();
    if (Number.isNaN(at)) continue;
    const earliest = r.p_event_time === r.p_parse_time ? at - RESEND_WINDOW_MS : at;
    const tenant = sqlStringLiteral(r.p_tenant_id);
    const id = sqlStringLiteral(r.p_row_id);
    const adds = (part?.tenants.has(tenant) ? 0 : tenant.length + 2) + id.length + 2;
    if (!part || (part.ids.size > 0 && part.bytes + adds > LOOKUP_LIST_BYTES)) {
      part = { tenants: new Set(), ids: new Set(), from: earliest, to: at, bytes: 0 };
      parts.push(part);
    }
    part.bytes += (part.tenants.has(tenant) ? 0 : tenant.length + 2) + (part.ids.has(id) ? 0 : id.length + 2);
    part.tenants.add(tenant);
    part.ids.add(id);
    part.from = Math.min(part.from, earliest);
    part.to = Math.max(part.to, at);
  }
  return parts;
}
