import { AlertEventRecord, AlertRecord, AlertType, alertDedupKey, isErrorAlertType, outputAlertType, RuleError, RuleMatch, ruleErrorDedup, fromClickHouseTime, toClickHouseTime } from '@caracal/core/messages';
import { alertEventRecord } from './alert-event-row';
import { alertIdFor } from './alert-id';

export type RuleOutput = { kind: 'match'; match: RuleMatch } | { kind: 'error'; error: RuleError };

export interface DedupResult {
  /** Matched and errored events with their alert columns, in input order. */
  events: AlertEventRecord[];
  /** Every alert this batch changed, versioned, in the order they must be published (per key: closed windows first). */
  alerts: AlertRecord[];
  /** Outputs dropped as replays of outputs already counted. */
  replays: number;
}

// Marks, until versions are handed out, an alert that reached its threshold in this batch.
const REACHED_IN_BATCH = -1;

interface KeyDraft {
  /** The version stored before this batch. */
  baseVersion: number;
  current: AlertRecord;
  /** Alerts of this key whose window closed within this batch. */
  closed: AlertRecord[];
}

function ruleErrorTitle(e: RuleError): string {
  return `${e.rule.ruleId} raised ${ruleErrorDedup(e)}`.slice(0, 1000);
}

function openAlert(type: AlertType, out: RuleOutput, dedupKey: string, dedup: string, prior: AlertRecord | undefined): AlertRecord {
  const o = out.kind === 'match' ? out.match : out.error;
  const at = toClickHouseTime(new Date(o.matchedAtMs));
  const severity = out.kind === 'match' ? out.match.severity : o.rule.ruleSeverity;
  return {
    alertId: alertIdFor({ tenantId: o.tenantId, ruleId: o.rule.ruleId, type, dedup, windowStartMs: o.matchedAtMs }),
    tenantId: o.tenantId,
    type,
    ruleId: o.rule.ruleId,
    dedupKey,
    dedup,
    title: out.kind === 'match' ? out.match.title : ruleErrorTitle(out.error),
    severity,
    ruleSeverity: o.rule.ruleSeverity,
    logTypes: [o.event.p_log_type],
    eventCount: 0,
    // A rule error is worth telling about the first time it happens.
    threshold: isErrorAlertType(type) ? 1 : Math.max(1, o.rule.threshold),
    dedupPeriodMinutes: o.rule.dedupPeriodMinutes,
    firstEventTime: o.event.p_event_time,
    lastEventTime: o.event.p_event_time,
    createdAt: at,
    updatedAt: at,
    thresholdReachedAt: null,
    thresholdReachedVersion: null,
    initialStatus: severity === 'INFO' ? 'RESOLVED' : 'OPEN',
    alertContext: out.kind === 'match' ? out.match.alertContext : {},
    description: out.kind === 'match' ? out.match.description : '',
    reference: out.kind === 'match' ? out.match.reference : '',
    runbook: out.kind === 'match' ? out.match.runbook : '',
    tags: o.rule.tags,
    reports: o.rule.reports,
    destinationOverride: out.kind === 'match' ? out.match.destinations : null,
    outputIds: o.rule.outputIds,
    auxErrors: out.kind === 'match' ? out.match.auxErrors : [],
    errorType: out.kind === 'error' ? out.error.errorType : '',
    errorMessage: out.kind === 'error' ? out.error.message : '',
    version: prior?.version ?? 0,
    // Offsets belong to the key, not the window: a replay may straddle a window change.
    sourceOffsets: { ...(prior?.sourceOffsets ?? {}) },
  };
}

/** The alert's window closes here: a match at or after it opens a new alert. */
export function windowEndMs(a: AlertRecord): number {
  return fromClickHouseTime(a.createdAt).getTime() + a.dedupPeriodMinutes * 60_000;
}

/**
 * Folds one batch of rule outputs into alerts: the dedup window, the
 * threshold, and the replay check. A pure function of the stored alerts and
 * the batch (time comes from the outputs, never from a clock here), so a
 * batch processed again after a crash yields the same alerts and rows.
 */
export function dedupOutputs(outputs: RuleOutput[], stored: (dedupKey: string) => AlertRecord | undefined): DedupResult {
  const drafts = new Map<string, KeyDraft>();
  const events: AlertEventRecord[] = [];
  let replays = 0;
  for (const out of outputs) {
    const o = out.kind === 'match' ? out.match : out.error;
    const type: AlertType = outputAlertType(out.kind, o.rule);
    if (out.kind === 'match' && !out.match.rule.createAlert) {
      // CreateAlert: false keeps the match in the lake without an alert.
      events.push(alertEventRecord(out, undefined));
      continue;
    }
    const dedup = out.kind === 'match' ? out.match.dedup : ruleErrorDedup(out.error);
    const key = alertDedupKey(o.tenantId, o.rule.ruleId, type, dedup);
    let draft = drafts.get(key);
    const before = draft?.current ?? stored(key);
    const sourceId = `${o.source.topic}/${o.source.partition}`;
    const seen = before?.sourceOffsets[sourceId];
    if (seen !== undefined && BigInt(o.source.offset) <= BigInt(seen)) {
      replays++;
      continue;
    }
    let alert: AlertRecord;
    if (!before || o.matchedAtMs >= windowEndMs(before)) {
      alert = openAlert(type, out, key, dedup, before);
      if (draft && before) draft.closed.push(before);
    } else if (draft) {
      alert = draft.current;
    } else {
      // The stored record is shared with the state store: change a copy.
      alert = { ...before, sourceOffsets: { ...before.sourceOffsets }, logTypes: [...before.logTypes] };
    }
    if (!draft) {
      draft = { baseVersion: stored(key)?.version ?? 0, current: alert, closed: [] };
      drafts.set(key, draft);
    }
    alert.eventCount += 1;
    if (o.event.p_event_time < alert.firstEventTime) alert.firstEventTime = o.event.p_event_time;
    if (o.event.p_event_time > alert.lastEventTime) alert.lastEventTime = o.event.p_event_time;
    const at = toClickHouseTime(new Date(o.matchedAtMs));
    if (at > alert.updatedAt) alert.updatedAt = at;
    if (!alert.logTypes.includes(o.event.p_log_type)) alert.logTypes.push(o.event.p_log_type);
    alert.sourceOffsets[sourceId] = o.source.offset;
    if (alert.thresholdReachedAt === null && alert.eventCount >= alert.threshold) {
      alert.thresholdReachedAt = at;
      alert.thresholdReachedVersion = REACHED_IN_BATCH;
    }
    draft.current = alert;
    events.push(alertEventRecord(out, alert));
  }
  const alerts: AlertRecord[] = [];
  for (const draft of drafts.values()) {
    let version = draft.baseVersion;
    for (const a of [...draft.closed, draft.current]) {
      a.version = ++version;
      if (a.thresholdReachedVersion === REACHED_IN_BATCH) a.thresholdReachedVersion = a.version;
      alerts.push(a);
    }
  }
  return { events, alerts, replays };
}
