import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ControlStore } from '@caracal/core/control-plane';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { replayScenario } from '../support/replay-scenario';
import { freePort, kafkaBrokers, redisUrl, repoRoot, tempDir, uniqueName } from '../support/test-env';

// Kafka mode, each service its own process on the real broker and the live
// cache in the real Redis: the replay runs in the API process, with a cache of
// its own, and reports exactly the alerts the stream raised for the tenant
// that runs the changed rule live (test/support/replay-scenario.ts).
const dataDir = tempDir('e2e-kafka-replay');
const controlFile = path.join(dataDir, 'control.json');
const processes: CaracalProcess[] = [];
const clientEnv: Record<string, Record<string, string>> = {};
const secrets: Record<string, string> = {};
let ingestUrl: string;

before(async () => {
  const control = ControlStore.open(controlFile);
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  for (const tenant of ['acme', 'globex', 'initech']) {
    control.createTenant(tenant);
    secrets[tenant] = control.createSource({ id: `${tenant}-audit`, tenantId: tenant, logType: 'Panther.Audit' }).secret;
    const token = control.createToken({ tenantId: tenant, name: 'e2e', role: 'admin' }).token;
    clientEnv[tenant] = { CARACAL_DATA_DIR: dataDir, CARACAL_ENDPOINT: `127.0.0.1:${grpcPort}`, CARACAL_TOKEN: token };
  }
  const env = {
    CARACAL_MODE: 'kafka',
    CARACAL_KAFKA_BROKERS: kafkaBrokers(),
    CARACAL_REDIS_URL: redisUrl(),
    CARACAL_KAFKA_TOPIC_PREFIX: uniqueName('e2e-replay'),
    CARACAL_DATA_DIR: dataDir,
    CARACAL_CONTROL_FILE: controlFile,
    CARACAL_RULES_DIR: path.join(repoRoot(), 'test', 'fixtures', 'replay-rules'),
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

function run(tenant: string, args: string[]) {
  return runCaracal(args, clientEnv[tenant]);
}

test('kafka mode: a changed rule replayed over a day of events reports exactly the alerts the stream raises, for its tenant alone', async () => {
  await replayScenario(
    {
      cli: (tenant, args) => {
        const r = run(tenant, args);
        assert.equal(r.status, 0, `caracal ${args.join(' ')} as ${tenant} failed: ${r.stdout}\n${r.stderr}`);
        return r.stdout;
      },
      run,
      send: async (tenant, events) => {
        const res = await fetch(`${ingestUrl}/http/${tenant}-audit`, { method: 'POST', headers: { 'x-caracal-secret': secrets[tenant] }, body: JSON.stringify(events) });
        assert.equal(res.status, 200, await res.text());
      },
    },
    dataDir,
    { first: 'acme', second: 'globex', empty: 'initech' },
  );
});
