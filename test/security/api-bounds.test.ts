import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { CaracalClient } from '@caracal/api';
import { loadConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { CaracalProcess } from '../support/caracal-process';
import { repoRoot, tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// What one tenant's token can make the server carry: arguments of any size,
// undecodable requests, rules that raise huge exceptions or return huge
// values, reserved and foreign source ids, hostile RuleIDs, and many test
// runs at once. One embedded Caracal, a real gRPC channel, real Pyodide, the
// real lake. Test runs are limited to 1 per tenant and 2 in all, so the
// limiter's refusals show with few runs.
const dataDir = tempDir('security-bounds');
const env = {
  CARACAL_DATA_DIR: dataDir,
  CARACAL_HTTP_PORT: '0',
  CARACAL_GRPC_PORT: '0',
  CARACAL_LOG_LEVEL: 'warn',
  CARACAL_RULES_DIR: path.join(repoRoot(), 'rules'),
  CARACAL_QUERY_TEST_RUNS_PER_TENANT: '1',
  CARACAL_QUERY_TEST_RUNS_TOTAL: '2',
};
const MB = 1024 * 1024;
// Far below a call's own time; a refusal that lost its status would wait for a deadline instead.
const ANSWER_WITHIN_MS = 10_000;

let caracal: CaracalProcess;
let creds: { grpcEndpoint: string; token: string; ingestUrl: string; sourceId: string; sourceSecret: string };
let admin: CaracalClient;
const clients: CaracalClient[] = [];

function client(token: string): CaracalClient {
  const c = new CaracalClient(creds.grpcEndpoint, token);
  clients.push(c);
  return c;
}

function operatorToken(tenantId: string, role: 'admin' | 'analyst'): { client: CaracalClient; token: string } {
  const control = ControlStore.open(loadConfig(env).controlFile);
  if (!control.snapshot().tenants.some((t) => t.id === tenantId)) control.createTenant(tenantId);
  const { token } = control.createToken({ tenantId, name: `${role}-${Math.random().toString(36).slice(2, 8)}`, role });
  return { client: client(token), token };
}

/** The call's gRPC error, which must come within ANSWER_WITHIN_MS. */
async function refusal(p: Promise<unknown>): Promise<grpc.ServiceError & { ms: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
  });
  try {
    await Promise.race([p, hung]);
  } catch (err) {
    if (!('code' in (err as object))) throw err;
    return Object.assign(err as grpc.ServiceError, { ms: Date.now() - started });
  } finally {
    clearTimeout(timer);
  }
  assert.fail('the call succeeded');
}

const PROBE_YAML = `AnalysisType: rule
RuleID: Security.Bounds.Probe
DisplayName: Bounds probe
Filename: bounds_probe.py
Enabled: true
LogTypes:
  - Panther.Audit
Severity: Low
DedupPeriodMinutes: 60
`;
// mode comes from test events; over ingest, actionName BOUNDS_RAISE stands for it.
const PROBE_PY = `import time


def _mode(event):
    return event.get("mode") or ("raise" if event.get("actionName") == "BOUNDS_RAISE" else None)


def rule(event):
    mode = _mode(event)
    if mode == "raise":
        raise ValueError("x" * 50_000_000)
    if mode == "spin":
        end = time.time() + event.get("seconds")
        while time.time() < end:
            pass
    return mode in ("huge", "spin")


def title(event):
    return "T" * 5_000_000 if _mode(event) == "huge" else "spun"


def dedup(event):
    return "D" * 5_000_000


def runbook(event):
    return "r" * 5_000_000


def alert_context(event):
    return {"blob": "c" * (300 * 1024)} if _mode(event) == "huge" else {}
`;

before(async () => {
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Stop with Ctrl-C/);
  creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8'));
  admin = client(creds.token);
});

