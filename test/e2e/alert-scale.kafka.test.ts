import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Partitioners } from 'kafkajs';
import { CaracalClient } from '@caracal/api';
import { ControlStore } from '@caracal/core/control-plane';
import { Topics } from '@caracal/bus';
import { ALERT_STAGE_GROUP } from '@caracal/alert-stage';
import { ALERT_WRITER_GROUP } from '@caracal/clickhouse-writer';
import { RULES_WORKER_GROUP } from '@caracal/rules-worker';
import { CaracalProcess } from '../support/caracal-process';
import { groupLag, topicMessageCount } from '../support/kafka-lag';
import { freePort, kafkaBrokers, redisUrl, repoRoot, tempDir, uniqueName } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// The scale check: 3 rules-workers and 3 alert-stage instances on 3
// partitions, 10,000 matching events over 50 dedup keys, one rules-worker
// killed with SIGKILL mid-stream. Exactly 50 alerts must come out, with
// event counts summing to 10,000.
const EVENTS = 10_000;
const PER_REQUEST = 100;
const PARTITIONS = 3;
// Events are partitioned by tenant: 5 tenants placed 2, 2 and 1 on the
// partitions keep all three workers busy. 5 tenants x 10 actors = 50 dedup keys.
const TENANTS_PER_PARTITION = [2, 2, 1];
const ACTORS_PER_TENANT = 10;

/** Tenant ids that the producer's partitioner spreads evenly over the partitions. */
function spreadTenants(): string[] {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: PARTITIONS }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  const byPartition: string[][] = Array.from({ length: PARTITIONS }, () => []);
  for (let i = 0; byPartition.some((p, n) => p.length < TENANTS_PER_PARTITION[n]); i++) {
    const id = `scale-${i}`;
    const n = partitioner({ topic: 'logs', partitionMetadata, message: { key: id, value: null } });
    if (byPartition[n].length < TENANTS_PER_PARTITION[n]) byPartition[n].push(id);
  }
  return byPartition.flat();
}

const TENANTS = spreadTenants();
const KEYS = TENANTS.length * ACTORS_PER_TENANT;

const dataDir = tempDir('alert-scale');
const controlFile = path.join(dataDir, 'control.json');
const prefix = uniqueName('scale');
const workers: CaracalProcess[] = [];
const others: CaracalProcess[] = [];
let ingestBase: string;
const secrets = new Map<string, string>();
const clients = new Map<string, CaracalClient>();

function scaleEvent(i: number) {
  return {
    actionName: 'UPDATE_USER',
    actionParams: { dynamic: { input: { scaleTest: true, n: i } } },
    actionResult: 'SUCCEEDED',
    actor: { id: `actor-${i % ACTORS_PER_TENANT}`, name: `actor-${i % ACTORS_PER_TENANT}@example.com`, type: 'USER' },
    pantherVersion: '1.74.6',
    sourceIP: '203.0.113.10',
    timestamp: new Date(Date.now() - 1000).toISOString(),
  };
}

before(async () => {
  assert.equal(KEYS, 50);
  const control = ControlStore.open(controlFile);
  const tokens = new Map<string, string>();
  for (const tenant of TENANTS) {
    control.createTenant(tenant);
    secrets.set(tenant, control.createSource({ id: `${tenant}-audit`, tenantId: tenant, logType: 'Panther.Audit' }).secret);
    tokens.set(tenant, control.createToken({ tenantId: tenant, name: 'scale-test', role: 'admin' }).token);
  }
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const env = {
    CARACAL_MODE: 'kafka',
    CARACAL_KAFKA_BROKERS: kafkaBrokers(),
    CARACAL_REDIS_URL: redisUrl(),
    CARACAL_KAFKA_TOPIC_PREFIX: prefix,
    CARACAL_KAFKA_TOPIC_PARTITIONS: '3',
    CARACAL_DATA_DIR: dataDir,
    CARACAL_CONTROL_FILE: controlFile,
    CARACAL_RULES_DIR: path.join(repoRoot(), 'test', 'fixtures', 'alert-scale-rules'),
    CARACAL_BIND_HOST: '127.0.0.1',
    CARACAL_HTTP_PORT: String(httpPort),
    CARACAL_GRPC_PORT: String(grpcPort),
    // Small batches and one thread each: more batches in flight when the worker dies.
    CARACAL_BATCH_MAX_EVENTS: '200',
    CARACAL_DETECTION_PROCESSES_PER_TENANT: '1',
    CARACAL_LOG_LEVEL: 'warn',
  };
  others.push(new CaracalProcess(['serve', 'clickhouse-writer,query'], env));
  others.push(new CaracalProcess(['serve', 'ingest'], env));
  for (let i = 0; i < 3; i++) others.push(new CaracalProcess(['serve', 'alert-stage'], env));
  for (let i = 0; i < 3; i++) workers.push(new CaracalProcess(['serve', 'rules-worker'], env));
  await Promise.all([...others, ...workers].map((p) => p.waitForOutput(/caracal: serving/, 180_000)));
  ingestBase = `http://127.0.0.1:${httpPort}/http`;
  for (const [tenant, token] of tokens) clients.set(tenant, new CaracalClient(`127.0.0.1:${grpcPort}`, token));
});

