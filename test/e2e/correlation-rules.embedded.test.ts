import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { dataLakeQueryEvent, deleteDetectionEvent } from '../support/audit-events';
import { repoRoot, tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// Two rules that only make signals (CreateAlert: false), and two correlation
// rules over them, run every minute by `caracal start`: a sequence (a query,
// then a delete by the same person within ten minutes) and a group with an
// absence (a delete by someone who ran no query). Each raises exactly its
// alert, once, however many runs see the same signals.
const dataDir = tempDir('e2e-correlation');
const env = {
  CARACAL_DATA_DIR: dataDir,
  CARACAL_HTTP_PORT: '0',
  CARACAL_GRPC_PORT: '0',
  CARACAL_LOG_LEVEL: 'warn',
  CARACAL_RULES_DIR: path.join(repoRoot(), 'test', 'fixtures', 'schedules', 'correlation-rules'),
};
const WITHIN_TWO_MINUTES_MS = 120_000;
let caracal: CaracalProcess;

before(async () => {
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Stop with Ctrl-C/);
});

after(async () => {
  await caracal?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function json<T>(args: string[]): T {
  const r = runCaracal([...args, '--format', 'json'], env);
  assert.equal(r.status, 0, `caracal ${args.join(' ')} failed: ${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

type Alert = { ruleId: string; type: string; title: string; eventCount: number };
type Run = { scheduledTime: string; rows: number; outcome: string };

test('a sequence and an absence raise exactly their CORRELATION_RULE alerts, once each, and the signal rules none', async () => {
  const file = path.join(dataDir, 'events.ndjson');
  // Homer queries, then deletes: the sequence. Marge deletes without a query: the absence.
  const events = [dataLakeQueryEvent('homer@springfield.gov'), deleteDetectionEvent('Rule.A', 'homer@springfield.gov'), deleteDetectionEvent('Rule.B', 'marge@springfield.gov')];
  fs.writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const sentAt = Date.now();
  const sent = runCaracal(['send', '--source', 'panther-audit', '--format', 'json', file], env);
  assert.match(sent.stdout, /"accepted":3/, sent.stderr);

  const both = await waitFor('both correlation alerts', async () => {
    const list = json<Alert[]>(['alerts', 'list']);
    return list.length >= 2 ? list : undefined;
  }, WITHIN_TWO_MINUTES_MS + 60_000, 1000);
  assert.ok(Date.now() - sentAt < WITHIN_TWO_MINUTES_MS + 60_000);
  const summary = (list: Alert[]) => list.map((a) => [a.ruleId, a.type, a.title]).sort();
  assert.deepEqual(summary(both), [
    ['Fixture.Delete.Without.Query', 'CORRELATION_RULE', 'A detection deleted by someone who ran no query (marge@springfield.gov)'],
    ['Fixture.Query.Then.Delete', 'CORRELATION_RULE', 'A query, then a detection deleted by the same person (homer@springfield.gov)'],
  ]);

  // A later run of each rule sees the same signals in its window: nothing new is told.
  const runsOf = (ruleId: string) => json<Run[]>(['schedules', 'runs', '--query', `CorrelationRule.${ruleId}`]);
  const firstMatched = (ruleId: string) => runsOf(ruleId).filter((r) => r.rows > 0);
  const firedAt = new Map(['Fixture.Query.Then.Delete', 'Fixture.Delete.Without.Query'].map((id) => [id, firedTick(firstMatched(id))]));
  await waitFor('a later run of each correlation rule', async () => {
    const done = [...firedAt].every(([id, at]) => runsOf(id).filter((r) => Date.parse(r.scheduledTime) > at).length >= 1);
    return done ? true : undefined;
  }, 180_000, 2000);
  for (const id of firedAt.keys()) {
    const runs = runsOf(id);
    assert.ok(runs.every((r) => r.outcome === 'SUCCEEDED'), JSON.stringify(runs));
    assert.equal(runs.filter((r) => r.rows > 0).length, 1, `${id} told its match once: ${JSON.stringify(runs)}`);
    assert.equal(new Set(runs.map((r) => r.scheduledTime)).size, runs.length, 'no tick ran twice');
  }
  const after = json<Alert[]>(['alerts', 'list']);
  assert.deepEqual(summary(after), summary(both));
  assert.ok(after.every((a) => a.eventCount === 1), JSON.stringify(after));

  // The matches are in the lake with their join value and the signals they counted.
  const rows = json<{ rule: string; key: string; signals: string }[]>([
    'query',
    'SELECT p_rule_id AS rule, toString(row_data.correlation_key) AS key, toString(length(row_data.signal_row_ids)) AS signals FROM panther_rule_matches.correlation_rules ORDER BY rule',
  ]);
  assert.deepEqual(rows, [
    { rule: 'Fixture.Delete.Without.Query', key: 'marge@springfield.gov', signals: '1' },
    { rule: 'Fixture.Query.Then.Delete', key: 'homer@springfield.gov', signals: '2' },
  ]);
});

function firedTick(runs: Run[]): number {
  assert.equal(runs.length, 1, JSON.stringify(runs));
  return Date.parse(runs[0].scheduledTime);
}
