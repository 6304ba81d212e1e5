import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deleteDetectionEvent } from '../support/audit-events';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { repoRoot, tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// kill -9 of `caracal start` while a scheduled query is in the engine, and a
// tick missed while it is down: back up, each tick runs once. One record per
// tick, and the killed tick's rows reach the lake once each.
const QUERY = 'Deletion Triples';
const dataDir = tempDir('fault-scheduler');
const env = {
  CARACAL_DATA_DIR: dataDir,
  CARACAL_HTTP_PORT: '0',
  CARACAL_GRPC_PORT: '0',
  CARACAL_LOG_LEVEL: 'warn',
  CARACAL_RULES_DIR: path.join(repoRoot(), 'test', 'fixtures', 'scheduled-fault-rules'),
};
const ledgerFile = path.join(dataDir, 'scheduler', 'scheduled-runs.json');
let caracal: CaracalProcess;

before(async () => {
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Stop with Ctrl-C/);
});

after(async () => {
  await caracal?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function cli(args: string[]): string {
  const r = runCaracal(args, env);
  assert.equal(r.status, 0, `caracal ${args.join(' ')} failed: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function json<T>(args: string[]): T {
  return JSON.parse(cli([...args, '--format', 'json'])) as T;
}

/** Ticks of the query the ledger holds, by state: the scheduler's own record of claims and done marks. */
function ledgerTicks(state: 'run' | 'done'): number[] {
  if (!fs.existsSync(ledgerFile)) return [];
  const ledger = JSON.parse(fs.readFileSync(ledgerFile, 'utf8')) as { ticks: Record<string, { state: string }> };
  const prefix = `demo:${encodeURIComponent(QUERY)}:`;
  return Object.entries(ledger.ticks)
    .filter(([key, entry]) => key.startsWith(prefix) && entry.state === state)
    .map(([key]) => Number(key.slice(prefix.length)));
}

test('kill -9 mid-run, and a tick missed while down: back up, each tick runs once and its rows reach the lake once', async () => {
  // 600 deletions by three actors: the three-way join runs for seconds, a window to kill in.
  const actors = ['homer', 'marge', 'bart'].map((n) => `${n}@springfield.gov`);
  const file = path.join(dataDir, 'deletions.ndjson');
  const events = Array.from({ length: 600 }, (_, i) => deleteDetectionEvent(`Rule.${i}`, actors[i % 3]));
  fs.writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  assert.match(cli(['send', '--source', 'panther-audit', '--format', 'json', file]), /"accepted":600/);
  await waitFor('the deletions in the lake', async () => {
    const [row] = json<{ n: string }[]>(['query', "SELECT count() AS n FROM panther_logs.panther_audit WHERE actionName = 'DELETE_DETECTION'"]);
    return Number(row.n) === 600 ? true : undefined;
  });

  // A tick claimed but not done after the events were in: its run is in the engine now.
  const doneBefore = new Set(ledgerTicks('done'));
  const killed = await waitFor('a run in progress', async () => ledgerTicks('run').find((t) => !doneBefore.has(t)), 90_000, 20);
  caracal.child.kill('SIGKILL');
  await caracal.stop();
  assert.ok(!ledgerTicks('done').includes(killed), 'the killed tick was not done');

  // Down across the next tick: it is missed, and run once on the way back.
  const missed = killed + 60_000;
  await waitFor('the next tick to pass while down', async () => (Date.now() > missed + 1000 ? true : undefined), 90_000, 500);
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Stop with Ctrl-C/);

  type Run = { scheduledTime: string; trigger: string; outcome: string; rows: number };
  const runsOf = (tick: number, runs: Run[]) => runs.filter((r) => new Date(r.scheduledTime).getTime() === tick);
  const runs = await waitFor('the killed and the missed tick to have run', async () => {
    const all = json<Run[]>(['schedules', 'runs', '--limit', '1000']);
    return runsOf(killed, all).length > 0 && runsOf(missed, all).length > 0 ? all : undefined;
  }, 180_000, 1000);
  for (const tick of [killed, missed]) {
    const own = runsOf(tick, runs);
    assert.equal(own.length, 1, `one record for the tick at ${new Date(tick).toISOString()}: ${JSON.stringify(own)}`);
    assert.deepEqual([own[0].outcome, own[0].rows], ['SUCCEEDED', 3]);
  }
  const ticks = runs.map((r) => r.scheduledTime);
  assert.equal(new Set(ticks).size, ticks.length, 'no tick has two records');

  // The killed tick's rows were matched once each: three rows, three distinct ids, none twice.
  const tickText = new Date(killed).toISOString().replace('T', ' ').replace('Z', '');
  const matched = await waitFor("the killed tick's matched rows", async () => {
    const [row] = json<{ n: string; ids: string }[]>(['query', `SELECT count() AS n, uniqExact(p_row_id) AS ids FROM panther_rule_matches.scheduled_queries WHERE p_scheduled_time = '${tickText}'`]);
    return Number(row.n) >= 3 ? row : undefined;
  });
  assert.deepEqual([Number(matched.n), Number(matched.ids)], [3, 3]);
  assert.ok(ledgerTicks('done').includes(killed) && ledgerTicks('done').includes(missed));
});
