import { once } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { Detection, DetectionServiceHandlers, EventResult, TestResult } from '@caracal/api';
import { InvalidArgumentError, MAX_DETECTION_PYTHON_BYTES, MAX_DETECTION_YAML_BYTES, MAX_LOG_TYPE_CHARS, MAX_TEST_EVENT_BYTES, MAX_TEST_EVENTS } from '@caracal/core';
import { fromClickHouseTime } from '@caracal/core/messages';
import type { DetectionEventResult } from '@caracal/detections';
import { DetectionReplayService } from './detection-replay.service';
import type { ReplayAlert, ReplayProgress, ReplayReport } from './detection-replay.types';
import { DetectionStoreService, DetectionTestOutcome, DetectionView } from './detection-store.service';
import { toTimestamp } from './grpc-values.mapper';
import { checkBytes, checkChars, checkRuleId } from './rpc-argument.validator';
import { RpcRunnerService } from './rpc-runner.service';

function toDetectionMessage(v: DetectionView): Detection {
  const s = v.spec;
  return {
    ruleId: s.ruleId,
    displayName: s.displayName ?? '',
    enabled: s.enabled,
    logTypes: s.logTypes,
    severity: `SEVERITY_${s.severity}` as Detection['severity'],
    dedupPeriodMinutes: s.dedupPeriodMinutes,
    threshold: s.threshold,
    description: s.description,
    tags: s.tags,
    origin: v.origin === 'PACK' ? 'DETECTION_ORIGIN_PACK' : 'DETECTION_ORIGIN_TENANT',
    version: String(v.record?.version ?? 0),
    updatedBy: v.record?.updatedBy ?? '',
    ...(v.record ? { updatedTime: toTimestamp(new Date(v.record.updatedAtMs)) } : {}),
    testCount: s.tests.length,
  };
}

function toTestMessages(tests: DetectionTestOutcome['tests']): TestResult[] {
  return tests.map((t) => ({ name: t.name, passed: t.passed, expectedResult: t.expectedResult, reason: t.reason ?? '' }));
}

function toEventMessage(e: DetectionEventResult): EventResult {
  if (!e.matched) {
    const error = e.error ? `${e.error.errorType}: ${e.error.message}` : '';
    return { index: e.eventIndex, matched: false, error };
  }
  return {
    index: e.eventIndex,
    matched: true,
    title: e.title,
    dedup: e.dedup,
    severity: `SEVERITY_${e.severity}` as EventResult['severity'],
    alertContextJson: e.alertContext === undefined ? '' : JSON.stringify(e.alertContext),
    auxErrors: e.auxErrors,
  };
}

function checkFiles(yaml: string, python: string): void {
  checkBytes('yaml', yaml, MAX_DETECTION_YAML_BYTES);
  checkBytes('python', python, MAX_DETECTION_PYTHON_BYTES);
}

