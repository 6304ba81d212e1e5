import { Injectable } from '@nestjs/common';
import type { Detection, DetectionServiceHandlers, EventResult, TestResult } from '@caracal/api';
import { InvalidArgumentError, MAX_DETECTION_PYTHON_BYTES, MAX_DETECTION_YAML_BYTES, MAX_LOG_TYPE_CHARS, MAX_TEST_EVENT_BYTES, MAX_TEST_EVENTS } from '@caracal/core';
import type { DetectionEventResult } from '@caracal/detections';
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

/** DetectionService: the tenant's detections, changed through the detections topic. */
@Injectable()
export class DetectionGrpcHandlers {
  constructor(
    private readonly rpc: RpcRunnerService,
    private readonly store: DetectionStoreService,
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
    };
  }
}
