import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { CaracalClient } from '@caracal/api';
import { loadConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { repoRoot, tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// The API as a client sees it: one embedded Caracal, two tenants, three roles.
// Every call is checked for its answer and for the audit event it leaves in
// its own tenant's lake, which the tenant's detections see like any event.
const dataDir = tempDir('e2e-api');
const env = {
  CARACAL_DATA_DIR: dataDir,
  CARACAL_HTTP_PORT: '0',
  CARACAL_GRPC_PORT: '0',
  CARACAL_LOG_LEVEL: 'warn',
  CARACAL_RULES_DIR: path.join(repoRoot(), 'rules'),
};
let caracal: CaracalProcess;
let endpoint: string;
let creds: { grpcEndpoint: string; token: string; ingestUrl: string; sourceId: string; sourceSecret: string };
let admin: CaracalClient;
const clients: CaracalClient[] = [];
const tokenIds: Record<string, string> = {};

function client(token: string): CaracalClient {
  const c = new CaracalClient(endpoint, token);
  clients.push(c);
  return c;
}

/** Tokens made the operator's way: straight into the control file the server reads. */
function operatorToken(tenantId: string, name: string, role: 'admin' | 'analyst' | 'read-only'): CaracalClient {
  const control = ControlStore.open(loadConfig(env).controlFile);
  if (!control.snapshot().tenants.some((t) => t.id === tenantId)) control.createTenant(tenantId);
  const { record, token } = control.createToken({ tenantId, name, role });
  tokenIds[`${tenantId}/${name}`] = record.id;
  return client(token);
}

async function grpcError(p: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await p;
  } catch (err) {
    return err as grpc.ServiceError;
  }
  assert.fail('the call succeeded');
}

interface AuditRow {
  actionName: string;
  actionResult: string;
  actorId: string;
  actorType: string;
  errors: string;
  input: string;
}

/** The tenant's own view of its audit trail, through its own SQL. */
async function auditEvents(c: CaracalClient, where = '1'): Promise<AuditRow[]> {
  const r = await c.executeQuery(
    `SELECT actionName, actionResult, toString(actor.id) AS actorId, toString(actor.type) AS actorType, toJSONString(errors) AS errors,
            toJSONString(actionParams) AS input
     FROM panther_logs.panther_audit WHERE p_source_id = 'caracal-api' AND ${where} ORDER BY p_event_time`,
  );
  return r.rows as unknown as AuditRow[];
}

const LISTED_RULE_YAML = `AnalysisType: rule
RuleID: Caracal.Alerts.Listed
DisplayName: Alerts listed through the API
Filename: alerts_listed.py
Enabled: true
LogTypes:
  - Panther.Audit
Severity: Low
DedupPeriodMinutes: 60
Tests:
  - Name: A listing
    ExpectedResult: true
    Log:
      actionName: LIST_ALERTS
      actionResult: SUCCEEDED
  - Name: Something else
    ExpectedResult: false
    Log:
      actionName: GET_ALERT
      actionResult: SUCCEEDED
`;
const LISTED_RULE_PY = `def rule(event):
    return event.get("actionName") == "LIST_ALERTS"


def title(event):
    return f"Alerts listed by {event.deep_get('actor', 'name')}"
`;

before(async () => {
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Stop with Ctrl-C/);
  creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8'));
  endpoint = creds.grpcEndpoint;
  admin = client(creds.token);
});

after(async () => {
  for (const c of clients) c.close();
  await caracal?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a call without a valid token is UNAUTHENTICATED, and says what is missing', async () => {
  const none = client('');
  const missing = await grpcError(none.listAlerts());
  assert.equal(missing.code, grpc.status.UNAUTHENTICATED);
  const wrong = await grpcError(client('crc_0000_not-a-token').listDetections());
  assert.equal(wrong.code, grpc.status.UNAUTHENTICATED);
  assert.match(wrong.details, /unknown API token/);
});

