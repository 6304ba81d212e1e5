import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { loadProtos } from '@caracal/api';
import type { DetectionServiceHandlers } from '@caracal/api';
import { argumentChecks } from './cli-test-support';
import type { CliIo } from './cli-output';
import { formatReplayReport, parseReplayTime, REPLAY_CANCELLED_EXIT } from './detections-command';

const { run, dir, refused } = argumentChecks('detections');

test('detections replay arguments are checked before any call, naming the flag', async () => {
  await refused(['replay', '--since', '7d'], /^missing required argument 'RuleID \| file\.yml'/);
  await refused(['replay', 'A.Rule', 'B.Rule', '--since', '7d'], /^too many arguments for 'replay'/);
  await refused(['replay', 'A.Rule'], /^required option '--since <when>' not specified/);
  await refused(['replay', 'A.Rule', '--since', '7x'], /^--since must be a duration back from now \(7d, 24h, 90m\) or an RFC 3339 time such as 2026-11-24T10:00:00Z, got "7x"$/);
  await refused(['replay', 'A.Rule', '--since', '7d', '--until', 'yesterday'], /^--until must be a duration back from now .*got "yesterday"$/);
  await refused(['replay', 'A.Rule', '--since', '2026-03-08T00:00:00Z', '--until', '2026-03-01T00:00:00Z'], /^--since must be before --until, got 2026-03-08T00:00:00\.000Z and 2026-03-01T00:00:00\.000Z$/);
  await refused(['replay', 'A.Rule', '--since', '0m'], /^--since must be before now/);
  await refused(['replay', 'A.Rule', '--python', 'x.py', '--since', '7d'], /^detections replay: --python goes with a spec file, not the RuleID "A.Rule"/);
  await refused(['replay', 'A.Rule', '--since', '7d', '--format', 'yaml'], /argument 'yaml' is invalid\. Allowed choices are table, json/);
  await refused(['replay', 'A.Rule', '--since', '7d', '--from', '7d'], /^unknown option '--from'/);
  await refused(['replay', path.join(dir, 'missing.yml'), '--since', '7d'], /cannot read the detection spec/);
});

test('--since and --until take a duration back from now or an RFC 3339 time', () => {
  const now = Date.parse('2026-03-08T12:00:00Z');
  assert.equal(parseReplayTime('--since', '7d', now).toISOString(), '2026-03-01T12:00:00.000Z');
  assert.equal(parseReplayTime('--since', '24h', now).toISOString(), '2026-03-07T12:00:00.000Z');
  assert.equal(parseReplayTime('--since', '90m', now).toISOString(), '2026-03-08T10:30:00.000Z');
  assert.equal(parseReplayTime('--since', '1h30m', now).toISOString(), '2026-03-08T10:30:00.000Z');
  assert.equal(parseReplayTime('--since', '2026-03-01T10:00:00+02:00', now).toISOString(), '2026-03-01T08:00:00.000Z');
  assert.equal(parseReplayTime('--since', '2026-03-01', now).toISOString(), '2026-03-01T00:00:00.000Z');
});

