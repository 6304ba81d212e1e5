import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ControlStore } from '@caracal/core/control-plane';
import { dataLakeQueryEvent } from '../support/audit-events';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { postToSource } from '../support/ingest-http';
import { freePort, kafkaBrokers, redisUrl, tempDir, uniqueName } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// `caracal status` over separate kafka-mode processes on the dev broker: found
// through their records in a shared data dir or named with --ops, each with
// its own services, and the lag of the stages they consume.
const dataDir = tempDir('e2e-status-kafka');
const rulesDir = path.join(dataDir, 'rules');
const controlFile = path.join(dataDir, 'control.json');
const TENANT = 'status-tenant';
const SOURCE = 'status-audit';
const env = {
  CARACAL_MODE: 'kafka',
  CARACAL_KAFKA_BROKERS: kafkaBrokers(),
  CARACAL_REDIS_URL: redisUrl(),
  CARACAL_KAFKA_TOPIC_PREFIX: uniqueName('status'),
  CARACAL_KAFKA_TOPIC_PARTITIONS: '2',
  CARACAL_DATA_DIR: dataDir,
  CARACAL_CONTROL_FILE: controlFile,
  CARACAL_RULES_DIR: rulesDir,
  CARACAL_BIND_HOST: '127.0.0.1',
  CARACAL_LOG_LEVEL: 'warn',
  CARACAL_DETECTION_PROCESSES_PER_TENANT: '1',
};
const processes: CaracalProcess[] = [];
let secret: string;
let ingestHttp: string;
let ingestOps: string;
let workerOps: string;

interface Facts {
  ok: boolean;
  mode: string;
  dataDir: { bytes: number | null };
  processes: { url: string; up: boolean; ready: boolean; services: string[]; notReady: string[]; error?: string }[];
  stages: { id: string; lag: number | null }[];
  errors: { time: string; level: string; service: string; message: string; process: string }[];
}

function status(...args: string[]): { code: number | null; facts: Facts } {
  const r = runCaracal(['status', '--format', 'json', ...args], env);
  try {
    return { code: r.status, facts: JSON.parse(r.stdout) as Facts };
  } catch {
    throw new Error(`caracal status printed no JSON (exit ${r.status}): ${r.stdout}${r.stderr}`);
  }
}

async function serve(services: string): Promise<string> {
  const [httpPort, opsPort] = [await freePort(), await freePort()];
  const p = new CaracalProcess(['serve', services], { ...env, CARACAL_HTTP_PORT: String(httpPort), CARACAL_OPS_PORT: String(opsPort) });
  processes.push(p);
  await p.waitForOutput(/caracal: serving/, 180_000);
  if (services === 'ingest') ingestHttp = `http://127.0.0.1:${httpPort}`;
  return `http://127.0.0.1:${opsPort}`;
}

before(async () => {
  fs.mkdirSync(rulesDir, { recursive: true });
  const control = ControlStore.open(controlFile);
  control.createTenant(TENANT);
  secret = control.createSource({ id: SOURCE, tenantId: TENANT, logType: 'Panther.Audit' }).secret;
  [ingestOps, workerOps] = await Promise.all([serve('ingest'), serve('rules-worker,alert-stage')]);
});

after(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the recorded processes and the ones named with --ops give the same status: each its services, all ready', async () => {
  const recorded = await waitFor('both processes ready', async () => {
    const s = status();
    return s.code === 0 && s.facts.processes.length === 2 ? s.facts : undefined;
  }, 120_000);
  assert.equal(recorded.mode, 'kafka');
  const services = Object.fromEntries(recorded.processes.map((p) => [p.url, p.services]));
  assert.deepEqual(services, { [ingestOps]: ['ingest'], [workerOps]: ['rules-worker', 'alert-stage'] });
  assert.ok((recorded.dataDir.bytes ?? 0) > 0);
  const named = status('--ops', `${ingestOps},${workerOps}`);
  assert.equal(named.code, 0);
  assert.deepEqual(named.facts.processes.map((p) => [p.url, p.up, p.ready]), [
    [ingestOps, true, true],
    [workerOps, true, true],
  ]);

  const sent = await postToSource(ingestHttp, SOURCE, JSON.stringify(dataLakeQueryEvent()), { 'content-type': 'application/json', 'x-caracal-secret': secret });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  await waitFor('the rules stage lag', async () => {
    const s = status('--ops', workerOps);
    const rules = s.facts.stages.find((st) => st.id === 'rules');
    return typeof rules?.lag === 'number' ? rules : undefined;
  }, 120_000);
});

test('a named endpoint that does not answer is down, naming its URL, and the exit code is 1', async () => {
  const closed = `http://127.0.0.1:${await freePort()}`;
  const s = status('--ops', ingestOps, '--ops', closed);
  assert.equal(s.code, 1);
  assert.deepEqual(s.facts.processes.map((p) => [p.url, p.up]), [
    [ingestOps, true],
    [closed, false],
  ]);
  assert.match(s.facts.processes[1].error ?? '', new RegExp(`^${closed}/\\w+ did not answer: ECONNREFUSED`));
  const table = runCaracal(['status', '--ops', `${ingestOps},${closed}`], env);
  assert.equal(table.status, 1);
  assert.match(table.stdout, /^Caracal is degraded \(kafka mode\): 1 down of 2 processes$/m);
});

test('a process whose broker is unreachable is not ready, names the bus, and its last errors reach the status', async () => {
  const opsPort = await freePort();
  const lost = new CaracalProcess(['serve', 'rules-worker'], {
    ...env,
    CARACAL_KAFKA_BROKERS: `127.0.0.1:${await freePort()}`,
    CARACAL_KAFKA_REQUEST_TIMEOUT_MS: '1000',
    CARACAL_OPS_PORT: String(opsPort),
  });
  processes.push(lost);
  const url = `http://127.0.0.1:${opsPort}`;
  const s = await waitFor('an error in the status of the lost process', async () => {
    const r = status('--ops', url);
    return r.facts.processes[0]?.up && r.facts.errors.length > 0 ? r : undefined;
  }, 120_000);
  assert.equal(s.code, 1);
  const [proc] = s.facts.processes;
  assert.equal(proc.ready, false);
  assert.ok(proc.notReady.some((r) => r.startsWith('bus: ')), proc.notReady.join('; '));
  for (const e of s.facts.errors) {
    assert.equal(e.process, url);
    assert.ok(e.level === 'error' || e.level === 'fatal');
    assert.ok(!Number.isNaN(Date.parse(e.time)));
    assert.ok(e.message.length > 0);
  }
  await lost.stop();
});
