import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ControlStore } from '@caracal/core/control-plane';
import { Topics } from '@caracal/bus';
import { RULES_WORKER_GROUP } from '@caracal/rules-worker';
import { CaracalProcess } from '../support/caracal-process';
import { postToSource } from '../support/ingest-http';
import { topicMessageCount } from '../support/kafka-lag';
import { freePort, kafkaBrokers, redisUrl, tempDir, uniqueName } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// Readiness and graceful shutdown of separate processes on the dev broker:
// a rules-worker's /readyz while it loads, with its broker unreachable, and
// once ready; a SIGTERM mid-stream that commits exactly what was handled; and
// an ingest that answers the request in flight at SIGTERM and then refuses.
const EVENTS = 3000;
const PER_REQUEST = 100;
const dataDir = tempDir('ops-shutdown');
const controlFile = path.join(dataDir, 'control.json');
const rulesDir = path.join(dataDir, 'rules');
const prefix = uniqueName('ops');
const TENANT = 'ops-tenant';
const SOURCE = 'ops-audit';
const processes: CaracalProcess[] = [];
let secret: string;
let ingest: CaracalProcess;
let ingestHttpPort: number;
let ingestOpsPort: number;

interface Readiness {
  status: string;
  checks: Record<string, { status: string; error?: string; advisory?: boolean }>;
}

async function readyz(port: number): Promise<{ code: number; body: Readiness } | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { code: res.status, body: (await res.json()) as Readiness };
  } catch {
    return undefined; // not listening yet
  }
}

function baseEnv(): Record<string, string> {
  return {
    CARACAL_MODE: 'kafka',
    CARACAL_KAFKA_BROKERS: kafkaBrokers(),
    CARACAL_REDIS_URL: redisUrl(),
    CARACAL_KAFKA_TOPIC_PREFIX: prefix,
    CARACAL_KAFKA_TOPIC_PARTITIONS: '2',
    CARACAL_DATA_DIR: dataDir,
    CARACAL_CONTROL_FILE: controlFile,
    CARACAL_RULES_DIR: rulesDir,
    CARACAL_BIND_HOST: '127.0.0.1',
    CARACAL_LOG_LEVEL: 'warn',
  };
}

function start(args: string[], env: Record<string, string>): CaracalProcess {
  const p = new CaracalProcess(args, env);
  processes.push(p);
  return p;
}

function exitCode(p: CaracalProcess): Promise<number | null> {
  return p.child.exitCode !== null ? Promise.resolve(p.child.exitCode) : new Promise((resolve) => p.child.once('exit', (code) => resolve(code)));
}

function auditEvent(i: number) {
  return {
    actionName: 'UPDATE_USER',
    actionParams: { dynamic: { input: { n: i } } },
    actionResult: 'SUCCEEDED',
    actor: { id: `actor-${i % 7}`, name: `actor-${i % 7}@example.com`, type: 'USER' },
    pantherVersion: '1.74.6',
    sourceIP: '203.0.113.10',
    timestamp: new Date(Date.now() - 1000).toISOString(),
  };
}