after(async () => {
  await Promise.all([...others, ...workers].map((p) => p.stop()));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** What each (tenant, actor) key must count: request n goes to tenant n mod 5 and holds 10 events of each actor. */
function expectedCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (let start = 0, n = 0; start < EVENTS; start += PER_REQUEST, n++) {
    for (let i = start; i < start + PER_REQUEST; i++) {
      const key = `${TENANTS[n % TENANTS.length]}|actor-${i % ACTORS_PER_TENANT}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** Sends events `from`..`to` (global numbering), each request to one tenant in turn. */
async function send(from: number, to: number): Promise<void> {
  for (let start = from, n = 0; start < to; start += PER_REQUEST, n++) {
    const tenant = TENANTS[n % TENANTS.length];
    const body = Array.from({ length: Math.min(PER_REQUEST, to - start) }, (_, k) => scaleEvent(start + k));
    const res = await fetch(`${ingestBase}/${tenant}-audit`, { method: 'POST', headers: { 'x-caracal-secret': secrets.get(tenant)! }, body: JSON.stringify(body) });
    assert.equal(res.status, 200, await res.text());
  }
}

async function allAlerts() {
  const out = [];
  for (const [tenant, client] of clients) {
    let pageToken = '';
    do {
      const page = await client.listAlerts({ pageSize: 100, pageToken });
      out.push(...page.alerts.map((a) => ({ ...a, tenant })));
      pageToken = page.nextPageToken;
    } while (pageToken);
  }
  return out;
}

test('3 rules-workers, 3 alert-stage partitions, a worker killed mid-stream: exactly 50 alerts counting 10,000 events', async (t) => {
  await send(0, EVENTS / 2);
  // Kill a worker once it is demonstrably working, while events are still coming.
  await waitFor('the first rule matches', async () => ((await topicMessageCount(prefix, Topics.ruleMatches)) > 0 ? true : undefined), 120_000);
  workers[0].child.kill('SIGKILL');
  await send(EVENTS / 2, EVENTS);

  // Settled means every stage has committed everything published to it.
  await waitFor(
    'every stage to catch up',
    async () => {
      const lags = await Promise.all([
        groupLag(prefix, RULES_WORKER_GROUP, [Topics.logs('Panther.Audit')]),
        groupLag(prefix, ALERT_STAGE_GROUP, [Topics.ruleMatches, Topics.ruleErrors]),
        groupLag(prefix, ALERT_WRITER_GROUP, [Topics.alerts, Topics.alertEvents]),
      ]);
      return lags.every((l) => l === 0) ? true : undefined;
    },
    240_000,
    1000,
  );
  const published = await topicMessageCount(prefix, Topics.ruleMatches);
  t.diagnostic(`rule matches published: ${published} (${published - EVENTS} replayed by the restarted partitions)`);

  const alerts = await waitFor('the alerts in the lake', async () => {
    const list = await allAlerts();
    return list.reduce((n, a) => n + Number(a.eventCount), 0) >= EVENTS ? list : undefined;
  });
  assert.equal(alerts.length, KEYS, 'one alert per dedup key');
  assert.equal(alerts.reduce((n, a) => n + Number(a.eventCount), 0), EVENTS, 'event counts sum to the events sent');
  assert.deepEqual(new Map(alerts.map((a) => [`${a.tenant}|${a.dedup}`, Number(a.eventCount)])), expectedCounts(), 'each key counts exactly its events');
  assert.equal(new Set(alerts.map((a) => a.alertId)).size, KEYS);

  let rowEvents = 0;
  for (const client of clients.values()) {
    const [row] = (await client.executeQuery('SELECT uniqExact(p_row_id) AS events, uniqExact(p_alert_id) AS alerts FROM panther_rule_matches.panther_audit')).rows;
    assert.equal(Number(row.alerts), ACTORS_PER_TENANT, 'each tenant\'s rows name its own 10 alerts');
    rowEvents += Number(row.events);
  }
  assert.equal(rowEvents, EVENTS, 'every matched event is a rule-match row, once');
});