test('each role gets its methods and PERMISSION_DENIED, naming the role needed, for the rest', async () => {
  const reader = operatorToken('demo', 'reader', 'read-only');
  const analyst = operatorToken('demo', 'analyst', 'analyst');
  assert.ok((await reader.listDetections()).length >= 1, 'read-only lists detections');
  const put = await grpcError(reader.putDetection({ yaml: LISTED_RULE_YAML, python: LISTED_RULE_PY }));
  assert.equal(put.code, grpc.status.PERMISSION_DENIED);
  assert.match(put.details, /read-only role; DetectionService\/PutDetection needs one of the admin or analyst roles/);
  assert.equal((await grpcError(reader.updateAlertStatus(['x'], 'ALERT_STATUS_CLOSED'))).code, grpc.status.PERMISSION_DENIED);
  assert.equal((await grpcError(reader.testDetection({ ruleId: 'Panther.Detection.Deleted' }))).code, grpc.status.PERMISSION_DENIED);
  const token = await grpcError(analyst.createToken('sneaky', 'ROLE_ADMIN'));
  assert.equal(token.code, grpc.status.PERMISSION_DENIED);
  assert.match(token.details, /TokenService\/CreateToken needs the admin role/);
  assert.equal((await grpcError(analyst.createSource({ sourceId: 'x', logType: 'Panther.Audit' }))).code, grpc.status.PERMISSION_DENIED);

  // The refusal is in the trail too, as a FAILED action of that token.
  const refused = await waitFor('the refused put in the audit trail', async () => {
    const rows = await auditEvents(admin, `actionName = 'CREATE_RULE' AND actionResult = 'FAILED'`);
    return rows.find((r) => r.actorId === tokenIds['demo/reader']);
  });
  assert.match(refused.errors, /needs one of the admin or analyst roles/);
  assert.equal(refused.actorType, 'TOKEN');
});

test('ExecuteQuery streams the query id and columns first, then every row, then the summary', async () => {
  // More rows than one chunk holds, so the stream carries several.
  const events = Array.from({ length: 1200 }, (_, i) => ({
    actionName: 'SIGN_IN',
    actionResult: 'SUCCEEDED',
    actor: { id: `user-${i}`, type: 'USER' },
    pantherVersion: '1.74.6',
    timestamp: new Date().toISOString(),
  }));
  const res = await fetch(`${creds.ingestUrl}/http/${creds.sourceId}`, { method: 'POST', headers: { 'x-caracal-secret': creds.sourceSecret }, body: JSON.stringify(events) });
  assert.equal(res.status, 200, await res.text());
  const sql = `SELECT p_row_id, actionName FROM panther_logs.panther_audit WHERE actionName = 'SIGN_IN' AND p_occurs_since('1 hour')`;
  await waitFor('the events in the lake', async () => (Number((await admin.executeQuery(`SELECT count() AS n FROM (${sql})`)).rows[0].n) === 1200 ? true : undefined));
  let seenId = '';
  const r = await admin.executeQuery(sql, { onQueryId: (id) => (seenId = id) });
  assert.match(r.queryId, /^[0-9a-f-]{36}$/);
  assert.equal(seenId, r.queryId);
  assert.deepEqual(r.columns.map((c) => [c.name, c.type]), [['p_row_id', 'String'], ['actionName', 'String']]);
  assert.equal(r.rowCount, 1200);
  assert.equal(new Set(r.rows.map((row) => row.p_row_id)).size, 1200);
});

test('CancelQuery stops a running query of its own tenant only; the stream ends CANCELLED', async () => {
  const globex = operatorToken('globex', 'admin', 'admin');
  const T = 'panther_logs.panther_audit';
  // Four self-joins of the 1,200 sign-ins: far beyond any time limit unless stopped.
  const heavy = `SELECT count() FROM ${T} AS a, ${T} AS b, ${T} AS c, ${T} AS d WHERE sipHash64(a.p_row_id, b.p_row_id, c.p_row_id, d.p_row_id) % 1000 = 7`;
  let queryId = '';
  const outcome = admin.executeQuery(heavy, { onQueryId: (id) => (queryId = id) }).catch((err: grpc.ServiceError) => err);
  await waitFor('the query id', async () => (queryId ? true : undefined));
  assert.equal(await globex.cancelQuery(queryId), false, "another tenant's query id");
  assert.equal(await admin.cancelQuery(queryId), true);
  const err = await outcome;
  assert.ok(err instanceof Error, 'the query was stopped');
  assert.equal((err as grpc.ServiceError).code, grpc.status.CANCELLED);
  assert.match((err as grpc.ServiceError).details, /was cancelled/);
  assert.equal(await admin.cancelQuery(queryId), false, 'a query that ended');
});