// What the API answers, over a real gRPC server with the real DetectionService descriptors.
const TOKEN = 'crc_test_token';
const ts = (iso: string) => ({ seconds: String(Math.floor(Date.parse(iso) / 1000)), nanos: (Date.parse(iso) % 1000) * 1e6 });
const report = {
  ruleId: 'Okta.Login.Burst',
  logTypes: ['Okta.SystemLog'],
  since: ts('2026-03-01T00:00:00Z'),
  until: ts('2026-03-08T00:00:00Z'),
  eventsRead: '1200',
  eventsMatched: '40',
  ruleErrors: '2',
  alertCount: 2,
  alerts: [
    {
      type: 'ALERT_TYPE_RULE' as const,
      title: 'Login burst for homer',
      dedup: 'homer',
      severity: 'SEVERITY_HIGH' as const,
      eventCount: '38',
      firstEventTime: ts('2026-03-02T10:00:00.250Z'),
      lastEventTime: ts('2026-03-02T10:40:00Z'),
      createdTime: ts('2026-03-02T10:00:00.250Z'),
      errorType: '',
      errorMessage: '',
    },
    {
      type: 'ALERT_TYPE_RULE' as const,
      title: 'Login burst for marge',
      dedup: 'marge',
      severity: 'SEVERITY_HIGH' as const,
      eventCount: '5',
      firstEventTime: ts('2026-03-04T08:00:00Z'),
      lastEventTime: ts('2026-03-04T08:01:00Z'),
      createdTime: ts('2026-03-04T08:00:00Z'),
      errorType: '',
      errorMessage: '',
    },
  ],
  alertsTruncated: false,
  errorAlertsTruncated: false,
  errorAlertCount: 1,
  errorAlerts: [
    {
      type: 'ALERT_TYPE_RULE_ERROR' as const,
      title: 'Okta.Login.Burst raised KeyError',
      dedup: 'Okta.Login.Burst:KeyError',
      severity: 'SEVERITY_INFO' as const,
      eventCount: '2',
      firstEventTime: ts('2026-03-03T00:00:00Z'),
      lastEventTime: ts('2026-03-03T00:00:01Z'),
      createdTime: ts('2026-03-03T00:00:00Z'),
      errorType: 'KeyError',
      errorMessage: "'actor'",
    },
  ],
  comparison: { liveAlerts: 2, sameDedups: 1, differences: [{ dedup: 'marge', type: 'ALERT_TYPE_RULE' as const, replayAlerts: 1, liveAlerts: 0 }, { dedup: 'bart', type: 'ALERT_TYPE_RULE' as const, replayAlerts: 0, liveAlerts: 1 }], differencesTruncated: false },
  cost: { lakeQueries: 3, eventBytes: '1572864', lakeSeconds: 0.5, detectionSeconds: 1.25, elapsedSeconds: 2 },
};

const requests: { ruleId: string; yaml: string; python: string; since: number | null; until: number | null }[] = [];
let cancelledOnServer = false;
let server: grpc.Server;
let endpoint: string;

const handlers: Pick<DetectionServiceHandlers, 'ReplayDetection'> = {
  ReplayDetection: (call) => {
    if (call.metadata.get('authorization')[0] !== `Bearer ${TOKEN}`) return call.emit('error', { code: grpc.status.UNAUTHENTICATED, details: 'bad token' });
    const r = call.request;
    const ms = (t: typeof r.since) => (t ? Number(t.seconds) * 1000 + t.nanos / 1e6 : null);
    requests.push({ ruleId: r.ruleId, yaml: r.yaml, python: r.python, since: ms(r.since), until: ms(r.until) });
    if (r.ruleId === 'Nope.Rule') return call.emit('error', { code: grpc.status.NOT_FOUND, details: 'no detection "Nope.Rule"' });
    call.write({ progress: { eventsRead: '0', eventsTotal: '1200', eventsPerSecond: 0, eventTime: null } });
    if (r.ruleId === 'Slow.Rule') {
      // Reads on until the caller goes away.
      call.on('cancelled', () => (cancelledOnServer = true));
      return;
    }
    call.write({ progress: { eventsRead: '600', eventsTotal: '1200', eventsPerSecond: 300.4, etaSeconds: 125, eventTime: ts('2026-03-04T08:00:00.500Z') } });
    call.write({ report: { ...report, ruleId: r.ruleId || 'My.File.Rule' } });
    call.end();
  },
};

before(async () => {
  server = new grpc.Server();
  server.addService(loadProtos().caracal.detection.v1.DetectionService.service, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  endpoint = `127.0.0.1:${port}`;
});

after(async () => {
  server.forceShutdown();
});

/** Runs the command against the server; answers its exit code and what it printed. `onErr` sees each stderr line as it comes. */
async function cli(args: string[], onErr?: (text: string) => void): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (t) => void out.push(t),
    err: (t) => {
      err.push(t);
      onErr?.(t);
    },
  };
  const code = await run(['replay', ...args, '--endpoint', endpoint, '--token', TOKEN], io);
  return { code, out, err };
}

