import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { CaracalClient, loadProtos, withUndecodableRequests } from '@caracal/api';
import { eventsTopic, LocalBus } from '@caracal/bus';
import { CaracalError, createLogger, loadConfig, NotFoundError } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { API_AUDIT_SOURCE, ApiAuditService } from './api-audit.service';
import { DetectionGrpcHandlers } from './detection-grpc.handlers';
import type { DetectionReplayService } from './detection-replay.service';
import type { ReplayProgress, ReplayReport, ReplayRequest, ReplayRunOptions } from './detection-replay.types';
import type { DetectionStoreService } from './detection-store.service';
import { RpcRunnerService } from './rpc-runner.service';
import { TokenAuthService } from './token-auth.service';

/*
 * ReplayDetection over a real gRPC server and the real client: the replay
 * service is a fake that plays what each test asks of it, and keeps every
 * call, so that a test can tell a refused call never reached it.
 */

type ReplayRun = (request: ReplayRequest, options: ReplayRunOptions) => Promise<ReplayReport>;

class FakeReplays {
  readonly calls: { tenantId: string; request: ReplayRequest; options: ReplayRunOptions }[] = [];
  run: ReplayRun = async () => assert.fail('no replay expected');

  async replay(tenantId: string, request: ReplayRequest, options: ReplayRunOptions = {}): Promise<ReplayReport> {
    this.calls.push({ tenantId, request, options });
    return this.run(request, options);
  }
}

const SINCE = Date.parse('2026-03-01T00:00:00Z');
const UNTIL = Date.parse('2026-03-08T00:00:00Z');
const ts = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });

const report: ReplayReport = {
  ruleId: 'Okta.Login.Burst',
  logTypes: ['Okta.SystemLog'],
  sinceMs: SINCE,
  untilMs: UNTIL,
  eventsRead: 1200,
  eventsMatched: 40,
  ruleErrors: 2,
  alertCount: 1,
  alerts: [
    {
      type: 'RULE',
      title: 'Login burst for homer',
      dedup: 'homer',
      severity: 'HIGH',
      eventCount: 38,
      firstEventTime: '2026-03-02 10:00:00.250',
      lastEventTime: '2026-03-02 10:40:00.000',
      createdAt: '2026-03-02 10:00:00.250',
      errorType: '',
      errorMessage: '',
    },
  ],
  alertsTruncated: false,
  errorAlertsTruncated: false,
  errorAlertCount: 1,
  errorAlerts: [
    {
      type: 'RULE_ERROR',
      title: 'Okta.Login.Burst raised KeyError',
      dedup: 'Okta.Login.Burst:KeyError',
      severity: 'INFO',
      eventCount: 2,
      firstEventTime: '2026-03-03 00:00:00.000',
      lastEventTime: '2026-03-03 00:00:01.000',
      createdAt: '2026-03-03 00:00:00.000',
      errorType: 'KeyError',
      errorMessage: "'actor'",
    },
  ],
  comparison: { liveAlerts: 2, sameDedups: 0, differences: [{ dedup: 'homer', type: 'RULE', replayAlerts: 1, liveAlerts: 2 }], differencesTruncated: false },
  cost: { lakeQueries: 3, eventBytes: 524_288, lakeSeconds: 0.5, detectionSeconds: 1.25, elapsedSeconds: 2 },
};

const replays = new FakeReplays();
let dir: string;
let bus: LocalBus;
let server: grpc.Server;
let endpoint: string;
const clients: CaracalClient[] = [];
const tokens: Record<'acmeAnalyst' | 'acmeReader', string> = { acmeAnalyst: '', acmeReader: '' };

function client(token = tokens.acmeAnalyst): CaracalClient {
  const c = new CaracalClient(endpoint, token);
  clients.push(c);
  return c;
}

/** The call's gRPC error; the call must fail. */
async function refusal(p: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await p;
  } catch (err) {
    return err as grpc.ServiceError;
  }
  assert.fail('the call succeeded');
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-detection-grpc-'));
  const config = loadConfig({ CARACAL_DATA_DIR: dir }, dir);
  const logger = createLogger('silent');
  const control = ControlStore.open(config.controlFile);
  control.createTenant('acme');
  tokens.acmeAnalyst = control.createToken({ tenantId: 'acme', name: 'analyst', role: 'analyst' }).token;
  tokens.acmeReader = control.createToken({ tenantId: 'acme', name: 'reader', role: 'read-only' }).token;
  bus = new LocalBus({ logger });
  const rpc = new RpcRunnerService(new TokenAuthService(control), new ApiAuditService(bus, config, logger), logger);
  // ReplayDetection never touches the store.
  const handlers = new DetectionGrpcHandlers(rpc, {} as DetectionStoreService, replays as unknown as DetectionReplayService);
  server = new grpc.Server();
  server.addService(withUndecodableRequests(loadProtos().caracal.detection.v1.DetectionService.service), handlers.handlers());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  endpoint = `127.0.0.1:${port}`;
});

