import type { DestinationRecord } from '@caracal/core/control-plane';
import type { AlertRecord } from '@caracal/core/messages';

/** Panther's limit on destinations() and OutputIds; an alert fans out to no more. */
export const MAX_TARGETS = 10;

export interface RouteResult {
  targets: DestinationRecord[];
  /** Names or ids the alert asked for that the tenant has no destination for. */
  unknown: string[];
}

/**
 * Which of the tenant's destinations an alert goes to: the rule's
 * destinations() when it returned a list (an empty one suppresses delivery),
 * else the rule's OutputIds, else every destination taking the alert's
 * severity. Destinations of other tenants are never candidates.
 */
export function routeAlert(alert: AlertRecord, destinations: DestinationRecord[]): RouteResult {
  const own = destinations.filter((d) => d.tenantId === alert.tenantId);
  const named = alert.destinationOverride ?? (alert.outputIds.length > 0 ? alert.outputIds : null);
  if (named === null) return { targets: unique(own.filter((d) => d.severities.includes(alert.severity))), unknown: [] };

  const targets: DestinationRecord[] = [];
  const unknown: string[] = [];
  for (const ref of named) {
    // An id wins over a name, so a destination whose name is another's id cannot take its alerts.
    const byId = own.find((d) => d.id === ref);
    const matches = byId ? [byId] : own.filter((d) => d.name === ref);
    if (matches.length === 0) {
      if (!unknown.includes(ref)) unknown.push(ref);
    } else {
      targets.push(...matches);
    }
  }
  return { targets: unique(targets), unknown: unknown.slice(0, MAX_TARGETS) };
}

function unique(list: DestinationRecord[]): DestinationRecord[] {
  const seen = new Set<string>();
  const out: DestinationRecord[] = [];
  for (const d of list) {
    if (seen.has(d.id)) continue;
    seen.add(d.id);
    out.push(d);
    if (out.length === MAX_TARGETS) break;
  }
  return out;
}
