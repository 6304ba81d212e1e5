import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageBus, MessageBus, Topics } from '@caracal/bus';
import { startCaracal, RunningCaracal } from '@caracal/runtime';
import { createLogger, loadConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { dataLakeQueryEvent } from '../support/audit-events';
import { postToSource } from '../support/ingest-http';
import { freePort, redisUrl, repoRoot, tempDir, uniqueName } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// A broker of this test's own (the suite's shared one must not go down under
// other tests), stopped while events stream in and started again: every event
// ingest answered 2xx for must be in Kafka afterwards.
const dir = tempDir('ingest-broker-restart');
const REQUESTS = 60;
const EVENTS_PER_REQUEST = 50;
const SENDERS = 3;
let brokerEnv: Record<string, string>;
let brokers: string;
let running: RunningCaracal | undefined;
let bus: MessageBus | undefined;

function kafka(command: 'start' | 'stop', fresh = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(repoRoot(), 'scripts', 'kafka.sh'), command, ...(fresh ? ['--fresh'] : [])], {
      env: { ...process.env, ...brokerEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kafka.sh ${command} exited ${code}: ${err.slice(-2000)}`))));
  });
}

before(async () => {
  const [port, controllerPort] = [await freePort(), await freePort()];
  brokerEnv = { CARACAL_KAFKA_PORT: String(port), CARACAL_KAFKA_CONTROLLER_PORT: String(controllerPort), CARACAL_KAFKA_RUN_DIR: path.join(dir, 'kafka') };
  brokers = `127.0.0.1:${port}`;
  await kafka('start', true);
});

after(async () => {
  await running?.close();
  await bus?.close();
  spawnSync('bash', [path.join(repoRoot(), 'scripts', 'kafka.sh'), 'stop'], { env: { ...process.env, ...brokerEnv } });
  fs.rmSync(dir, { recursive: true, force: true });
});

test('broker stopped mid-stream and restarted: 503 with Retry-After meanwhile, and nothing answered 2xx is lost', async (t) => {
  const config = loadConfig({
    CARACAL_MODE: 'kafka',
    CARACAL_KAFKA_BROKERS: brokers,
    CARACAL_REDIS_URL: redisUrl(),
    CARACAL_KAFKA_TOPIC_PREFIX: uniqueName('restart'),
    CARACAL_KAFKA_TOPIC_PARTITIONS: '1',
    CARACAL_DATA_DIR: dir,
    CARACAL_HTTP_PORT: '0',
    CARACAL_OPS_PORT: '0',
    CARACAL_LOG_LEVEL: 'silent',
    CARACAL_INGEST_PUBLISH_TIMEOUT_MS: '3000',
    CARACAL_INGEST_RETRY_AFTER_SECONDS: '1',
    CARACAL_KAFKA_REQUEST_TIMEOUT_MS: '3000',
  });
  const control = ControlStore.open(config.controlFile);
  control.createTenant('acme');
  const secret = control.createSource({ id: 'stream', tenantId: 'acme', logType: 'Panther.Audit', rateLimitPerSecond: 100000 }).secret;
  running = await startCaracal(config, ['ingest'], createLogger('silent'));
  const base = `http://127.0.0.1:${running.httpPort}`;

  const acked = new Set<string>();
  const statuses = new Map<number, number>();
  const retryAfters = new Set<string>();
  let next = 0;
  let outage: Promise<void> | undefined;
  const sender = async () => {
    while (next < REQUESTS) {
      const request = next++;
      const ids = Array.from({ length: EVENTS_PER_REQUEST }, (_, i) => `r${request}-e${i}`);
      const body = ids.map((id) => JSON.stringify({ ...dataLakeQueryEvent(), userAgent: id })).join('\n');
      for (;;) {
        const answer = await postToSource(base, 'stream', body, { 'x-caracal-secret': secret });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 200) {
          assert.equal(answer.body.accepted, EVENTS_PER_REQUEST);
          ids.forEach((id) => acked.add(id));
          break;
        }
        assert.equal(answer.status, 503, `only the broker may fail a request here: ${JSON.stringify(answer.body)}`);
        retryAfters.add(answer.headers.get('retry-after') ?? '(none)');
        await new Promise((r) => setTimeout(r, Number(answer.headers.get('retry-after')) * 1000));
      }
      // A third of the way in, the broker goes away; it comes back once ingest has turned callers away.
      if (request === Math.floor(REQUESTS / 3) && !outage) {
        outage = (async () => {
          const t0 = Date.now();
          await kafka('stop');
          const stopped = Date.now();
          await waitFor('ingest to answer 503', async () => ((statuses.get(503) ?? 0) >= SENDERS ? true : undefined), 120_000);
          const refused = Date.now();
          await kafka('start');
          t.diagnostic(`broker stop ${stopped - t0} ms, first 503s after ${refused - stopped} ms, restart ${Date.now() - refused} ms`);
        })();
      }
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
  await outage;
  t.diagnostic(`statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);

  assert.ok((statuses.get(503) ?? 0) >= SENDERS, `503s while the broker was down: ${JSON.stringify([...statuses])}`);
  assert.deepEqual([...retryAfters], ['1'], 'every 503 says when to retry');
  assert.equal(acked.size, REQUESTS * EVENTS_PER_REQUEST);

  // Read back what Kafka holds; a timed-out send that landed after all is a duplicate the lake drops by p_row_id.
  bus = createMessageBus(config, createLogger('silent'));
  const inKafka = new Map<string, Set<string>>();
  const reader = bus.reader(Topics.logs('Panther.Audit'));
  await reader.run((_partition, messages) => {
    for (const m of messages) {
      const event = JSON.parse(m.value.toString('utf8')) as { userAgent: string; p_row_id: string };
      const ids = inKafka.get(event.userAgent) ?? new Set<string>();
      ids.add(event.p_row_id);
      inKafka.set(event.userAgent, ids);
    }
  });
  await reader.caughtUp(60_000);
  await reader.stop();
  const lost = [...acked].filter((id) => !inKafka.has(id));
  assert.deepEqual(lost, [], 'every acknowledged event is in Kafka');
  assert.ok([...inKafka.values()].every((ids) => ids.size === 1), 'a resent event kept its p_row_id');
});