/** Events arrive as JSON text: each must be one object, and a bad one is named by its index. */
function parseEvents(eventsJson: string[]): Record<string, unknown>[] {
  if (eventsJson.length > MAX_TEST_EVENTS) throw new InvalidArgumentError(`events_json must hold at most ${MAX_TEST_EVENTS} events, got ${eventsJson.length}`);
  eventsJson.forEach((text, index) => checkBytes(`events_json[${index}]`, text, MAX_TEST_EVENT_BYTES));
  return eventsJson.map((text, index) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new InvalidArgumentError(`events_json[${index}] is not JSON: ${(err as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidArgumentError(`events_json[${index}] must be a JSON object`);
    return value as Record<string, unknown>;
  });
}

/** The messages of ReplayDetection, as the generated handler type names them. */
type ReplayCall = Parameters<DetectionServiceHandlers['ReplayDetection']>[0];
type ReplayDetectionResponse = Parameters<ReplayCall['write']>[0];
type ReplayReportMessage = NonNullable<ReplayDetectionResponse['report']>;
type ReplayProgressMessage = NonNullable<ReplayDetectionResponse['progress']>;
type ReplayAlertMessage = NonNullable<ReplayReportMessage['alerts']>[number];
type TimestampMessage = ReplayCall['request']['since'];

/** The longest window of event time one ReplayDetection may read. */
export const MAX_REPLAY_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;
/** The range of a JavaScript Date, in milliseconds either side of 1970. */
const MAX_DATE_MS = 8.64e15;

/** A request Timestamp as milliseconds (rounded up, as ListAlerts' bounds are); undefined when unset. */
function timestampMs(field: string, ts: TimestampMessage): number | undefined {
  if (!ts) return undefined;
  const seconds = Number(ts.seconds);
  const nanos = ts.nanos ?? 0;
  if (!Number.isInteger(seconds) || !Number.isInteger(nanos) || nanos < 0 || nanos > 999_999_999) {
    throw new InvalidArgumentError(`${field} is not a valid timestamp (seconds ${ts.seconds}, nanos ${nanos})`);
  }
  const ms = seconds * 1000 + Math.ceil(nanos / 1e6);
  if (Math.abs(ms) > MAX_DATE_MS) throw new InvalidArgumentError(`${field} is out of range (seconds ${ts.seconds})`);
  return ms;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** [since, until): since required, until after it (now when unset), at most MAX_REPLAY_WINDOW_DAYS apart. */
function checkReplayWindow(sinceMs: number | undefined, untilMs: number | undefined, nowMs: number): { sinceMs: number; untilMs: number } {
  if (sinceMs === undefined) throw new InvalidArgumentError('since is required: the start of the window of event time to replay');
  const until = untilMs ?? nowMs;
  const untilName = untilMs === undefined ? 'until (now, when unset)' : 'until';
  if (until <= sinceMs) throw new InvalidArgumentError(`${untilName} must be after since, got since ${iso(sinceMs)} and until ${iso(until)}`);
  const days = (until - sinceMs) / DAY_MS;
  if (days > MAX_REPLAY_WINDOW_DAYS) {
    throw new InvalidArgumentError(`since must be at most ${MAX_REPLAY_WINDOW_DAYS} days before ${untilName}, got ${Math.ceil(days * 100) / 100} days`);
  }
  return { sinceMs, untilMs: until };
}

/** Lake time text ('YYYY-MM-DD hh:mm:ss.sss', UTC) as a Timestamp; unset when empty. */
function lakeTimestamp(text: string): ReplayProgressMessage['eventTime'] {
  if (text === '') return null;
  const d = fromClickHouseTime(text);
  return Number.isNaN(d.getTime()) ? null : toTimestamp(d);
}

function toReplayProgressMessage(p: ReplayProgress): ReplayProgressMessage {
  return {
    eventsRead: String(p.eventsRead),
    eventsTotal: String(p.eventsTotal),
    eventsPerSecond: p.eventsPerSecond,
    ...(p.etaSeconds === undefined ? {} : { etaSeconds: p.etaSeconds }),
    eventTime: lakeTimestamp(p.eventTime),
  };
}

function toReplayAlertMessage(a: ReplayAlert): ReplayAlertMessage {
  return {
    type: `ALERT_TYPE_${a.type}`,
    title: a.title,
    dedup: a.dedup,
    severity: `SEVERITY_${a.severity}`,
    eventCount: String(a.eventCount),
    firstEventTime: lakeTimestamp(a.firstEventTime),
    lastEventTime: lakeTimestamp(a.lastEventTime),
    createdTime: lakeTimestamp(a.createdAt),
    errorType: a.errorType,
    errorMessage: a.errorMessage,
  };
}

function toReplayReportMessage(r: ReplayReport): ReplayReportMessage {
  return {
    ruleId: r.ruleId,
    logTypes: r.logTypes,
    since: toTimestamp(new Date(r.sinceMs)),
    until: toTimestamp(new Date(r.untilMs)),
    eventsRead: String(r.eventsRead),
    eventsMatched: String(r.eventsMatched),
    ruleErrors: String(r.ruleErrors),
    alertCount: r.alertCount,
    alerts: r.alerts.map(toReplayAlertMessage),
    alertsTruncated: r.alertsTruncated,
    errorAlertCount: r.errorAlertCount,
    errorAlerts: r.errorAlerts.map(toReplayAlertMessage),
    errorAlertsTruncated: r.errorAlertsTruncated,
    comparison: {
      liveAlerts: r.comparison.liveAlerts,
      sameDedups: r.comparison.sameDedups,
      differences: r.comparison.differences.map((d) => ({ dedup: d.dedup, type: `ALERT_TYPE_${d.type}`, replayAlerts: d.replayAlerts, liveAlerts: d.liveAlerts })),
      differencesTruncated: r.comparison.differencesTruncated,
    },
    cost: { ...r.cost, eventBytes: String(r.cost.eventBytes) },
  };
}

/** DetectionService: the tenant's detections, changed through the detections topic. */
@Injectable()
export class DetectionGrpcHandlers {
  constructor(
    private readonly rpc: RpcRunnerService,
    private readonly store: DetectionStoreService,
    private readonly replays: DetectionReplayService,
  ) {}

  handlers(): DetectionServiceHandlers {
    return {
      ListDetections: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { logType: call.request.logType };
          checkChars('log_type', call.request.logType, MAX_LOG_TYPE_CHARS);
          const views = this.store.list(caller.tenantId, call.request.logType || undefined);
          audit.details = { detections: views.length };
          return { detections: views.map(toDetectionMessage) };
        });
      },
      GetDetection: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { id: call.request.ruleId };
          checkRuleId('rule_id', call.request.ruleId);
          const d = this.store.get(caller.tenantId, call.request.ruleId);
          return { detection: toDetectionMessage(d), yaml: d.yaml, python: d.python };
        });
      },
      PutDetection: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { skipTests: call.request.skipTests, yamlBytes: call.request.yaml.length, pythonBytes: call.request.python.length };
          checkFiles(call.request.yaml, call.request.python);
          const { view, replaced, tests } = await this.store.put(caller, { yaml: call.request.yaml, python: call.request.python }, call.request.skipTests);
          audit.action = replaced ? 'UPDATE_RULE' : 'CREATE_RULE';
          // Enabled too: a detection switched off by a put is how content is disabled here (the bulk-disabled rule reads it).
          audit.input = { ...audit.input, id: view.spec.ruleId, enabled: view.spec.enabled };
          audit.details = { version: view.record?.version, testsFailed: tests.filter((t) => !t.passed).length };
          return { detection: toDetectionMessage(view), replaced, testResults: toTestMessages(tests) };
        });
      },
      DeleteDetection: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          // The shape Panther writes for a deletion, which the deleted-detection rule reads.
          audit.input = { detections: [{ id: call.request.ruleId }] };
          checkRuleId('rule_id', call.request.ruleId);
          await this.store.delete(caller, call.request.ruleId);
          return {};
        });
      },
      TestDetection: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          const r = call.request;
          audit.input = { id: r.ruleId, events: r.eventsJson.length, ...(r.yaml ? { yamlBytes: r.yaml.length } : {}) };
          checkRuleId('rule_id', r.ruleId, true);
          checkFiles(r.yaml, r.python);
          const given = r.yaml !== '' || r.python !== '';
          if (given && r.ruleId !== '') throw new InvalidArgumentError('give rule_id, or yaml and python, not both');
          const outcome = await this.store.test(caller.tenantId, {
            ...(given ? { files: { yaml: r.yaml, python: r.python } } : { ruleId: r.ruleId }),
            events: parseEvents(r.eventsJson),
          });
          audit.details = { passed: outcome.passed };
          return { testResults: toTestMessages(outcome.tests), eventResults: outcome.events.map(toEventMessage), passed: outcome.passed };
        });
      },
      ReplayDetection: (call) => {
        this.rpc.stream(call, async ({ caller, audit }) => {
          const r = call.request;
          const given = r.yaml !== '' || r.python !== '';
          audit.input = { id: r.ruleId, ...(given ? { yamlBytes: r.yaml.length, pythonBytes: r.python.length } : {}) };
          checkRuleId('rule_id', r.ruleId, true);
          checkFiles(r.yaml, r.python);
          if (given && r.ruleId !== '') throw new InvalidArgumentError('give rule_id, or yaml and python, not both');
          if (!given && r.ruleId === '') throw new InvalidArgumentError('rule_id is required, or yaml and python');
          if (given && r.yaml === '') throw new InvalidArgumentError('yaml is required with python: the spec of the detection');
          const sinceMs = timestampMs('since', r.since);
          const untilMs = timestampMs('until', r.until);
          audit.input = { ...audit.input, ...(sinceMs === undefined ? {} : { since: iso(sinceMs) }), until: untilMs === undefined ? 'now' : iso(untilMs) };
          const window = checkReplayWindow(sinceMs, untilMs, Date.now());
          audit.input = { ...audit.input, since: iso(window.sinceMs), until: iso(window.untilMs) };
          // The caller hanging up stops the replay, not only the stream.
          const abort = new AbortController();
          const onCancelled = () => abort.abort();
          call.on('cancelled', onCancelled);
          if (call.cancelled) abort.abort();
          const send = async (message: ReplayDetectionResponse) => {
            if (!call.write(message)) await once(call, 'drain', { signal: abort.signal });
          };
          try {
            const report = await this.replays.replay(
              caller.tenantId,
              { ...(given ? { files: { yaml: r.yaml, python: r.python } } : { ruleId: r.ruleId }), ...window },
              {
                signal: abort.signal,
                onProgress: async (progress) => {
                  // How far a replay that is cancelled or fails got, for its audit event.
                  audit.details = { eventsRead: progress.eventsRead, eventsTotal: progress.eventsTotal };
                  if (!abort.signal.aborted) await send({ progress: toReplayProgressMessage(progress) });
                },
              },
            );
            audit.details = {
              ruleId: report.ruleId,
              eventsRead: report.eventsRead,
              alertCount: report.alertCount,
              errorAlertCount: report.errorAlertCount,
              liveAlerts: report.comparison.liveAlerts,
              differences: report.comparison.differences.length,
              elapsedSeconds: report.cost.elapsedSeconds,
            };
            await send({ report: toReplayReportMessage(report) });
          } finally {
            call.off('cancelled', onCancelled);
          }
        });
      },
    };
  }
}
