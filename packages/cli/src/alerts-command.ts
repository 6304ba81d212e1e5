import { Alert__Output, AlertActivity__Output } from '@caracal/api';
import { CaracalConfig, CaracalError } from '@caracal/core';
import { parseIsoTime, parseSeverities, parseStatuses, parseWholeNumber } from './alert-cli-flags';
import { flagParser, runSubcommand, time, withClient } from './api-command-support';
import { checkFormat, CliIo, formatTable } from './cli-output';

export const ALERTS_USAGE = `usage:
  caracal alerts list [--status OPEN,TRIAGED] [--severity HIGH,CRITICAL] [--rule <RuleID>]
                      [--since <ISO time>] [--until <ISO time>] [--limit <n>] [--page-token <token>] [--format table|json]
  caracal alerts get <alert id> [--events <n>] [--json]
  caracal alerts update <alert id>... --status OPEN|TRIAGED|RESOLVED|CLOSED
  caracal alerts assign <alert id> <assignee>        ("" unassigns)
  caracal alerts comment <alert id> <text>`;

const flags = flagParser('alerts', ALERTS_USAGE);

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

async function list(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('list', args, {
    status: { type: 'string' },
    severity: { type: 'string' },
    rule: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    limit: { type: 'string' },
    'page-token': { type: 'string' },
    format: { type: 'string', default: 'table' },
  } as const);
  if (positionals.length > 0) throw new CaracalError('INVALID_ARGUMENT', `alerts list takes no arguments, got "${positionals[0]}"\n${ALERTS_USAGE}`);
  const format = checkFormat(values.format);
  const since = parseIsoTime('--since', values.since);
  const until = parseIsoTime('--until', values.until);
  if (since && until && since >= until) throw new CaracalError('INVALID_ARGUMENT', '--since must be before --until');
  const stamp = (d: Date | undefined) => (d ? { seconds: String(Math.floor(d.getTime() / 1000)), nanos: (d.getTime() % 1000) * 1e6 } : null);
  const page = await withClient(config, values, (c) =>
    c.listAlerts({
      pageSize: parseWholeNumber('--limit', values.limit, 1000),
      ruleId: values.rule ?? '',
      statuses: parseStatuses(values.status).map((s) => `ALERT_STATUS_${s}` as const),
      severities: parseSeverities(values.severity).map((s) => `SEVERITY_${s}` as const),
      createdAfter: stamp(since),
      createdBefore: stamp(until),
      pageToken: values['page-token'] ?? '',
    }),
  );
  const rows = page.alerts.map(summary);
  const next = page.nextPageToken ? `next page: --page-token ${page.nextPageToken}` : '';
  if (format === 'json') {
    // stdout stays one JSON array for scripts; the token is for whoever reads the terminal.
    io.out(JSON.stringify(rows));
    if (next) io.err(next);
  } else {
    io.out(`${formatTable(SUMMARY_COLUMNS, rows)}\n(${rows.length} alerts)${next ? `\n${next}` : ''}`);
  }
  return 0;
}

async function get(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('get', args, { events: { type: 'string' }, json: { type: 'boolean', default: false } } as const);
  if (positionals.length !== 1) throw new CaracalError('INVALID_ARGUMENT', `alerts get takes one alert id\n${ALERTS_USAGE}`);
  const eventPageSize = parseWholeNumber('--events', values.events, 1000);
  const res = await withClient(config, values, (c) => c.getAlert(positionals[0], eventPageSize));
  const a = res.alert!;
  const events = res.eventsJson.map((e) => JSON.parse(e) as Record<string, unknown>);
  if (values.json) {
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

async function update(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('update', args, { status: { type: 'string' } } as const);
  if (positionals.length === 0) throw new CaracalError('INVALID_ARGUMENT', `alerts update needs at least one alert id\n${ALERTS_USAGE}`);
  const statuses = parseStatuses(values.status);
  if (statuses.length !== 1) throw new CaracalError('INVALID_ARGUMENT', 'alerts update needs --status with one of OPEN, TRIAGED, RESOLVED, CLOSED');
  const updated = await withClient(config, values, (c) => c.updateAlertStatus(positionals, `ALERT_STATUS_${statuses[0]}`));
  io.out(`${formatTable(SUMMARY_COLUMNS, updated.map(summary))}\n(${updated.length} alerts updated)`);
  return 0;
}

async function assign(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('assign', args, {});
  if (positionals.length !== 2) throw new CaracalError('INVALID_ARGUMENT', `alerts assign takes an alert id and an assignee ("" unassigns)\n${ALERTS_USAGE}`);
  const alert = await withClient(config, values, (c) => c.updateAlertAssignee(positionals[0], positionals[1]));
  io.out(alert.assignee ? `${alert.alertId} assigned to ${alert.assignee}` : `${alert.alertId} unassigned`);
  return 0;
}

async function comment(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('comment', args, {});
  if (positionals.length < 2) throw new CaracalError('INVALID_ARGUMENT', `alerts comment takes an alert id and the text\n${ALERTS_USAGE}`);
  const [alertId, ...words] = positionals;
  const activity = await withClient(config, values, (c) => c.addAlertComment(alertId, words.join(' ')));
  io.out(`comment added to ${alertId} by ${activity.actor} at ${time(activity.createdTime)}`);
  return 0;
}

/** `caracal alerts <list|get|update|assign|comment>`: the alert lifecycle over the gRPC API. */
export function alertsCommand(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  return runSubcommand('alerts', ALERTS_USAGE, { list, get, update, assign, comment }, config, args, io);
}
