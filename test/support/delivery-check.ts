/**
 * The fault tests' verdict, as pure functions of what was acknowledged and
 * what the lake and the alert API show: a list of discrepancies, empty when
 * every acknowledged event is in the lake exactly once and every alert counts
 * exactly its events. The positive check and the negative controls share it,
 * so a control that makes it report something proves it can fail.
 */

/** What one tenant's lake holds of its events: rows (duplicates included, no FINAL) and distinct row ids. */
export interface LakeCount {
  rows: number;
  uniqueRowIds: number;
}

export type LakeDiscrepancy =
  | { tenant: string; kind: 'duplicates'; rows: number; uniqueRowIds: number }
  | { tenant: string; kind: 'missing'; acknowledged: number; uniqueRowIds: number }
  | { tenant: string; kind: 'unexpected'; acknowledged: number; uniqueRowIds: number };

export function checkLake(acknowledged: ReadonlyMap<string, number>, lake: ReadonlyMap<string, LakeCount>): LakeDiscrepancy[] {
  const out: LakeDiscrepancy[] = [];
  const tenants = [...new Set([...acknowledged.keys(), ...lake.keys()])].sort();
  for (const tenant of tenants) {
    const acked = acknowledged.get(tenant) ?? 0;
    const seen = lake.get(tenant) ?? { rows: 0, uniqueRowIds: 0 };
    if (seen.rows !== seen.uniqueRowIds) out.push({ tenant, kind: 'duplicates', rows: seen.rows, uniqueRowIds: seen.uniqueRowIds });
    if (seen.uniqueRowIds < acked) out.push({ tenant, kind: 'missing', acknowledged: acked, uniqueRowIds: seen.uniqueRowIds });
    if (seen.uniqueRowIds > acked) out.push({ tenant, kind: 'unexpected', acknowledged: acked, uniqueRowIds: seen.uniqueRowIds });
  }
  return out;
}

/** One alert as a tenant's alert list shows it. */
export interface SeenAlert {
  alertId: string;
  dedup: string;
  eventCount: number;
}

export type AlertDiscrepancy =
  | { tenant: string; kind: 'missing-alert'; dedup: string; expectedEvents: number }
  | { tenant: string; kind: 'unexpected-alert'; dedup: string; events: number }
  | { tenant: string; kind: 'split-alert'; dedup: string; alerts: number }
  | { tenant: string; kind: 'event-count'; dedup: string; expectedEvents: number; events: number };

/**
 * `expected`: per tenant, the matched-event count of each dedup string; the
 * rule opens one alert per dedup string (one window), so anything else (a
 * second alert of a key, a key of another tenant, a count off by one) is a
 * discrepancy.
 */
export function checkAlerts(
  expected: ReadonlyMap<string, ReadonlyMap<string, number>>,
  seen: ReadonlyMap<string, readonly SeenAlert[]>,
): AlertDiscrepancy[] {
  const out: AlertDiscrepancy[] = [];
  const tenants = [...new Set([...expected.keys(), ...seen.keys()])].sort();
  for (const tenant of tenants) {
    const want = expected.get(tenant) ?? new Map<string, number>();
    const byDedup = new Map<string, SeenAlert[]>();
    for (const a of seen.get(tenant) ?? []) byDedup.set(a.dedup, [...(byDedup.get(a.dedup) ?? []), a]);
    for (const dedup of [...new Set([...want.keys(), ...byDedup.keys()])].sort()) {
      const alerts = byDedup.get(dedup) ?? [];
      const events = alerts.reduce((n, a) => n + a.eventCount, 0);
      const expectedEvents = want.get(dedup);
      if (expectedEvents === undefined) {
        out.push({ tenant, kind: 'unexpected-alert', dedup, events });
        continue;
      }
      if (alerts.length === 0) {
        out.push({ tenant, kind: 'missing-alert', dedup, expectedEvents });
        continue;
      }
      if (alerts.length > 1) out.push({ tenant, kind: 'split-alert', dedup, alerts: alerts.length });
      if (events !== expectedEvents) out.push({ tenant, kind: 'event-count', dedup, expectedEvents, events });
    }
  }
  return out;
}