/** The offsets the group committed on a topic, summed over its partitions (what it has handled). */
async function committed(groupId: string, topic: string): Promise<number> {
  const kafka = new Kafka({ clientId: 'caracal-test-committed', brokers: kafkaBrokers().split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId: prefix + groupId, topics: [prefix + topic] });
    return offsets.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

before(async () => {
  fs.mkdirSync(rulesDir, { recursive: true });
  // Matches every event, once each, and takes a moment per event: a stream long enough to stop in the middle.
  fs.writeFileSync(
    path.join(rulesDir, 'ops_every_event.py'),
    'def rule(event):\n    return sum(range(40000)) > 0\n\n\ndef dedup(event):\n    return event.deep_get("actor", "id")\n',
  );
  fs.writeFileSync(
    path.join(rulesDir, 'ops_every_event.yml'),
    [
      'AnalysisType: rule',
      'RuleID: Ops.Every.Event',
      'Filename: ops_every_event.py',
      'Enabled: true',
      'LogTypes:',
      '  - Panther.Audit',
      'Severity: Low',
      '',
    ].join('\n'),
  );
  const control = ControlStore.open(controlFile);
  control.createTenant(TENANT);
  secret = control.createSource({ id: SOURCE, tenantId: TENANT, logType: 'Panther.Audit' }).secret;
  [ingestHttpPort, ingestOpsPort] = [await freePort(), await freePort()];
  ingest = start(['serve', 'ingest'], { ...baseEnv(), CARACAL_HTTP_PORT: String(ingestHttpPort), CARACAL_OPS_PORT: String(ingestOpsPort) });
  await ingest.waitForOutput(/caracal: serving ingest/, 120_000);
});

after(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

let worker: CaracalProcess;
let workerOpsPort: number;

test('a rules-worker is not ready while its detections load, and ready with every check ok once they have', async () => {
  workerOpsPort = await freePort();
  worker = start(['serve', 'rules-worker'], {
    ...baseEnv(),
    CARACAL_OPS_PORT: String(workerOpsPort),
    CARACAL_BATCH_MAX_EVENTS: '25',
    CARACAL_DETECTION_PROCESSES_PER_TENANT: '1',
  });
  // The first answer comes while the interpreter is still starting.
  const first = await waitFor('the first /readyz answer', () => readyz(workerOpsPort), 60_000, 20);
  assert.equal(first.code, 503, JSON.stringify(first.body));
  assert.equal(first.body.status, 'not-ready');
  assert.deepEqual(first.body.checks.rules, { status: 'fail', error: 'detections not loaded yet' });
  const ready = await waitFor('/readyz 200', async () => {
    const r = await readyz(workerOpsPort);
    return r?.code === 200 ? r : undefined;
  }, 180_000);
  assert.deepEqual(ready.body, { status: 'ready', checks: { bus: { status: 'ok' }, rules: { status: 'ok' }, consumers: { status: 'ok' } } });
  await worker.waitForOutput(/caracal: serving rules-worker/);
});

test('a rules-worker whose broker is unreachable is not ready, and says it is the bus', async () => {
  const closedPort = await freePort();
  const opsPort = await freePort();
  const lost = start(['serve', 'rules-worker'], {
    ...baseEnv(),
    CARACAL_KAFKA_BROKERS: `127.0.0.1:${closedPort}`,
    CARACAL_KAFKA_REQUEST_TIMEOUT_MS: '1000',
    CARACAL_OPS_PORT: String(opsPort),
    CARACAL_DETECTION_PROCESSES_PER_TENANT: '1',
  });
  const answer = await waitFor('/readyz naming the bus', async () => {
    const r = await readyz(opsPort);
    return r?.body.checks.bus?.status === 'fail' ? r : undefined;
  }, 60_000, 50);
  assert.equal(answer.code, 503);
  assert.equal(answer.body.status, 'not-ready');
  assert.match(answer.body.checks.bus.error ?? '', /./, 'the failing check says why');
  await lost.stop();
});

test('ingest whose broker is unreachable stays ready and says so: senders get its 503 with Retry-After, not a Service with no endpoints', async () => {
  const closedPort = await freePort();
  const [httpPort, opsPort] = [await freePort(), await freePort()];
  const lost = start(['serve', 'ingest'], {
    ...baseEnv(),
    CARACAL_KAFKA_BROKERS: `127.0.0.1:${closedPort}`,
    CARACAL_KAFKA_REQUEST_TIMEOUT_MS: '1000',
    CARACAL_INGEST_PUBLISH_TIMEOUT_MS: '2000',
    CARACAL_HTTP_PORT: String(httpPort),
    CARACAL_OPS_PORT: String(opsPort),
  });
  await lost.waitForOutput(/caracal: serving ingest/, 120_000);
  const answer = await waitFor('/readyz reporting the bus', async () => {
    const r = await readyz(opsPort);
    return r?.body.checks.bus?.status === 'fail' ? r : undefined;
  }, 60_000, 50);
  assert.equal(answer.code, 200, JSON.stringify(answer.body));
  assert.equal(answer.body.status, 'ready');
  assert.equal(answer.body.checks.bus.advisory, true);
  const sent = await postToSource(`http://127.0.0.1:${httpPort}`, SOURCE, JSON.stringify(auditEvent(0)), { 'x-caracal-secret': secret });
  assert.equal(sent.status, 503, JSON.stringify(sent.body));
  assert.ok(Number(sent.headers.get('retry-after')) > 0, 'the 503 says when to come back');
  await lost.stop();
});

test('SIGTERM mid-stream: the rules-worker finishes its batch, commits exactly what it handled, and exits 0', async () => {
  const body = (from: number) => JSON.stringify(Array.from({ length: PER_REQUEST }, (_, k) => auditEvent(from + k)));
  for (let from = 0; from < EVENTS; from += PER_REQUEST) {
    const res = await fetch(`http://127.0.0.1:${ingestHttpPort}/http/${SOURCE}`, { method: 'POST', headers: { 'x-caracal-secret': secret }, body: body(from) });
    assert.equal(res.status, 200, await res.text());
  }
  // Stopped once it has published some matches: in the middle of the stream.
  await waitFor('the first rule matches', async () => ((await topicMessageCount(prefix, Topics.ruleMatches)) > 0 ? true : undefined), 120_000);
  worker.child.kill('SIGTERM');
  const code = await exitCode(worker);
  assert.equal(code, 0, `exit code; stderr:\n${worker.stderr.slice(-3000)}`);
  const handled = await committed(RULES_WORKER_GROUP, Topics.logs('Panther.Audit'));
  const matches = await topicMessageCount(prefix, Topics.ruleMatches);
  // Every event matches once, and matches are published before their batch commits: equal means
  // nothing handled was left uncommitted and nothing committed was left unhandled.
  assert.equal(handled, matches, `committed ${handled} events, published ${matches} matches`);
  assert.ok(handled > 0 && handled < EVENTS, `stopped mid-stream: ${handled} of ${EVENTS} handled`);
});

test('SIGTERM of ingest: the request in flight is answered, new connections are refused, exit 0', async () => {
  const event = JSON.stringify(auditEvent(EVENTS + 1));
  // Expect: 100-continue makes the server say when it has the request; its body follows only after SIGTERM.
  const req = http.request({
    host: '127.0.0.1',
    port: ingestHttpPort,
    method: 'POST',
    path: `/http/${SOURCE}`,
    headers: { 'x-caracal-secret': secret, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(event)), expect: '100-continue' },
  });
  const answer = new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
    req.once('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }));
    });
    req.once('error', reject);
  });
  await new Promise<void>((resolve) => req.once('continue', () => resolve()));
  ingest.child.kill('SIGTERM');
  await waitFor('ingest /readyz to report the shutdown', async () => ((await readyz(ingestOpsPort))?.body.checks.shutdown ? true : undefined), 30_000, 20);
  const refused = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const socket = net.connect(ingestHttpPort, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (err) => resolve(err));
  });
  assert.equal(refused?.code, 'ECONNREFUSED', 'a new connection is refused once shutdown began');
  req.end(event);
  const res = await answer;
  assert.equal(res.status, 200, res.body);
  assert.equal((JSON.parse(res.body) as { accepted: number }).accepted, 1);
  assert.equal(res.connection, 'close', 'the connection is not kept for more requests');
  assert.equal(await exitCode(ingest), 0, `stderr:\n${ingest.stderr.slice(-3000)}`);
});