after(async () => {
  for (const c of clients) c.close();
  await caracal?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a 1 MB argument is INVALID_ARGUMENT at once, naming the field and its limit; the same channel answers the next call', async () => {
  const huge = 'a'.repeat(MB);
  // Calls made one by one, each once the previous was answered, on the one channel.
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['GetAlert', () => admin.getAlert(huge), /^alert_id must be at most 64 characters, got 1048576$/],
    ['GetDetection', () => admin.getDetection(huge), /^rule_id must be at most 200 characters, got 1048576$/],
    ['DeleteDetection', () => admin.deleteDetection(huge), /^rule_id must be at most 200 characters/],
    ['TestDetection', () => admin.testDetection({ ruleId: huge }), /^rule_id must be at most 200 characters/],
    ['CreateSource', () => admin.createSource({ sourceId: huge, logType: 'Panther.Audit' }), /^source_id must be at most 52 characters, got 1048576$/],
    ['DeleteSource', () => admin.deleteSource(huge), /^source_id must be at most 63 characters/],
    ['CreateToken', () => admin.createToken(huge, 'ROLE_READ_ONLY'), /^name must be at most 200 characters, got 1048576$/],
    ['RevokeToken', () => admin.revokeToken(huge), /^token_id must be at most 64 characters/],
    ['CancelQuery', () => admin.cancelQuery(huge), /^query_id must be at most 64 characters/],
    ['ExecuteQuery', () => admin.executeQuery(`SELECT '${huge}'`), /^sql must be at most 262144 bytes, got 1048585$/],
    ['UpdateAlertAssignee', () => admin.updateAlertAssignee('a1', huge), /^assignee must be at most 200 characters/],
    ['AddAlertComment', () => admin.addAlertComment('a1', huge), /^comment must be at most 10000 characters/],
    ['PutDetection', () => admin.putDetection({ yaml: PROBE_YAML, python: huge }), /^python must be at most 262144 bytes, got 1048576$/],
  ];
  for (const [method, call, message] of cases) {
    const err = await refusal(call());
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT, `${method}: ${err.details}`);
    assert.match(err.details, message, method);
    assert.ok(err.ms < 5000, `${method} answered in ${err.ms} ms`);
  }
  // The channel is still good.
  assert.ok((await admin.listDetections()).length >= 1);

  // The attempt is in the tenant's trail, its argument cut to a few kilobytes.
  const sizes = await waitFor('the refused GetAlert in the trail', async () => {
    const r = await admin.executeQuery(
      `SELECT length(toJSONString(actionParams)) AS input, length(toJSONString(errors)) AS errors FROM panther_logs.panther_audit
       WHERE p_source_id = 'caracal-api' AND actionName = 'GET_ALERT' AND actionResult = 'FAILED'`,
    );
    return r.rows[0] as { input: number; errors: number } | undefined;
  });
  assert.ok(Number(sizes.input) < 8192 && Number(sizes.errors) < 1024, JSON.stringify(sizes));
});

