import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ControlStore } from '@caracal/core/control-plane';
import { dataLakeQueryEvent, deleteDetectionEvent } from '../support/audit-events';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { freePort, kafkaBrokers, redisUrl, repoRoot, tempDir, uniqueName } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const EXPECTED_TITLE = "Detection 'GitHub.Team.Modified' deleted by user homer@springfield.gov";

// Each service its own process, talking through the real Kafka broker. The
// embedded chDB lake keeps writer and query together (see docs/decisions).
const dataDir = tempDir('e2e-kafka');
const controlFile = path.join(dataDir, 'control.json');
const processes: CaracalProcess[] = [];
let clientEnv: Record<string, string>;
let sourceSecret: string;
let ingestUrl: string;

before(async () => {
  const control = ControlStore.open(controlFile);
  control.createTenant('acme');
  control.createTenant('globex');
  sourceSecret = control.createSource({ id: 'acme-audit', tenantId: 'acme', logType: 'Panther.Audit' }).secret;
  const globexSecret = control.createSource({ id: 'globex-audit', tenantId: 'globex', logType: 'Panther.Audit' }).secret;
  const token = control.createToken({ tenantId: 'acme', name: 'e2e', role: 'admin' }).token;
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const env = {
    CARACAL_MODE: 'kafka',
    CARACAL_KAFKA_BROKERS: kafkaBrokers(),
    CARACAL_REDIS_URL: redisUrl(),
    CARACAL_KAFKA_TOPIC_PREFIX: uniqueName('e2e'),
    CARACAL_DATA_DIR: dataDir,
    CARACAL_CONTROL_FILE: controlFile,
    CARACAL_RULES_DIR: path.join(repoRoot(), 'rules'),
    CARACAL_BIND_HOST: '127.0.0.1',
    CARACAL_HTTP_PORT: String(httpPort),
    CARACAL_GRPC_PORT: String(grpcPort),
    CARACAL_LOG_LEVEL: 'warn',
  };
  for (const services of ['ingest', 'rules-worker', 'alert-stage', 'clickhouse-writer,query']) {
    processes.push(new CaracalProcess(['serve', services], env));
  }
  await Promise.all(processes.map((p) => p.waitForOutput(/caracal: serving/)));
  ingestUrl = `http://127.0.0.1:${httpPort}`;
  clientEnv = { CARACAL_DATA_DIR: dataDir, CARACAL_ENDPOINT: `127.0.0.1:${grpcPort}`, CARACAL_TOKEN: token };

  // Another tenant's delete event: acme must never see it.
  const res = await fetch(`${ingestUrl}/http/globex-audit`, {
    method: 'POST',
    headers: { 'x-caracal-secret': globexSecret },
    body: JSON.stringify(deleteDetectionEvent('Okta.Admin.Role', 'burns@globex.example')),
  });
  assert.equal(res.status, 200);
});

after(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function cli(args: string[]) {
  const r = runCaracal(args, clientEnv);
  assert.equal(r.status, 0, `caracal ${args.join(" ")} failed: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test('kafka mode: the deleted-detection alert, the seed query, and silence for other events', async () => {
  const file = path.join(dataDir, 'events.json');
  fs.writeFileSync(file, JSON.stringify([dataLakeQueryEvent(), deleteDetectionEvent()]));
  const sent = runCaracal(['send', '--source', 'acme-audit', '--url', ingestUrl, `--secret=${sourceSecret}`, '--format', 'json', file], clientEnv);
  assert.equal(sent.status, 0, sent.stderr);
  assert.match(sent.stdout, /"accepted":2/);

  const alerts = await waitFor('the deleted-detection alert', async () => {
    const list = JSON.parse(cli(['alerts', 'list', '--format', 'json'])) as Record<string, unknown>[];
    return list.length > 0 ? list : undefined;
  }, 90_000);
  assert.equal(alerts.length, 1, 'exactly one alert for tenant acme');
  assert.equal(alerts[0].title, EXPECTED_TITLE);
  assert.equal(alerts[0].ruleId, 'Panther.Detection.Deleted');

  const rows = await waitFor('the seed query to return both events', async () => {
    // Without Caracal's own audit events of these very CLI calls (source caracal-api).
    const r = JSON.parse(cli(['query', "SELECT * FROM panther_logs.panther_audit WHERE p_occurs_since('1 day') AND p_source_id != 'caracal-api'", '--format', 'json']));
    return r.length >= 2 ? (r as Record<string, unknown>[]) : undefined;
  });
  assert.equal(rows.length, 2);
  assert.ok(rows.every((r) => r.p_tenant_id === 'acme'), 'only the caller tenant rows');
  const matches = JSON.parse(cli(['query', 'SELECT actionName FROM panther_rule_matches.panther_audit', '--format', 'json']));
  assert.deepEqual(matches, [{ actionName: 'DELETE_DETECTION' }]);
});

test('kafka mode: a wrong source secret is refused with a clear error', async () => {
  const res = await fetch(`${ingestUrl}/http/acme-audit`, {
    method: 'POST',
    headers: { 'x-caracal-secret': 'not-the-secret' },
    body: JSON.stringify(deleteDetectionEvent()),
  });
  assert.equal(res.status, 401);
  assert.match(await res.text(), /wrong secret for source \\"acme-audit\\"/);
});