after(async () => {
  for (const c of clients) c.close();
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  await bus.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('ReplayDetection streams progress as the replay reports it, in order, then the report', async () => {
  const progress: ReplayProgress[] = [
    { eventsRead: 0, eventsTotal: 1200, eventsPerSecond: 0, etaSeconds: undefined, eventTime: '' },
    // More than the stream buffers: the handler waits for it to drain rather than drop or pile up.
    ...Array.from({ length: 200 }, (_, i) => ({ eventsRead: 6 * (i + 1), eventsTotal: 1200, eventsPerSecond: 600.5, etaSeconds: 0, eventTime: '2026-03-02 10:00:00.250' })),
    { eventsRead: 1200, eventsTotal: 1200, eventsPerSecond: 600, etaSeconds: 0, eventTime: '2026-03-07 23:59:59.999' },
  ];
  replays.run = async (_request, options) => {
    for (const p of progress) await options.onProgress?.(p);
    return report;
  };
  const heard: unknown[] = [];
  const res = await client().replayDetection({ ruleId: 'Okta.Login.Burst', since: ts(SINCE), until: ts(UNTIL) }, (p) => heard.push(p));

  const call = replays.calls.at(-1);
  assert.equal(call?.tenantId, 'acme');
  assert.deepEqual(call?.request, { ruleId: 'Okta.Login.Burst', sinceMs: SINCE, untilMs: UNTIL });
  assert.ok(call?.options.signal instanceof AbortSignal);

  assert.equal(heard.length, progress.length);
  // Before any rate: no ETA (unset, not 0) and no event time yet.
  assert.deepEqual(heard[0], { eventsRead: '0', eventsTotal: '1200', eventsPerSecond: 0, eventTime: null });
  assert.deepEqual(heard[1], { eventsRead: '6', eventsTotal: '1200', eventsPerSecond: 600.5, etaSeconds: 0, _etaSeconds: 'etaSeconds', eventTime: ts(Date.parse('2026-03-02T10:00:00.250Z')) });
  assert.deepEqual(heard.at(-1), { eventsRead: '1200', eventsTotal: '1200', eventsPerSecond: 600, etaSeconds: 0, _etaSeconds: 'etaSeconds', eventTime: ts(Date.parse('2026-03-07T23:59:59.999Z')) });

  assert.deepEqual(res, {
    ruleId: 'Okta.Login.Burst',
    logTypes: ['Okta.SystemLog'],
    since: ts(SINCE),
    until: ts(UNTIL),
    eventsRead: '1200',
    eventsMatched: '40',
    ruleErrors: '2',
    alertCount: 1,
    alerts: [
      {
        type: 'ALERT_TYPE_RULE',
        title: 'Login burst for homer',
        dedup: 'homer',
        severity: 'SEVERITY_HIGH',
        eventCount: '38',
        firstEventTime: ts(Date.parse('2026-03-02T10:00:00.250Z')),
        lastEventTime: ts(Date.parse('2026-03-02T10:40:00Z')),
        createdTime: ts(Date.parse('2026-03-02T10:00:00.250Z')),
        errorType: '',
        errorMessage: '',
      },
    ],
    alertsTruncated: false,
    errorAlertCount: 1,
    errorAlerts: [
      {
        type: 'ALERT_TYPE_RULE_ERROR',
        title: 'Okta.Login.Burst raised KeyError',
        dedup: 'Okta.Login.Burst:KeyError',
        severity: 'SEVERITY_INFO',
        eventCount: '2',
        firstEventTime: ts(Date.parse('2026-03-03T00:00:00Z')),
        lastEventTime: ts(Date.parse('2026-03-03T00:00:01Z')),
        createdTime: ts(Date.parse('2026-03-03T00:00:00Z')),
        errorType: 'KeyError',
        errorMessage: "'actor'",
      },
    ],
    errorAlertsTruncated: false,
    comparison: { liveAlerts: 2, sameDedups: 0, differences: [{ dedup: 'homer', type: 'ALERT_TYPE_RULE', replayAlerts: 1, liveAlerts: 2 }], differencesTruncated: false },
    cost: { lakeQueries: 3, eventBytes: '524288', lakeSeconds: 0.5, detectionSeconds: 1.25, elapsedSeconds: 2 },
  });
});

test('a detection given as files is replayed without a RuleID; an unset until is now', async () => {
  replays.run = async () => report;
  const since = Date.now() - 3_600_000;
  await client().replayDetection({ yaml: 'RuleID: My.Rule\n', python: 'def rule(e):\n    return True\n', since: ts(since) });
  const request = replays.calls.at(-1)?.request;
  assert.deepEqual(request?.files, { yaml: 'RuleID: My.Rule\n', python: 'def rule(e):\n    return True\n' });
  assert.equal(request?.ruleId, undefined);
  assert.equal(request?.sinceMs, since);
  assert.ok(Math.abs((request?.untilMs ?? 0) - Date.now()) < 60_000, 'until is now');
  // A simple detection (no Filename) has no Python.
  await client().replayDetection({ yaml: 'RuleID: My.Simple\nDetection: []\n', since: ts(since) });
  assert.deepEqual(replays.calls.at(-1)?.request.files, { yaml: 'RuleID: My.Simple\nDetection: []\n', python: '' });
});

test('arguments are refused as INVALID_ARGUMENT, naming the field, before the replay is asked', async () => {
  const acme = client();
  const before = replays.calls.length;
  const day = 86_400_000;
  const cases: [Parameters<CaracalClient['replayDetection']>[0], RegExp][] = [
    [{ since: ts(SINCE) }, /^rule_id is required, or yaml and python$/],
    [{ ruleId: 'A.Rule', yaml: 'RuleID: A.Rule', since: ts(SINCE) }, /^give rule_id, or yaml and python, not both$/],
    [{ python: 'def rule(e): return True', since: ts(SINCE) }, /^yaml is required with python/],
    [{ ruleId: 'bad rule id', since: ts(SINCE) }, /^rule_id must be 1-200 letters/],
    [{ yaml: 'x'.repeat(64 * 1024 + 1), since: ts(SINCE) }, /^yaml must be at most 65536 bytes, got 65537$/],
    [{ yaml: 'RuleID: A', python: 'x'.repeat(256 * 1024 + 1), since: ts(SINCE) }, /^python must be at most 262144 bytes, got 262145$/],
    [{ ruleId: 'A.Rule' }, /^since is required: the start of the window/],
    [{ ruleId: 'A.Rule', since: ts(UNTIL), until: ts(SINCE) }, /^until must be after since, got since 2026-03-08T00:00:00\.000Z and until 2026-03-01T00:00:00\.000Z$/],
    [{ ruleId: 'A.Rule', since: ts(SINCE), until: ts(SINCE) }, /^until must be after since/],
    [{ ruleId: 'A.Rule', since: ts(Date.now() + day) }, /^until \(now, when unset\) must be after since/],
    [{ ruleId: 'A.Rule', since: ts(UNTIL - 91 * day), until: ts(UNTIL) }, /^since must be at most 90 days before until, got 91 days$/],
    [{ ruleId: 'A.Rule', since: ts(Date.now() - 120 * day) }, /^since must be at most 90 days before until \(now, when unset\), got 120(\.\d+)? days$/],
    [{ ruleId: 'A.Rule', since: { seconds: '1', nanos: -1 } }, /^since is not a valid timestamp/],
  ];
  for (const [request, details] of cases) {
    const err = await refusal(acme.replayDetection(request));
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT, err.details);
    assert.match(err.details, details);
  }
  assert.equal(replays.calls.length, before, 'the replay was never asked');
  // Exactly 90 days is allowed.
  replays.run = async () => report;
  await acme.replayDetection({ ruleId: 'A.Rule', since: ts(UNTIL - 90 * day), until: ts(UNTIL) });
  assert.equal(replays.calls.length, before + 1);
});

test('a read-only token may not replay', async () => {
  const before = replays.calls.length;
  const denied = await refusal(client(tokens.acmeReader).replayDetection({ ruleId: 'A.Rule', since: ts(SINCE) }));
  assert.equal(denied.code, grpc.status.PERMISSION_DENIED);
  assert.match(denied.details, /read-only role; DetectionService\/ReplayDetection needs one of the admin or analyst roles/);
  assert.equal(replays.calls.length, before);
});

test("the replay's errors become their gRPC status", async () => {
  replays.run = async () => {
    throw new NotFoundError('no detection "Nope.Rule"');
  };
  const err = await refusal(client().replayDetection({ ruleId: 'Nope.Rule', since: ts(SINCE), until: ts(UNTIL) }));
  assert.equal(err.code, grpc.status.NOT_FOUND);
  assert.equal(err.details, 'no detection "Nope.Rule"');
});

test('cancelling the call aborts the signal the replay was given', { timeout: 10_000 }, async () => {
  let aborted!: () => void;
  const sawAbort = new Promise<void>((resolve) => (aborted = resolve));
  replays.run = async (_request, options) => {
    await options.onProgress?.({ eventsRead: 10, eventsTotal: 1000, eventsPerSecond: 10, etaSeconds: 99, eventTime: '2026-03-01 00:00:01.000' });
    // The replay reads on until the signal stops it, as the real one does.
    await new Promise<void>((resolve) => {
      if (options.signal?.aborted) resolve();
      options.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    aborted();
    throw new CaracalError('CANCELLED', 'the replay was cancelled');
  };
  const controller = new AbortController();
  const heard: unknown[] = [];
  const err = await refusal(
    client().replayDetection({ ruleId: 'Okta.Login.Burst', since: ts(SINCE), until: ts(UNTIL) }, (p) => {
      heard.push(p);
      controller.abort();
    }, controller.signal),
  );
  assert.equal(err.code, grpc.status.CANCELLED);
  assert.equal(heard.length, 1);
  await sawAbort;
  assert.equal(replays.calls.at(-1)?.options.signal?.aborted, true);

  // A signal aborted before the call cancels it at once.
  const early = new AbortController();
  early.abort();
  const before = replays.calls.length;
  const cancelled = await refusal(client().replayDetection({ ruleId: 'Okta.Login.Burst', since: ts(SINCE), until: ts(UNTIL) }, undefined, early.signal));
  assert.equal(cancelled.code, grpc.status.CANCELLED);
  assert.ok(replays.calls.length <= before + 1);
});

test("replays are written to the tenant's audit trail as TEST_RULE with the rule, the window and what came of it", async () => {
  const topic = eventsTopic(API_AUDIT_SOURCE.logType).name;
  const trail = async () => {
    const reader = bus.reader(topic);
    const events: Record<string, unknown>[] = [];
    await reader.run((_partition, messages) => {
      for (const m of messages) events.push(JSON.parse(m.value.toString('utf8')) as Record<string, unknown>);
    });
    await reader.caughtUp(5000);
    await reader.stop();
    return events.filter((e) => e.actionDescription === '/caracal.detection.v1.DetectionService/ReplayDetection');
  };
  const wasCancelled = (e: Record<string, unknown>) => e.actionResult === 'FAILED' && (e.actionDetails as { eventsRead?: number } | undefined)?.eventsRead === 10;
  // The cancelled call's event is written once the replay has stopped, which the caller does not wait for.
  let replayed = await trail();
  for (let i = 0; i < 50 && !replayed.some(wasCancelled); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    replayed = await trail();
  }
  assert.ok(replayed.every((e) => e.actionName === 'TEST_RULE'));
  const first = replayed[0];
  assert.equal(first.actionResult, 'SUCCEEDED');
  assert.deepEqual((first.actionParams as { dynamic: { input: unknown } }).dynamic.input, { id: 'Okta.Login.Burst', since: '2026-03-01T00:00:00.000Z', until: '2026-03-08T00:00:00.000Z' });
  assert.deepEqual(first.actionDetails, { ruleId: 'Okta.Login.Burst', eventsRead: 1200, alertCount: 1, errorAlertCount: 1, liveAlerts: 2, differences: 1, elapsedSeconds: 2 });
  const refused = replayed.find((e) => e.actionResult === 'FAILED' && (e.actionParams as { dynamic: { input: { id?: string } } }).dynamic.input.id === 'A.Rule');
  assert.ok(refused, 'a refused argument is written too');
  const cancelled = replayed.find(wasCancelled);
  assert.deepEqual(cancelled?.actionDetails, { eventsRead: 10, eventsTotal: 1000 }, 'a cancelled replay tells how far it got');
});