test('detections replay prints a line of progress per message on stderr, then the report as a summary and tables', async () => {
  const started = Date.now();
  const res = await cli(['Okta.Login.Burst', '--since', '7d']);
  assert.equal(res.code, 0);
  const sent = requests.at(-1);
  assert.equal(sent?.ruleId, 'Okta.Login.Burst');
  assert.equal(sent?.yaml, '');
  assert.ok(sent?.since !== null && sent?.since !== undefined && Math.abs(sent.since - (started - 7 * 86_400_000)) < 60_000, 'since is 7 days back');
  assert.equal(sent?.until, null, 'no --until leaves it to the server (now)');

  assert.deepEqual(res.err, [
    'replay: 0/1200 events (0.0%), 0 ev/s, ETA unknown, event time no event yet',
    'replay: 600/1200 events (50.0%), 300 ev/s, ETA 2m05s, event time 2026-03-04T08:00:00.500Z',
  ]);
  assert.equal(res.out.length, 1);
  assert.deepEqual(res.out[0].split('\n'), [
    'rule:             Okta.Login.Burst (Okta.SystemLog)',
    'window:           2026-03-01T00:00:00.000Z to 2026-03-08T00:00:00.000Z',
    'events read:      1200',
    'matched:          40',
    'rule errors:      2',
    'alerts:           2',
    'error alerts:     1',
    'live alerts:      2',
    'same dedups:      1',
    'differing dedups: 2',
    'cost:             3 lake queries, 0.5s in the lake, 1.5 MiB of events, Python 1.3s, elapsed 2.0s',
    '',
    'alerts it would have raised:',
    'dedup  title                  events  firstEvent                lastEvent',
    '-----  ---------------------  ------  ------------------------  ------------------------',
    'homer  Login burst for homer  38      2026-03-02T10:00:00.250Z  2026-03-02T10:40:00.000Z',
    'marge  Login burst for marge  5       2026-03-04T08:00:00.000Z  2026-03-04T08:01:00.000Z',
    '(2 alerts)',
    '',
    'error alerts it would have raised:',
    'dedup                      error              events  firstEvent                lastEvent',
    '-------------------------  -----------------  ------  ------------------------  ------------------------',
    "Okta.Login.Burst:KeyError  KeyError: 'actor'  2       2026-03-03T00:00:00.000Z  2026-03-03T00:00:01.000Z",
    '(1 error alert)',
    '',
    'differences from the live alerts:',
    'dedup  type  replay  live',
    '-----  ----  ------  ----',
    'marge  RULE  1       0',
    'bart   RULE  0       1',
    '(2 differing dedups)',
  ]);
});

test('a report that lists only the first alerts says so; no error alerts and no differences say so too', () => {
  const text = formatReplayReport({
    ...report,
    alertCount: 1500,
    alerts: report.alerts.slice(0, 1),
    alertsTruncated: true,
    errorAlertsTruncated: false,
    errorAlertCount: 0,
    errorAlerts: [],
    comparison: { liveAlerts: 1500, sameDedups: 1500, differences: [], differencesTruncated: false },
  });
  const lines = text.split('\n');
  assert.ok(lines.includes('(1500 alerts; the first 1 listed)'), text);
  assert.ok(!lines.includes('error alerts it would have raised:'), text);
  assert.deepEqual(lines.slice(-2), ['differences from the live alerts:', '(none: every dedup has as many alerts as live)']);
  const empty = formatReplayReport({ ...report, alertCount: 0, alerts: [], errorAlertCount: 0, errorAlerts: [] }).split('\n');
  assert.deepEqual(empty.slice(empty.indexOf('alerts it would have raised:'), empty.indexOf('alerts it would have raised:') + 2), ['alerts it would have raised:', '(0 alerts)']);
});