test('a refusal that quotes 50 KB of the request keeps its status, cut to 4 KiB, and the channel keeps working', async () => {
  // The YAML is within its limit; the problem message quotes the severity given.
  const yaml = PROBE_YAML.replace('Severity: Low', `Severity: ${'é'.repeat(25_000)}`);
  const err = await refusal(admin.putDetection({ yaml, python: PROBE_PY }));
  assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
  assert.match(err.details, /Severity: must be one of Info, Low, Medium, High, Critical, got "éé/);
  assert.match(err.details, /… \[truncated, \d+ bytes\]$/);
  assert.ok(Buffer.byteLength(err.details) <= 4096, `${Buffer.byteLength(err.details)} bytes`);
  assert.ok((await admin.listDetections()).length >= 1);
});

test('a request that is not a valid message is INVALID_ARGUMENT naming the problem, not INTERNAL', async () => {
  const raw = new grpc.Client(creds.grpcEndpoint, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${creds.token}`);
  const err = await new Promise<grpc.ServiceError>((resolve, reject) => {
    raw.makeUnaryRequest(
      '/caracal.source.v1.SourceService/CreateSource',
      (b: Buffer) => b,
      (b: Buffer) => b,
      // A varint field's tag, and then no varint.
      Buffer.from([0x08]),
      metadata,
      { deadline: Date.now() + ANSWER_WITHIN_MS },
      (e) => (e ? resolve(e) : reject(new Error('the garbage was accepted'))),
    );
  });
  raw.close();
  assert.equal(err.code, grpc.status.INVALID_ARGUMENT, err.details);
  assert.match(err.details, /^the request is not a valid CreateSourceRequest message: index out of range/);
});

test('source ids: the server makes them, caracal- is reserved, and another tenant\'s id tells nothing', async () => {
  for (const sourceId of ['caracal-api', 'caracal']) {
    const err = await refusal(admin.createSource({ sourceId, logType: 'Panther.Audit' }));
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
    assert.match(err.details, /would make an id starting with "caracal-", which is kept for Caracal's own sources/);
  }
  assert.ok(!(await admin.listSources()).some((s) => s.sourceId.startsWith('caracal-')));

  const globex = operatorToken('globex', 'admin').client;
  const mine = (await admin.createSource({ sourceId: 'okta', logType: 'Panther.Audit' })).source!;
  assert.match(mine.sourceId, /^okta-[0-9a-f]{10}$/);
  // The same start, and even the full id of demo's source, are simply new sources of globex.
  const theirs = (await globex.createSource({ sourceId: 'okta', logType: 'Panther.Audit' })).source!;
  assert.match(theirs.sourceId, /^okta-[0-9a-f]{10}$/);
  assert.notEqual(theirs.sourceId, mine.sourceId);
  const copied = (await globex.createSource({ sourceId: mine.sourceId, logType: 'Panther.Audit' })).source!;
  assert.ok(copied.sourceId.startsWith(`${mine.sourceId}-`));
  // Another tenant's source and one that never existed read alike.
  const foreign = await refusal(globex.rotateSourceSecret({ sourceId: mine.sourceId }));
  const missing = await refusal(globex.rotateSourceSecret({ sourceId: 'okta-0000000000' }));
  assert.deepEqual([foreign.code, missing.code], [grpc.status.NOT_FOUND, grpc.status.NOT_FOUND]);
  assert.equal(foreign.details.replace(mine.sourceId, '<id>'), missing.details.replace('okta-0000000000', '<id>'));
  assert.deepEqual((await admin.listSources()).filter((s) => s.sourceId.startsWith('okta')).map((s) => s.sourceId), [mine.sourceId]);
});

test('RuleIDs with paths, separators or control characters are refused, put or read', async () => {
  const bad = '../../x\u0000';
  const put = await refusal(admin.putDetection({ yaml: PROBE_YAML.replace('RuleID: Security.Bounds.Probe', `RuleID: ${JSON.stringify(bad)}`), python: PROBE_PY }));
  assert.equal(put.code, grpc.status.INVALID_ARGUMENT);
  assert.match(put.details, /RuleID: must be 1-200 letters, digits, '\.', '_' or '-', starting with a letter or digit/);
  const tested = await refusal(admin.testDetection({ yaml: PROBE_YAML.replace('RuleID: Security.Bounds.Probe', 'RuleID: "a/b"'), python: PROBE_PY }));
  assert.equal(tested.code, grpc.status.INVALID_ARGUMENT);
  for (const call of [admin.getDetection(bad), admin.deleteDetection('a b'), admin.listAlerts({ ruleId: 'x|y' })]) {
    const err = await refusal(call);
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
    assert.match(err.details, /^rule_id must be 1-200 letters/);
  }
  assert.ok(!(await admin.listDetections()).some((d) => d.ruleId.includes('/')));
});

test('a 50 MB exception and 5 MB alert fields come back bounded from TestDetection', async () => {
  const r = await admin.testDetection({
    yaml: PROBE_YAML,
    python: PROBE_PY,
    eventsJson: [JSON.stringify({ mode: 'raise' }), JSON.stringify({ mode: 'huge' })],
  });
  const [raised, huge] = r.eventResults;
  assert.equal(raised.matched, false);
  assert.match(raised.error, /^ValueError: x+… \[truncated, 50000000 bytes\]$/);
  assert.ok(Buffer.byteLength(raised.error) <= 4096 + 64, `${Buffer.byteLength(raised.error)} bytes`);
  assert.equal(huge.matched, true);
  assert.match(huge.title, /^T+… \[truncated, 5000000 bytes\]$/);
  assert.ok(Buffer.byteLength(huge.title) <= 1000);
  assert.match(huge.dedup, /^D+… \[truncated\]$/);
  assert.ok(Buffer.byteLength(huge.dedup) <= 1000);
  assert.match((JSON.parse(huge.alertContextJson) as { _error: string })._error, /^alert_context is \d+ bytes serialised, over the limit of 204800$/);
  assert.ok(Buffer.byteLength(JSON.stringify(r)) < 16 * 1024, `the whole answer is ${Buffer.byteLength(JSON.stringify(r))} bytes`);
});

test('a 50 MB exception on the stream reaches the lake, the alert and the log cut to a few kilobytes', async () => {
  const put = await admin.putDetection({ yaml: PROBE_YAML, python: PROBE_PY });
  assert.equal(put.detection?.ruleId, 'Security.Bounds.Probe');
  // The rules worker follows the detections topic: resend until the rule has seen one.
  const row = await waitFor(
    'the rule error in the lake',
    async () => {
      const event = { actionName: 'BOUNDS_RAISE', actionResult: 'SUCCEEDED', actor: { id: 'probe', type: 'USER' }, pantherVersion: '1.74.6', timestamp: new Date().toISOString() };
      const res = await fetch(`${creds.ingestUrl}/http/${creds.sourceId}`, { method: 'POST', headers: { 'x-caracal-secret': creds.sourceSecret }, body: JSON.stringify(event) });
      assert.equal(res.status, 200, await res.text());
      const r = await admin.executeQuery(
        `SELECT length(p_rule_error) AS message, length(p_rule_error_traceback) AS traceback, p_rule_error_type AS type, substring(p_rule_error, -40) AS tail
         FROM panther_rule_errors.panther_audit WHERE p_rule_id = 'Security.Bounds.Probe' LIMIT 1`,
      );
      return r.rows[0] as { message: number; traceback: number; type: string; tail: string } | undefined;
    },
    120_000,
    2000,
  );
  assert.equal(row.type, 'ValueError');
  assert.ok(Number(row.message) <= 4096, `message of ${row.message} bytes`);
  assert.ok(Number(row.traceback) <= 8192, `traceback of ${row.traceback} bytes`);
  assert.match(row.tail, /… \[truncated, 50000000 bytes\]$/);

  const alert = await waitFor('the rule error alert', async () => (await admin.listAlerts({ ruleId: 'Security.Bounds.Probe', types: ['ALERT_TYPE_RULE_ERROR'] })).alerts[0]);
  assert.ok(Buffer.byteLength(alert.errorMessage) <= 4096);
  assert.ok(Buffer.byteLength(alert.title) <= 1000 + 4);
  // No log line of the server carries the exception whole.
  const longest = Math.max(...caracal.stderr.split('\n').map((l) => Buffer.byteLength(l)));
  assert.ok(longest < 64 * 1024, `a log line of ${longest} bytes`);
  await admin.deleteDetection('Security.Bounds.Probe');
});

test('test runs over the limit are RESOURCE_EXHAUSTED at once, while the others run to the end', async () => {
  const spin = (seconds: number) => ({ yaml: PROBE_YAML, python: PROBE_PY, eventsJson: [JSON.stringify({ mode: 'spin', seconds })] });
  const globex = operatorToken('globex', 'analyst').client;
  const initech = operatorToken('initech', 'analyst').client;
  const settle = (p: Promise<unknown>) => p.then(() => 'ok', (err: grpc.ServiceError) => err);

  // Per tenant (1): demo's second run is refused while its first runs; globex's run is not held up by demo's.
  const first = settle(admin.testDetection(spin(4)));
  await new Promise((r) => setTimeout(r, 1000));
  const started = Date.now();
  const second = await refusal(admin.testDetection(spin(0)));
  assert.equal(second.code, grpc.status.RESOURCE_EXHAUSTED);
  assert.match(second.details, /too many detection test runs at once: 1 of this tenant's are running, its limit \(CARACAL_QUERY_TEST_RUNS_PER_TENANT\)/);
  assert.ok(Date.now() - started < 2000, 'refused at once, not queued');
  // PutDetection runs the detection's Tests: the same slots.
  const put = await refusal(admin.putDetection({ yaml: PROBE_YAML, python: PROBE_PY }));
  assert.equal(put.code, grpc.status.RESOURCE_EXHAUSTED);
  const other = await globex.testDetection(spin(0));
  assert.equal(other.eventResults[0].matched, true);
  assert.equal(await first, 'ok');

  // In all (2): with two runs going, a third tenant's is refused; once they end, it runs.
  const a = settle(admin.testDetection(spin(4)));
  const b = settle(globex.testDetection(spin(4)));
  await new Promise((r) => setTimeout(r, 1000));
  const third = await refusal(initech.testDetection(spin(0)));
  assert.equal(third.code, grpc.status.RESOURCE_EXHAUSTED);
  assert.match(third.details, /the server runs 2, its limit for all tenants \(CARACAL_QUERY_TEST_RUNS_TOTAL\)/);
  assert.deepEqual([await a, await b], ['ok', 'ok']);
  assert.equal((await initech.testDetection(spin(0))).eventResults[0].matched, true);
});