test('every call is a Panther.Audit event of the caller tenant, with the token as actor', async () => {
  const globex = operatorToken('globex', 'auditor', 'admin');
  await admin.listAlerts();
  await globex.listAlerts();
  const bad = await grpcError(admin.executeQuery('DROP TABLE panther_logs.panther_audit'));
  assert.equal(bad.code, grpc.status.INVALID_ARGUMENT);

  const demoRows = await waitFor('the demo trail', async () => {
    const rows = await auditEvents(admin);
    return rows.some((r) => r.actionName === 'EXECUTE_DATA_LAKE_QUERY' && r.actionResult === 'FAILED' && r.input.includes('DROP TABLE')) ? rows : undefined;
  });
  const names = new Set(demoRows.map((r) => r.actionName));
  for (const a of ['LIST_ALERTS', 'LIST_DETECTIONS', 'EXECUTE_DATA_LAKE_QUERY', 'CANCEL_DATA_LAKE_QUERY']) assert.ok(names.has(a), `${a} in ${[...names].join(', ')}`);
  const failedQuery = demoRows.find((r) => r.actionName === 'EXECUTE_DATA_LAKE_QUERY' && r.input.includes('DROP TABLE'))!;
  assert.equal(failedQuery.actionResult, 'FAILED');
  assert.match(failedQuery.errors, /only SELECT|not allowed|SELECT/);
  assert.ok(demoRows.some((r) => r.actionName === 'EXECUTE_DATA_LAKE_QUERY' && r.actionResult === 'FAILED' && /was cancelled/.test(r.errors)), 'the cancelled query is in the trail');
  assert.ok(!demoRows.some((r) => r.actorId === tokenIds['globex/auditor']), 'no event of globex in demo');

  const globexRows = await waitFor('the globex trail', async () => {
    const rows = await auditEvents(globex);
    return rows.some((r) => r.actionName === 'LIST_ALERTS') ? rows : undefined;
  });
  assert.ok(globexRows.every((r) => r.actorId === tokenIds['globex/auditor'] || r.actorId === tokenIds['globex/admin']), 'globex sees only its own tokens');
});

test('a detection put through the API runs on the tenant stream, for that tenant only', async () => {
  const bad = await grpcError(admin.putDetection({ yaml: LISTED_RULE_YAML.replace('Severity: Low', 'Severity: Urgent'), python: LISTED_RULE_PY }));
  assert.equal(bad.code, grpc.status.INVALID_ARGUMENT);
  assert.match(bad.details, /Severity/);
  const failing = await grpcError(admin.putDetection({ yaml: LISTED_RULE_YAML, python: LISTED_RULE_PY.replace('"LIST_ALERTS"', '"GET_ALERT"') }));
  assert.equal(failing.code, grpc.status.INVALID_ARGUMENT);
  assert.match(failing.details, /Tests of Caracal.Alerts.Listed failed/);
  assert.ok(!(await admin.listDetections()).some((d) => d.ruleId === 'Caracal.Alerts.Listed'), 'a refused put stores nothing');

  const put = await admin.putDetection({ yaml: LISTED_RULE_YAML, python: LISTED_RULE_PY });
  assert.equal(put.replaced, false);
  assert.equal(put.detection?.origin, 'DETECTION_ORIGIN_TENANT');
  assert.deepEqual(put.testResults.map((t) => [t.name, t.passed]), [['A listing', true], ['Something else', true]]);
  const audited = await waitFor('the put in the audit trail', async () =>
    (await auditEvents(admin, `actionName = 'CREATE_RULE' AND actionResult = 'SUCCEEDED'`)).find((r) => r.input.includes('Caracal.Alerts.Listed')),
  );
  assert.match(audited.input, /"enabled":true/, 'the trail says whether the put left the detection enabled');
  const got = await admin.getDetection('Caracal.Alerts.Listed');
  assert.equal(got.python, LISTED_RULE_PY);

  const tested = await admin.testDetection({
    ruleId: 'Caracal.Alerts.Listed',
    eventsJson: [JSON.stringify({ actionName: 'LIST_ALERTS', actor: { name: 'x' } }), JSON.stringify({ actionName: 'SIGN_IN' })],
  });
  assert.deepEqual(tested.eventResults.map((e) => [e.matched, e.title]), [[true, 'Alerts listed by x'], [false, '']]);

  const globex = operatorToken('globex', 'lister', 'analyst');
  assert.ok(!(await globex.listDetections()).some((d) => d.ruleId === 'Caracal.Alerts.Listed'), 'globex does not get demo\'s detection');
  // The listing is itself audited, and the audit event matches the new rule: the platform watches itself.
  const alert = await waitFor('the alert from the audit event', async () => {
    await admin.listAlerts({ pageSize: 1 });
    return (await admin.listAlerts({ ruleId: 'Caracal.Alerts.Listed' })).alerts[0];
  });
  assert.equal(alert.title, 'Alerts listed by admin');
  await globex.listAlerts();
  assert.equal((await globex.listAlerts({ ruleId: 'Caracal.Alerts.Listed' })).alerts.length, 0);
});

