import * as fs from 'node:fs';
import type { CaracalClient, Detection__Output } from '@caracal/api';
import { CaracalConfig, CaracalError } from '@caracal/core';
import { parseIsoTime } from './alert-cli-flags';
import { ApiFlags, time, withClient } from './api-command-support';
import { CliIo, formatTable } from './cli-output';
import { isSpecPath, loadDetectionFiles, specFilename } from './detection-file-loader';
import { formatEventResults, formatTestResults } from './detection-test-output';
import { durationSeconds } from './duration-flag';
import { EventInput, parseEventFile } from './event-file-parser';
import { createProgress } from './progress-line';

type Format = { format: 'table' | 'json' };

function row(d: Detection__Output) {
  return {
    ruleId: d.ruleId,
    displayName: d.displayName,
    enabled: d.enabled,
    severity: d.severity.replace('SEVERITY_', ''),
    logTypes: d.logTypes.join(','),
    origin: d.origin.replace('DETECTION_ORIGIN_', ''),
    version: Number(d.version),
    tests: d.testCount,
    updatedBy: d.updatedBy,
    updatedTime: time(d.updatedTime),
  };
}

/** `caracal detections list`. */
export async function detectionsList(config: CaracalConfig, values: ApiFlags & Format & { logType?: string }, io: CliIo): Promise<number> {
  const detections = await withClient(config, values, (c) => c.listDetections(values.logType ?? ''));
  if (values.format === 'json') {
    io.out(JSON.stringify(detections.map((d) => ({ ...row(d), logTypes: d.logTypes, description: d.description, tags: d.tags, dedupPeriodMinutes: d.dedupPeriodMinutes, threshold: d.threshold }))));
  } else {
    const columns = ['ruleId', 'enabled', 'severity', 'logTypes', 'origin', 'version', 'tests', 'displayName'];
    io.out(`${formatTable(columns, detections.map(row))}\n(${detections.length} detections)`);
  }
  return 0;
}

/** `caracal detections get <RuleID>`: its YAML and Python, or both in JSON. */
export async function detectionsGet(config: CaracalConfig, ruleId: string, values: ApiFlags & { format: 'yaml' | 'json' }, io: CliIo): Promise<number> {
  const res = await withClient(config, values, (c) => c.getDetection(ruleId));
  if (values.format === 'json') {
    io.out(JSON.stringify(res, null, 2));
    return 0;
  }
  // Headers in the style of `head` with several files: plain enough to cut the output apart by hand.
  const parts = [`==> YAML: ${ruleId} <==`, res.yaml.trimEnd()];
  if (res.python !== '') parts.push('', `==> Python: ${specFilename(res.yaml) ?? ruleId} <==`, res.python.trimEnd());
  io.out(parts.join('\n'));
  return 0;
}

/** `caracal detections put <file.yml>`: stored when its Tests pass (or with --skip-tests). */
export async function detectionsPut(config: CaracalConfig, yamlPath: string, values: ApiFlags & Format & { python?: string; skipTests?: boolean }, io: CliIo): Promise<number> {
  const files = loadDetectionFiles(yamlPath, values.python);
  const skipTests = values.skipTests ?? false;
  const res = await withClient(config, values, (c) => c.putDetection({ ...files, skipTests }));
  const d = res.detection;
  const failed = res.testResults.filter((t) => !t.passed).length;
  if (values.format === 'json') {
    io.out(JSON.stringify({ replaced: res.replaced, detection: d ? row(d) : null, testResults: res.testResults }));
    return 0;
  }
  const lines = [`${res.replaced ? 'replaced' : 'created'} ${d?.ruleId ?? '(no RuleID returned)'}${d ? ` (version ${Number(d.version)})` : ''}`, ...formatTestResults(res.testResults)];
  if (failed > 0 && skipTests) lines.push(`stored although ${failed} Tests failed (--skip-tests)`);
  io.out(lines.join('\n'));
  return 0;
}