test('detections replay --format json prints the report as one JSON object, and sends --since and --until as given', async () => {
  const res = await cli(['Okta.Login.Burst', '--since', '2026-03-01T00:00:00Z', '--until', '2026-03-08T00:00:00.250Z', '--format', 'json']);
  assert.equal(res.code, 0);
  assert.deepEqual(requests.at(-1), { ruleId: 'Okta.Login.Burst', yaml: '', python: '', since: Date.parse('2026-03-01T00:00:00Z'), until: Date.parse('2026-03-08T00:00:00.250Z') });
  assert.equal(res.err.length, 2, 'progress still goes to stderr');
  assert.equal(res.out.length, 1);
  assert.deepEqual(JSON.parse(res.out[0]), {
    ruleId: 'Okta.Login.Burst',
    logTypes: ['Okta.SystemLog'],
    since: '2026-03-01T00:00:00.000Z',
    until: '2026-03-08T00:00:00.000Z',
    eventsRead: 1200,
    eventsMatched: 40,
    ruleErrors: 2,
    alertCount: 2,
    alerts: [
      { type: 'RULE', title: 'Login burst for homer', dedup: 'homer', severity: 'HIGH', eventCount: 38, firstEventTime: '2026-03-02T10:00:00.250Z', lastEventTime: '2026-03-02T10:40:00.000Z', createdTime: '2026-03-02T10:00:00.250Z' },
      { type: 'RULE', title: 'Login burst for marge', dedup: 'marge', severity: 'HIGH', eventCount: 5, firstEventTime: '2026-03-04T08:00:00.000Z', lastEventTime: '2026-03-04T08:01:00.000Z', createdTime: '2026-03-04T08:00:00.000Z' },
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
        firstEventTime: '2026-03-03T00:00:00.000Z',
        lastEventTime: '2026-03-03T00:00:01.000Z',
        createdTime: '2026-03-03T00:00:00.000Z',
        errorType: 'KeyError',
        errorMessage: "'actor'",
      },
    ],
    comparison: {
      liveAlerts: 2,
      sameDedups: 1,
      differences: [
        { dedup: 'marge', type: 'RULE', replayAlerts: 1, liveAlerts: 0 },
        { dedup: 'bart', type: 'RULE', replayAlerts: 0, liveAlerts: 1 },
      ],
      differencesTruncated: false,
    },
    cost: { lakeQueries: 3, eventBytes: 1572864, lakeSeconds: 0.5, detectionSeconds: 1.25, elapsedSeconds: 2 },
  });
});

test('detections replay of a spec file sends its YAML and Python, not a RuleID', async () => {
  const yamlPath = path.join(dir, 'my_rule.yml');
  fs.writeFileSync(yamlPath, 'AnalysisType: rule\nRuleID: My.File.Rule\nFilename: my_rule.py\n');
  fs.writeFileSync(path.join(dir, 'my_rule.py'), 'def rule(event):\n    return True\n');
  const res = await cli([yamlPath, '--since', '24h', '--format', 'json']);
  assert.equal(res.code, 0);
  const sent = requests.at(-1);
  assert.equal(sent?.ruleId, '');
  assert.equal(sent?.yaml, 'AnalysisType: rule\nRuleID: My.File.Rule\nFilename: my_rule.py\n');
  assert.equal(sent?.python, 'def rule(event):\n    return True\n');
  assert.equal((JSON.parse(res.out[0]) as { ruleId: string }).ruleId, 'My.File.Rule');
});

test('Ctrl-C during a replay cancels the call, says so, exits non-zero, and leaves no SIGINT listener behind', { timeout: 10_000 }, async () => {
  const listenersBefore = process.listeners('SIGINT');
  let interrupted = false;
  const res = await cli(['Slow.Rule', '--since', '1h'], () => {
    if (interrupted) return;
    interrupted = true;
    // What a Ctrl-C does, without signalling the test runner: the command's own listener hears SIGINT.
    const added = process.listeners('SIGINT').filter((l) => !listenersBefore.includes(l));
    assert.equal(added.length, 1, 'the command listens for SIGINT while the replay runs');
    for (const l of added) l('SIGINT');
  });
  assert.equal(res.code, REPLAY_CANCELLED_EXIT);
  assert.notEqual(res.code, 0);
  assert.deepEqual(res.out, []);
  assert.equal(res.err.at(-1), 'replay cancelled (Ctrl-C): the call was cancelled, which stops the replay on the server; nothing was reported');
  assert.deepEqual(process.listeners('SIGINT'), listenersBefore);
  for (let i = 0; i < 50 && !cancelledOnServer; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(cancelledOnServer, 'the server saw the call cancelled');
});

test("a failed replay is the server's error, and the SIGINT listener is gone", async () => {
  const listenersBefore = process.listenerCount('SIGINT');
  await assert.rejects(cli(['Nope.Rule', '--since', '1h']), (err: grpc.ServiceError) => err.code === grpc.status.NOT_FOUND && err.details === 'no detection "Nope.Rule"');
  assert.equal(process.listenerCount('SIGINT'), listenersBefore);
});