test('deleting a detection through the API raises the deleted-detection alert', async () => {
  await admin.deleteDetection('Caracal.Alerts.Listed');
  assert.ok(!(await admin.listDetections()).some((d) => d.ruleId === 'Caracal.Alerts.Listed'));
  const missing = await grpcError(admin.deleteDetection('Caracal.Alerts.Listed'));
  assert.equal(missing.code, grpc.status.NOT_FOUND);
  const alert = await waitFor('the deleted-detection alert', async () => (await admin.listAlerts({ ruleId: 'Panther.Detection.Deleted' })).alerts[0]);
  assert.equal(alert.title, "Detection 'Caracal.Alerts.Listed' deleted by token admin");
  assert.equal(alert.severity, 'SEVERITY_INFO');
});

test('tokens and sources made through the API work at once, and a revoked token stops', async () => {
  const made = await admin.createToken('ci-reader', 'ROLE_READ_ONLY');
  assert.match(made.secret, /^crc_/);
  assert.equal(made.token?.role, 'ROLE_READ_ONLY');
  const ci = client(made.secret);
  assert.ok(Array.isArray((await ci.listAlerts()).alerts));
  assert.ok((await admin.listTokens()).some((t) => t.tokenId === made.token?.tokenId));
  await admin.revokeToken(made.token!.tokenId);
  assert.equal((await grpcError(ci.listAlerts())).code, grpc.status.UNAUTHENTICATED);

  const source = await admin.createSource({ sourceId: 'api-made', logType: 'Panther.Audit', label: 'made over gRPC' });
  // The server makes the id from the start asked for (decision 0014).
  const sourceId = source.source!.sourceId;
  assert.match(sourceId, /^api-made-[0-9a-f]{10}$/);
  assert.match(source.secret, /^crs_/);
  assert.equal(source.source?.authMode, 'SOURCE_AUTH_MODE_SHARED_SECRET');
  assert.equal(source.source?.authHeader, 'x-caracal-secret');
  assert.equal(source.source?.secrets.length, 1);
  assert.ok((await admin.listSources()).some((s) => s.sourceId === sourceId));
  const globex = operatorToken('globex', 'source-admin', 'admin');
  assert.ok(!(await globex.listSources()).some((s) => s.sourceId === sourceId));
  assert.equal((await grpcError(globex.deleteSource(sourceId))).code, grpc.status.NOT_FOUND);
  assert.equal((await grpcError(globex.rotateSourceSecret({ sourceId }))).code, grpc.status.NOT_FOUND);

  // A rotation: the new secret first, the previous one valid for a while, both listed.
  const rotated = await admin.rotateSourceSecret({ sourceId, previousValidSeconds: 3600 });
  assert.match(rotated.secret, /^crs_/);
  assert.notEqual(rotated.secret, source.secret);
  const listed = (await admin.listSources()).find((s) => s.sourceId === sourceId);
  assert.deepEqual(listed?.secrets.map((x) => x.secretId), [rotated.source?.secrets[0].secretId, source.source?.secrets[0].secretId]);
  assert.equal(listed?.secrets[0].expireTime, null);
  assert.ok(Number(listed?.secrets[1].expireTime?.seconds) > Date.now() / 1000);
  const trail = await waitFor('the rotation in the audit trail', async () => (await auditEvents(admin, `actionName = 'UPDATE_LOG_SOURCE'`))[0]);
  assert.equal(trail.actionResult, 'SUCCEEDED');
  assert.ok(!trail.input.includes(rotated.secret) && !trail.input.includes('crs_'), 'the trail never holds a secret');

  const signed = await admin.createSource({ sourceId: 'api-signed', logType: 'Panther.Audit', authMode: 'SOURCE_AUTH_MODE_HMAC_SHA256', rateLimitPerSecond: 20 });
  assert.deepEqual([signed.source?.authMode, signed.source?.authHeader, signed.source?.rateLimitPerSecond], ['SOURCE_AUTH_MODE_HMAC_SHA256', 'x-caracal-signature-256', 20]);
  const badHeader = await grpcError(admin.createSource({ sourceId: 'bad-header', logType: 'Panther.Audit', authHeader: 'content-type' }));
  assert.equal(badHeader.code, grpc.status.INVALID_ARGUMENT);
  assert.match(badHeader.details, /source auth header "content-type" cannot carry a secret/);
  const bad = await grpcError(admin.createSource({ sourceId: 'bad', logType: 'Nope.Logs' }));
  assert.equal(bad.code, grpc.status.INVALID_ARGUMENT);
  assert.match(bad.details, /log type "Nope.Logs"/);
});