/** `caracal detections delete <RuleID>`. */
export async function detectionsDelete(config: CaracalConfig, ruleId: string, values: ApiFlags & Format, io: CliIo): Promise<number> {
  await withClient(config, values, (c) => c.deleteDetection(ruleId));
  io.out(values.format === 'json' ? JSON.stringify({ ruleId, deleted: true }) : `deleted ${ruleId}`);
  return 0;
}

function readEventFile(file: string): EventInput[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CaracalError('INVALID_ARGUMENT', `--event ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseEventFile(text, file);
}

/** `caracal detections test <RuleID | file.yml>`: its Tests, or its verdicts on --event files; exit 1 unless all pass. */
export async function detectionsTest(config: CaracalConfig, target: string, values: ApiFlags & Format & { python?: string; event?: string[] }, io: CliIo): Promise<number> {
  const fromFile = isSpecPath(target);
  if (!fromFile && values.python !== undefined) throw new CaracalError('INVALID_ARGUMENT', `detections test: --python goes with a spec file, not the RuleID "${target}"`);
  const events = (values.event ?? []).flatMap(readEventFile);
  const files = fromFile ? loadDetectionFiles(target, values.python) : undefined;
  const res = await withClient(config, values, (c) =>
    c.testDetection({ ...(files ?? { ruleId: target }), eventsJson: events.map((e) => e.json) }),
  );
  if (values.format === 'json') {
    io.out(JSON.stringify({ passed: res.passed, testResults: res.testResults, eventResults: res.eventResults }));
    return res.passed ? 0 : 1;
  }
  const lines =
    events.length > 0
      ? formatEventResults(res.eventResults, events.map((e) => e.where))
      : formatTestResults(res.testResults);
  io.out(lines.join('\n'));
  return res.passed ? 0 : 1;
}

type ReplayRequest = Parameters<CaracalClient['replayDetection']>[0];
type ReplayProgress = Parameters<NonNullable<Parameters<CaracalClient['replayDetection']>[1]>>[0];
type ReplayReport = Awaited<ReturnType<CaracalClient['replayDetection']>>;
type ReplayAlert = ReplayReport['alerts'][number];

/**
 * --since and --until: a duration back from `nowMs` (7d, 24h, 90m, 1h30m),
 * or an RFC 3339 time (a time without a zone, or a bare date, is UTC).
 */
export function parseReplayTime(flag: string, text: string, nowMs: number): Date {
  const seconds = durationSeconds(text);
  if (seconds !== undefined) return new Date(nowMs - seconds * 1000);
  try {
    return parseIsoTime(flag, text) as Date;
  } catch {
    throw new CaracalError('INVALID_ARGUMENT', `${flag} must be a duration back from now (7d, 24h, 90m) or an RFC 3339 time such as 2026-11-24T10:00:00Z, got "${text}"`);
  }
}

/** 95 → 1m35s; 3725 → 1h02m05s. */
function formatSeconds(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${String(s).padStart(2, '0')}s`;
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return i === 0 ? `${value} B` : `${value.toFixed(1)} ${units[i]}`;
}

/** One line on stderr per progress message. */
export function formatReplayProgress(p: ReplayProgress): string {
  const read = Number(p.eventsRead);
  const total = Number(p.eventsTotal);
  const percent = total > 0 ? ` (${((100 * read) / total).toFixed(1)}%)` : '';
  const eta = p.etaSeconds === undefined ? 'unknown' : formatSeconds(p.etaSeconds);
  const at = p.eventTime ? time(p.eventTime) : 'no event yet';
  return `replay: ${read}/${total} events${percent}, ${Math.round(p.eventsPerSecond)} ev/s, ETA ${eta}, event time ${at}`;
}

function replayAlertJson(a: ReplayAlert) {
  return {
    type: a.type.replace('ALERT_TYPE_', ''),
    title: a.title,
    dedup: a.dedup,
    severity: a.severity.replace('SEVERITY_', ''),
    eventCount: Number(a.eventCount),
    firstEventTime: time(a.firstEventTime),
    lastEventTime: time(a.lastEventTime),
    createdTime: time(a.createdTime),
    ...(a.errorType === '' && a.errorMessage === '' ? {} : { errorType: a.errorType, errorMessage: a.errorMessage }),
  };
}

/** The report with plain numbers, ISO times and enum names without their prefix. */
export function replayReportJson(r: ReplayReport) {
  const comparison = r.comparison;
  const cost = r.cost;
  return {
    ruleId: r.ruleId,
    logTypes: r.logTypes,
    since: time(r.since),
    until: time(r.until),
    eventsRead: Number(r.eventsRead),
    eventsMatched: Number(r.eventsMatched),
    ruleErrors: Number(r.ruleErrors),
    alertCount: r.alertCount,
    alerts: r.alerts.map(replayAlertJson),
    alertsTruncated: r.alertsTruncated,
    errorAlertCount: r.errorAlertCount,
    errorAlerts: r.errorAlerts.map(replayAlertJson),
    errorAlertsTruncated: r.errorAlertsTruncated,
    comparison: {
      liveAlerts: comparison?.liveAlerts ?? 0,
      sameDedups: comparison?.sameDedups ?? 0,
      differences: (comparison?.differences ?? []).map((d) => ({ dedup: d.dedup, type: d.type.replace('ALERT_TYPE_', ''), replayAlerts: d.replayAlerts, liveAlerts: d.liveAlerts })),
      differencesTruncated: comparison?.differencesTruncated ?? false,
    },
    cost: {
      lakeQueries: cost?.lakeQueries ?? 0,
      eventBytes: Number(cost?.eventBytes ?? 0),
      lakeSeconds: cost?.lakeSeconds ?? 0,
      detectionSeconds: cost?.detectionSeconds ?? 0,
      elapsedSeconds: cost?.elapsedSeconds ?? 0,
    },
  };
}

function listed(what: string, shown: number, count: number, truncated: boolean): string {
  const counted = `${count} ${what}${count === 1 ? '' : 's'}`;
  return truncated || count > shown ? `(${counted}; the first ${shown} listed)` : `(${counted})`;
}

/** The summary, the alerts it would have raised, its error alerts, and where it differs from the live detection. */
export function formatReplayReport(r: ReplayReport): string {
  const j = replayReportJson(r);
  const c = j.comparison;
  const seconds = (s: number) => `${s.toFixed(1)}s`;
  const summary: [string, string | number][] = [
    ['rule', `${j.ruleId}${j.logTypes.length > 0 ? ` (${j.logTypes.join(', ')})` : ''}`],
    ['window', `${j.since} to ${j.until}`],
    ['events read', j.eventsRead],
    ['matched', j.eventsMatched],
    ['rule errors', j.ruleErrors],
    ['alerts', j.alertCount],
    ['error alerts', j.errorAlertCount],
    ['live alerts', c.liveAlerts],
    ['same dedups', c.sameDedups],
    ['differing dedups', `${c.differences.length}${c.differencesTruncated ? ' or more' : ''}`],
    [
      'cost',
      `${j.cost.lakeQueries} lake queries, ${seconds(j.cost.lakeSeconds)} in the lake, ${formatBytes(j.cost.eventBytes)} of events, Python ${seconds(j.cost.detectionSeconds)}, elapsed ${seconds(j.cost.elapsedSeconds)}`,
    ],
  ];
  const width = Math.max(...summary.map(([label]) => label.length)) + 1;
  const lines = summary.map(([label, value]) => `${`${label}:`.padEnd(width)} ${value}`);
  const alertRows = j.alerts.map((a) => ({ dedup: a.dedup, title: a.title, events: a.eventCount, firstEvent: a.firstEventTime, lastEvent: a.lastEventTime }));
  lines.push('', 'alerts it would have raised:');
  lines.push(...(alertRows.length > 0 ? [formatTable(['dedup', 'title', 'events', 'firstEvent', 'lastEvent'], alertRows)] : []), listed('alert', alertRows.length, j.alertCount, j.alertsTruncated));
  if (j.errorAlerts.length > 0) {
    const rows = j.errorAlerts.map((a) => ({ dedup: a.dedup, error: `${a.errorType ?? ''}: ${a.errorMessage ?? ''}`, events: a.eventCount, firstEvent: a.firstEventTime, lastEvent: a.lastEventTime }));
    lines.push('', 'error alerts it would have raised:', formatTable(['dedup', 'error', 'events', 'firstEvent', 'lastEvent'], rows), listed('error alert', rows.length, j.errorAlertCount, j.errorAlertsTruncated));
  }
  lines.push('', 'differences from the live alerts:');
  if (c.differences.length === 0) {
    lines.push('(none: every dedup has as many alerts as live)');
  } else {
    const rows = c.differences.map((d) => ({ dedup: d.dedup, type: d.type, replay: d.replayAlerts, live: d.liveAlerts }));
    lines.push(formatTable(['dedup', 'type', 'replay', 'live'], rows), c.differencesTruncated ? `(the first ${rows.length} differing dedups listed)` : `(${rows.length} differing dedup${rows.length === 1 ? '' : 's'})`);
  }
  return lines.join('\n');
}

/** The exit code of a replay cancelled with Ctrl-C, as a shell reports a process ended by SIGINT. */
export const REPLAY_CANCELLED_EXIT = 130;

export interface ReplayOptions extends ApiFlags, Format {
  python?: string;
  since: string;
  until?: string;
  /** undefined: a redrawn line on a terminal, a line per message otherwise; false: none. */
  progress?: boolean;
}

/** `caracal detections replay <RuleID | file.yml> --since ...`: the report; Ctrl-C cancels (exit 130). */
export async function detectionsReplay(config: CaracalConfig, target: string, values: ReplayOptions, io: CliIo, stderr: NodeJS.WriteStream = process.stderr): Promise<number> {
  const fromFile = isSpecPath(target);
  if (!fromFile && values.python !== undefined) throw new CaracalError('INVALID_ARGUMENT', `detections replay: --python goes with a spec file, not the RuleID "${target}"`);
  const now = Date.now();
  const since = parseReplayTime('--since', values.since, now);
  const until = values.until === undefined ? undefined : parseReplayTime('--until', values.until, now);
  if (since.getTime() >= (until ?? new Date(now)).getTime()) {
    throw new CaracalError('INVALID_ARGUMENT', `--since must be before ${until ? '--until' : 'now'}, got ${since.toISOString()}${until ? ` and ${until.toISOString()}` : ''}`);
  }
  const files = fromFile ? loadDetectionFiles(target, values.python) : undefined;
  const stamp = (d: Date) => ({ seconds: String(Math.floor(d.getTime() / 1000)), nanos: (d.getTime() % 1000) * 1e6 });
  const request: ReplayRequest = { ...(files ?? { ruleId: target }), since: stamp(since), ...(until ? { until: stamp(until) } : {}) };

  // Ctrl-C cancels the call, which stops the replay on the server; the listener goes with the call.
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.on('SIGINT', onSigint);
  // On a terminal the progress is one line redrawn in place; piped, a line per message, which a log keeps.
  const line = createProgress(stderr, values.progress ?? stderr.isTTY === true);
  const onProgress = (p: ReplayProgress) => (line.enabled ? line.update(formatReplayProgress(p)) : values.progress !== false && io.err(formatReplayProgress(p)));
  let report: ReplayReport;
  try {
    report = await withClient(config, values, (c) => c.replayDetection(request, onProgress, abort.signal));
  } catch (err) {
    line.done();
    if (!abort.signal.aborted) throw err;
    io.err('replay cancelled (Ctrl-C): the call was cancelled, which stops the replay on the server; nothing was reported');
    return REPLAY_CANCELLED_EXIT;
  } finally {
    process.off('SIGINT', onSigint);
  }
  line.done();
  io.out(values.format === 'json' ? JSON.stringify(replayReportJson(report)) : formatReplayReport(report));
  return 0;
}
