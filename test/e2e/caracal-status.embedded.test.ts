import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { dataLakeQueryEvent } from '../support/audit-events';
import { postToSource } from '../support/ingest-http';
import { tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// `caracal status` against a real `caracal start`: it finds the process
// through the record in the data dir, shows its services ready, the lag of
// each stage once events have flowed, and, after a clean stop, that nothing runs.
const dataDir = tempDir('e2e-status');
const rulesDir = path.join(dataDir, 'rules');
const env = {
  CARACAL_DATA_DIR: path.join(dataDir, 'data'),
  CARACAL_HTTP_PORT: '0',
  CARACAL_GRPC_PORT: '0',
  CARACAL_LOG_LEVEL: 'warn',
  CARACAL_RULES_DIR: rulesDir,
};
let caracal: CaracalProcess;

interface Facts {
  ok: boolean;
  mode: string;
  dataDir: { path: string; bytes: number | null };
  processes: { url: string; up: boolean; ready: boolean; pid?: number; services: string[]; notReady: string[]; error?: string }[];
  stalePids: number[];
  stages: { id: string; label: string; groups: string[]; lag: number | null }[];
  deadLetters: unknown[];
  errors: { time: string; message: string }[];
}

function status(...args: string[]): { code: number | null; facts: Facts; stderr: string } {
  const r = runCaracal(['status', '--format', 'json', ...args], env);
  try {
    return { code: r.status, facts: JSON.parse(r.stdout) as Facts, stderr: r.stderr };
  } catch {
    throw new Error(`caracal status printed no JSON (exit ${r.status}): ${r.stdout}${r.stderr}`);
  }
}

before(async () => {
  fs.mkdirSync(rulesDir);
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Caracal is running/);
});

after(async () => {
  await caracal?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('caracal status shows the embedded process, its services ready, lag per stage, its errors and the data dir', async () => {
  const ready = await waitFor('a ready status', async () => {
    const s = status();
    return s.code === 0 ? s.facts : undefined;
  });
  assert.equal(ready.mode, 'embedded');
  assert.equal(ready.processes.length, 1);
  const [proc] = ready.processes;
  assert.equal(proc.pid, caracal.child.pid);
  assert.deepEqual(proc.services, ['ingest', 'rules-worker', 'alert-stage', 'clickhouse-writer', 'api']);
  assert.deepEqual([proc.up, proc.ready, proc.notReady], [true, true, []]);
  assert.deepEqual(ready.stages.slice(0, 4).map((s) => s.id), ['rules', 'alerts', 'delivery', 'writer']);
  assert.ok(Array.isArray(ready.errors));
  assert.deepEqual(ready.stalePids, []);
  assert.equal(ready.dataDir.path, env.CARACAL_DATA_DIR);
  assert.ok((ready.dataDir.bytes ?? 0) > 0, `data dir size ${ready.dataDir.bytes}`);

  // Once an event has passed through, the stages that consumed it report their lag.
  const creds = JSON.parse(fs.readFileSync(path.join(env.CARACAL_DATA_DIR, 'credentials.json'), 'utf8')) as { ingestUrl: string; sourceId: string; secretHeader: string; sourceSecret: string };
  const sent = await postToSource(creds.ingestUrl, creds.sourceId, JSON.stringify(dataLakeQueryEvent()), { 'content-type': 'application/json', [creds.secretHeader]: creds.sourceSecret });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const flowed = await waitFor('lag of the rules and writer stages', async () => {
    const s = status();
    const lag = Object.fromEntries(s.facts.stages.map((st) => [st.id, st.lag]));
    return typeof lag.rules === 'number' && typeof lag.writer === 'number' ? s : undefined;
  });
  assert.equal(flowed.code, 0);
  for (const stage of flowed.facts.stages.filter((s) => s.lag !== null)) assert.ok(stage.lag! >= 0, `${stage.id}: ${stage.lag}`);

  const table = runCaracal(['status'], env);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /^Caracal is running \(embedded mode\): ready$/m);
  assert.match(table.stdout, /^ingest → rules-worker\s+\d+$/m);
  assert.match(table.stdout, /^data dir: .* \(\d+(\.\d)? (B|KiB|MiB|GiB)\)$/m);
});

test('after a clean stop the record is gone: not running, exit 1; the old ops URL named with --ops is down', async () => {
  const opsUrl = status().facts.processes[0].url;
  assert.equal(await caracal.stop(), 0);
  const stopped = status();
  assert.equal(stopped.code, 1);
  assert.deepEqual([stopped.facts.ok, stopped.facts.processes, stopped.facts.stalePids], [false, [], []]);
  const asked = status('--ops', opsUrl);
  assert.equal(asked.code, 1);
  assert.equal(asked.facts.processes[0].up, false);
  assert.match(asked.facts.processes[0].error!, new RegExp(`${opsUrl}/\\w+ did not answer`));
  const bad = runCaracal(['status', '--ops', 'ftp://x'], env);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--ops "ftp:\/\/x" must be an http\(s\) URL/);
});
