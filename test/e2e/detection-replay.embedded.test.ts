import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { replayScenario } from '../support/replay-scenario';
import { freePort, repoRoot, tempDir } from '../support/test-env';

// Replay through the CLI of `caracal start`: a changed rule over a day of
// events reports exactly the alerts the stream raised for a tenant that runs
// it live, and nothing of it reaches anyone else (test/support/replay-scenario.ts).
const dataDir = tempDir('e2e-replay');
let env: Record<string, string>;
let ingestUrl = '';
let caracal: CaracalProcess;
const tokens: Record<string, string> = {};
const sources: Record<string, { id: string; secret: string }> = {};

function cliAs(tenant: string, args: string[]) {
  return runCaracal(args, { ...env, ...(tokens[tenant] ? { CARACAL_TOKEN: tokens[tenant] } : {}) });
}

function cli(tenant: string, args: string[]): string {
  const r = cliAs(tenant, args);
  assert.equal(r.status, 0, `caracal ${args.join(' ')} as ${tenant} failed: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

before(async () => {
  const httpPort = await freePort();
  env = {
    CARACAL_DATA_DIR: dataDir,
    CARACAL_HTTP_PORT: String(httpPort),
    CARACAL_GRPC_PORT: '0',
    CARACAL_LOG_LEVEL: 'warn',
    CARACAL_RULES_DIR: path.join(repoRoot(), 'test', 'fixtures', 'replay-rules'),
  };
  ingestUrl = `http://127.0.0.1:${httpPort}`;
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Stop with Ctrl-C/);
  for (const tenant of ['globex', 'initech']) {
    const created = cli('default', ['tenants', 'create', tenant]);
    tokens[tenant] = /^\s+(\S+)$/m.exec(created.split('shown only now')[1] ?? '')?.[1] ?? '';
    assert.ok(tokens[tenant], created);
  }
  for (const tenant of ['default', 'globex']) {
    const out = cli(tenant, ['sources', 'create', '--log-type', 'Panther.Audit', '--id', `${tenant}-replay`]);
    const id = /source "([^"]+)" created/.exec(out)?.[1];
    const secret = /^\s+(\S+)$/m.exec(out.split('shown only now')[1] ?? '')?.[1];
    assert.ok(id && secret, out);
    sources[tenant] = { id, secret };
  }
});

after(async () => {
  await caracal?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('embedded: a changed rule replayed over a day of events reports exactly the alerts the stream raises, for its tenant alone', async () => {
  await replayScenario(
    {
      cli,
      run: cliAs,
      send: async (tenant, events) => {
        const { id, secret } = sources[tenant];
        const res = await fetch(`${ingestUrl}/http/${id}`, { method: 'POST', headers: { 'x-caracal-secret': secret }, body: JSON.stringify(events) });
        assert.equal(res.status, 200, await res.text());
      },
    },
    dataDir,
    { first: 'default', second: 'globex', empty: 'initech' },
  );
});