test('the CLI works against any endpoint: a new tenant, its token, its detections', () => {
  const made = runCaracal(['tenants', 'create', 'initech', '--name', 'Initech'], env);
  assert.equal(made.status, 0, made.stderr);
  const token = /^\s+(crc_\S+)$/m.exec(made.stdout)?.[1];
  assert.ok(token, made.stdout);
  // Flags against a fresh environment: nothing is taken from the data dir's demo credentials.
  const apiEnv = { ...env, CARACAL_ENDPOINT: endpoint, CARACAL_TOKEN: token };
  const list = runCaracal(['detections', 'list', '--format', 'json'], apiEnv);
  assert.equal(list.status, 0, list.stderr);
  assert.ok((JSON.parse(list.stdout) as { ruleId: string }[]).some((d) => d.ruleId === 'Panther.Detection.Deleted'));
  const reader = runCaracal(['tokens', 'create', '--name', 'viewer', '--role', 'read-only'], apiEnv);
  assert.equal(reader.status, 0, reader.stderr);
  const readerToken = /(crc_\S+)/.exec(reader.stdout)?.[1];
  assert.ok(readerToken, reader.stdout);
  const denied = runCaracal(['detections', 'delete', 'Panther.Detection.Deleted', '--endpoint', endpoint, '--token', readerToken], env);
  assert.equal(denied.status, 1);
  assert.match(denied.stderr, /read-only role; DetectionService\/DeleteDetection needs one of the admin or analyst roles/);
});

test('health and server reflection answer', async () => {
  const def = protoLoader.loadSync('grpc/reflection/v1/reflection.proto', {
    includeDirs: [path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto')],
  });
  const proto = grpc.loadPackageDefinition(def) as unknown as {
    grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } };
  };
  const reflection = new proto.grpc.reflection.v1.ServerReflection(endpoint, grpc.credentials.createInsecure());
  const services = await new Promise<string[]>((resolve, reject) => {
    const call = reflection.ServerReflectionInfo() as grpc.ClientDuplexStream<object, { listServicesResponse?: { service: { name: string }[] } }>;
    call.on('data', (m) => {
      resolve((m.listServicesResponse?.service ?? []).map((s: { name: string }) => s.name));
      call.end();
    });
    call.on('error', reject);
    call.write({ listServices: '' });
  });
  reflection.close();
  for (const s of ['caracal.query.v1.QueryService', 'caracal.alert.v1.AlertService', 'caracal.detection.v1.DetectionService', 'caracal.source.v1.SourceService', 'caracal.token.v1.TokenService', 'caracal.schedule.v1.ScheduleService']) {
    assert.ok(services.includes(s), `${s} in ${services.join(', ')}`);
  }
});
