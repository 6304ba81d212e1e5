import { Alert__Output, AlertActivity__Output } from '@caracal/api';
import { CaracalConfig, CaracalError } from '@caracal/core';
import type { AlertStatus, Severity } from '@caracal/core/messages';
import { ApiFlags, time, withClient } from './api-command-support';
import { CliIo, formatTable } from './cli-output';


function summary(a: Alert__Output) {
  return {
    alertId: a.alertId,
    createdTime: time(a.createdTime),
    severity: a.severity.replace('SEVERITY_', ''),
    status: a.status.replace('ALERT_STATUS_', ''),
    type: a.type.replace('ALERT_TYPE_', ''),
    eventCount: Number(a.eventCount),
    assignee: a.assignee,
    ruleId: a.ruleId,
    title: a.title,
    dedup: a.dedup,
    firstEventTime: time(a.firstEventTime),
    lastEventTime: time(a.lastEventTime),
  };
}

const SUMMARY_COLUMNS = ['alertId', 'createdTime', 'severity', 'status', 'eventCount', 'assignee', 'ruleId', 'title'];

function activityLine(a: AlertActivity__Output): string {
  const what =
    a.kind === 'ALERT_ACTIVITY_KIND_STATUS'
      ? `status → ${a.status.replace('ALERT_STATUS_', '')}`
      : a.kind === 'ALERT_ACTIVITY_KIND_ASSIGNEE'
        ? a.assignee
          ? `assigned to ${a.assignee}`
          : 'unassigned'
        : `comment: ${a.comment}`;
  return `  ${time(a.createdTime)}  ${a.actor}  ${what}`;
}

export interface AlertsListOptions extends ApiFlags {
  status?: AlertStatus[];
  severity?: Severity[];
  rule?: string;
  since?: Date;
  until?: Date;
  limit?: number;
  pageToken?: string;
  format: 'table' | 'json';
}

/** `caracal alerts list`: one page of alerts, newest first, filtered. */
export async function alertsList(config: CaracalConfig, values: AlertsListOptions, io: CliIo): Promise<number> {
  const { since, until } = values;
  if (since && until && since >= until) throw new CaracalError('INVALID_ARGUMENT', '--since must be before --until');
  const stamp = (d: Date | undefined) => (d ? { seconds: String(Math.floor(d.getTime() / 1000)), nanos: (d.getTime() % 1000) * 1e6 } : null);
  const page = await withClient(config, values, (c) =>
    c.listAlerts({
      pageSize: values.limit ?? 0,
      ruleId: values.rule ?? '',
      statuses: (values.status ?? []).map((s) => `ALERT_STATUS_${s}` as const),
      severities: (values.severity ?? []).map((s) => `SEVERITY_${s}` as const),
      createdAfter: stamp(since),
      createdBefore: stamp(until),
      pageToken: values.pageToken ?? '',
    }),
  );
  const rows = page.alerts.map(summary);
  const next = page.nextPageToken ? `next page: --page-token ${page.nextPageToken}` : '';
  if (values.format === 'json') {
    // stdout stays one JSON array for scripts; the token is for whoever reads the terminal.
    io.out(JSON.stringify(rows));
    if (next) io.err(next);
  } else {
    io.out(`${formatTable(SUMMARY_COLUMNS, rows)}\n(${rows.length} alerts)${next ? `\n${next}` : ''}`);
  }
  return 0;
}

/** `caracal alerts get <id>`: an alert with its matched events, activity and deliveries. */
export async function alertsGet(config: CaracalConfig, alertId: string, values: ApiFlags & { events?: number; json?: boolean; format: 'table' | 'json' }, io: CliIo): Promise<number> {
  const res = await withClient(config, values, (c) => c.getAlert(alertId, values.events ?? 0));
  const a = res.alert!;
  const events = res.eventsJson.map((e) => JSON.parse(e) as Record<string, unknown>);
  if (values.json || values.format === 'json') {
    io.out(JSON.stringify({ alert: a, events, activity: res.activity, deliveries: res.deliveries }, null, 2));
    return 0;
  }
  const s = summary(a);
  const lines = [
    `${s.alertId}  ${s.title}`,
    `  rule ${s.ruleId} (${s.type}), severity ${s.severity}, status ${s.status}, assignee ${s.assignee || '-'}`,
    `  events ${s.eventCount} (threshold ${a.threshold}), first ${time(a.firstEventTime)}, last ${time(a.lastEventTime)}`,
    `  created ${s.createdTime}, updated ${time(a.updatedTime)}, log types ${a.logTypes.join(', ') || '-'}`,
  ];
  if (a.type === 'ALERT_TYPE_RULE_ERROR' || a.type === 'ALERT_TYPE_SCHEDULED_RULE_ERROR') lines.push(`  error ${a.errorType}: ${a.errorMessage}`);
  if (a.description) lines.push(`  description: ${a.description}`);
  if (a.runbook) lines.push(`  runbook: ${a.runbook}`);
  lines.push('', `activity (${res.activity.length}):`, ...res.activity.map(activityLine));
  lines.push(
    '',
    `deliveries (${res.deliveries.length}):`,
    ...res.deliveries.map(
      (d) => `  ${time(d.attemptedTime)}  ${d.destinationId} (${d.destinationType})  ${d.outcome.replace('ALERT_DELIVERY_OUTCOME_', '')}${d.error ? `  ${d.error}` : ''}`,
    ),
  );
  lines.push('', `events (${events.length}, oldest first):`, ...events.map((e) => `  ${JSON.stringify(e)}`));
  io.out(lines.join('\n'));
  return 0;
}

/** `caracal alerts update <id>... --status S`. */
export async function alertsUpdate(config: CaracalConfig, alertIds: string[], values: ApiFlags & { status: AlertStatus; format: 'table' | 'json' }, io: CliIo): Promise<number> {
  const updated = await withClient(config, values, (c) => c.updateAlertStatus(alertIds, `ALERT_STATUS_${values.status}`));
  if (values.format === 'json') io.out(JSON.stringify(updated.map(summary)));
  else io.out(`${formatTable(SUMMARY_COLUMNS, updated.map(summary))}\n(${updated.length} alerts updated)`);
  return 0;
}

/** `caracal alerts assign <id> <assignee>`; "" unassigns. */
export async function alertsAssign(config: CaracalConfig, alertId: string, assignee: string, values: ApiFlags & { format: 'table' | 'json' }, io: CliIo): Promise<number> {
  const alert = await withClient(config, values, (c) => c.updateAlertAssignee(alertId, assignee));
  if (values.format === 'json') io.out(JSON.stringify(summary(alert)));
  else io.out(alert.assignee ? `${alert.alertId} assigned to ${alert.assignee}` : `${alert.alertId} unassigned`);
  return 0;
}

/** `caracal alerts comment <id> <text>`: a comment in the alert's activity. */
export async function alertsComment(config: CaracalConfig, alertId: string, text: string, values: ApiFlags & { format: 'table' | 'json' }, io: CliIo): Promise<number> {
  const activity = await withClient(config, values, (c) => c.addAlertComment(alertId, text));
  if (values.format === 'json') io.out(JSON.stringify({ alertId, actor: activity.actor, createdTime: time(activity.createdTime), comment: activity.comment }));
  else io.out(`comment added to ${alertId} by ${activity.actor} at ${time(activity.createdTime)}`);
  return 0;
}
