import { AlertEventRecord, AlertRecord, DERIVED_EVENT_FIELDS, isDerivedLogType, NormalizedEvent, RuleError, RuleMatch, toClickHouseTime } from '@caracal/core/messages';

/**
 * A scheduled query's row keeps its own columns under row_data: the rows of
 * every query share one table, and each query selects columns of its own. So
 * does a correlation rule's match, whose fields are its own.
 */
function eventColumns(event: NormalizedEvent): Record<string, unknown> {
  if (!isDerivedLogType(event.p_log_type)) return event;
  const own: Record<string, unknown> = {};
  const rowData: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (DERIVED_EVENT_FIELDS.includes(key)) own[key] = value;
    else rowData[key] = value;
  }
  return { ...own, row_data: rowData };
}

/**
 * The lake row of a matched (or errored) event: the event's own columns plus
 * the alert and rule columns. It depends only on the output and its alert,
 * so a replayed output yields the same row and the lake drops the copy.
 */
export function alertEventRecord(output: { kind: 'match'; match: RuleMatch } | { kind: 'error'; error: RuleError }, alert: AlertRecord | undefined): AlertEventRecord {
  const out = output.kind === 'match' ? output.match : output.error;
  const matchedAt = toClickHouseTime(new Date(out.matchedAtMs));
  const common = {
    ...eventColumns(out.event),
    p_alert_id: alert?.alertId ?? '',
    p_alert_creation_time: alert?.createdAt ?? matchedAt,
    p_alert_update_time: matchedAt,
    p_rule_id: out.rule.ruleId,
    p_rule_severity: out.rule.ruleSeverity,
    p_rule_tags: out.rule.tags,
    p_rule_reports: out.rule.reports,
    p_rule_dedup_period_minutes: out.rule.dedupPeriodMinutes,
  };
  if (output.kind === 'match') {
    const m = output.match;
    return {
      kind: 'match',
      logType: m.event.p_log_type,
      row: {
        ...common,
        p_alert_title: m.title,
        p_alert_dedup: m.dedup,
        p_alert_context: JSON.stringify(m.alertContext ?? {}),
        p_alert_severity: m.severity,
        p_alert_description: m.description,
        p_alert_runbook: m.runbook,
        p_alert_reference: m.reference,
        p_alert_errors: m.auxErrors,
      },
    };
  }
  const e = output.error;
  return {
    kind: 'error',
    logType: e.event.p_log_type,
    row: {
      ...common,
      p_alert_title: alert?.title ?? '',
      p_alert_dedup: alert?.dedup ?? '',
      p_alert_context: '{}',
      p_alert_severity: e.rule.ruleSeverity,
      p_alert_description: '',
      p_alert_runbook: '',
      p_alert_reference: '',
      p_alert_errors: [],
      p_rule_error: e.message,
      p_rule_error_type: e.errorType,
      p_rule_error_traceback: e.traceback,
    },
  };
}
