import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ControlStore } from '@caracal/core/control-plane';
import { dataLakeQueryEvent, deleteDetectionEvent } from '../support/audit-events';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { freePort, kafkaBrokers, redisUrl, repoRoot, tempDir, uniqueName } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// Kafka mode, each service its own process on the real broker, the run
// ledger in the real Redis, the content of both scheduled fixtures: a
// RateMinutes: 1 scheduled rule raises its alert within two minutes of its
// events, and the correlation rules theirs, each tenant on its own signals.
const QUERY = 'Detections Deleted Per Actor';
const WITHIN_TWO_MINUTES_MS = 120_000;
const dataDir = tempDir('e2e-kafka-scheduled');
const controlFile = path.join(dataDir, 'control.json');
const processes: CaracalProcess[] = [];
const clientEnv: Record<string, Record<string, string>> = {};
const secrets: Record<string, string> = {};
let ingestUrl: string;

before(async () => {
  const control = ControlStore.open(controlFile);
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  for (const tenant of ['acme', 'globex']) {
    control.createTenant(tenant);
    secrets[tenant] = control.createSource({ id: `${tenant}-audit`, tenantId: tenant, logType: 'Panther.Audit' }).secret;
    const token = control.createToken({ tenantId: tenant, name: 'e2e', role: 'admin' }).token;
    clientEnv[tenant] = { CARACAL_DATA_DIR: dataDir, CARACAL_ENDPOINT: `127.0.0.1:${grpcPort}`, CARACAL_TOKEN: token };
  }
  const env = {
    CARACAL_MODE: 'kafka',
    CARACAL_KAFKA_BROKERS: kafkaBrokers(),
    CARACAL_REDIS_URL: redisUrl(),
    CARACAL_KAFKA_TOPIC_PREFIX: uniqueName('e2e-sched'),
    CARACAL_DATA_DIR: dataDir,
    CARACAL_CONTROL_FILE: controlFile,
    CARACAL_RULES_DIR: path.join(repoRoot(), 'test', 'fixtures', 'schedules'),
    CARACAL_BIND_HOST: '127.0.0.1',
    CARACAL_HTTP_PORT: String(httpPort),
    CARACAL_GRPC_PORT: String(grpcPort),
    CARACAL_LOG_LEVEL: 'warn',
  };
  for (const services of ['ingest', 'rules-worker', 'alert-stage', 'clickhouse-writer,api']) {
    processes.push(new CaracalProcess(['serve', services], env));
  }
  await Promise.all(processes.map((p) => p.waitForOutput(/caracal: serving/)));
  ingestUrl = `http://127.0.0.1:${httpPort}`;
});

after(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function json<T>(tenant: string, args: string[]): T {
  const r = runCaracal([...args, '--format', 'json'], clientEnv[tenant]);
  assert.equal(r.status, 0, `caracal ${args.join(' ')} failed: ${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

async function send(tenant: string, events: unknown[]): Promise<void> {
  const res = await fetch(`${ingestUrl}/http/${tenant}-audit`, { method: 'POST', headers: { 'x-caracal-secret': secrets[tenant] }, body: JSON.stringify(events) });
  assert.equal(res.status, 200, await res.text());
}

test("kafka mode: a RateMinutes: 1 scheduled rule alerts within two minutes, on its tenant's rows only, one run per tick", async () => {
  // Homer runs a query first: the sequence correlation rule, not the absence one.
  await send('acme', [dataLakeQueryEvent('homer@springfield.gov'), ...['A', 'B', 'C'].map((d) => deleteDetectionEvent(`Rule.${d}`, 'homer@springfield.gov'))]);
  // globex deletes as many: the same content, its own lake, its own alert.
  await send('globex', ['A', 'B', 'C'].map((d) => deleteDetectionEvent(`Rule.${d}`, 'burns@globex.example')));
  const sentAt = Date.now();

  type Alert = { ruleId: string; type: string; title: string };
  const scheduledAlerts = (tenant: string) => json<Alert[]>(tenant, ['alerts', 'list']).filter((a) => a.type === 'SCHEDULED_RULE');
  const acme = await waitFor('the acme scheduled rule alert', async () => (scheduledAlerts('acme').length > 0 ? scheduledAlerts('acme') : undefined), WITHIN_TWO_MINUTES_MS, 1000);
  assert.ok(Date.now() - sentAt < WITHIN_TWO_MINUTES_MS);
  assert.deepEqual(acme.map((a) => a.title), ['homer@springfield.gov deleted 3 detections within an hour']);
  const globex = await waitFor('the globex scheduled rule alert', async () => (scheduledAlerts('globex').length > 0 ? scheduledAlerts('globex') : undefined), WITHIN_TWO_MINUTES_MS, 1000);
  assert.deepEqual(globex.map((a) => a.title), ['burns@globex.example deleted 3 detections within an hour']);

  for (const tenant of ['acme', 'globex']) {
    const runs = json<{ queryName: string; scheduledTime: string; outcome: string }[]>(tenant, ['schedules', 'runs', '--query', QUERY]);
    assert.ok(runs.length >= 1);
    assert.ok(runs.every((r) => r.queryName === QUERY && r.outcome === 'SUCCEEDED'), JSON.stringify(runs));
    assert.equal(new Set(runs.map((r) => r.scheduledTime)).size, runs.length, `${tenant}: no tick ran twice`);
    const actors = json<{ actor: string }[]>(tenant, ['query', 'SELECT DISTINCT toString(row_data.actor_name) AS actor FROM panther_rule_matches.scheduled_queries']);
    assert.deepEqual(actors.map((a) => a.actor), [tenant === 'acme' ? 'homer@springfield.gov' : 'burns@globex.example']);
  }
});

test('kafka mode: the correlation rules alert per tenant on its own signals: a sequence for acme, an absence for globex', async () => {
  type Alert = { ruleId: string; type: string; title: string };
  const correlationAlerts = (tenant: string) => json<Alert[]>(tenant, ['alerts', 'list']).filter((a) => a.type === 'CORRELATION_RULE');
  const of = (tenant: string) => waitFor(`the ${tenant} correlation alert`, async () => (correlationAlerts(tenant).length > 0 ? correlationAlerts(tenant) : undefined), WITHIN_TWO_MINUTES_MS, 1000);
  const [acme, globex] = [await of('acme'), await of('globex')];
  assert.deepEqual(acme.map((a) => [a.ruleId, a.title]), [['Fixture.Query.Then.Delete', 'A query, then a detection deleted by the same person (homer@springfield.gov)']]);
  assert.deepEqual(globex.map((a) => [a.ruleId, a.title]), [['Fixture.Delete.Without.Query', 'A detection deleted by someone who ran no query (burns@globex.example)']]);
});
