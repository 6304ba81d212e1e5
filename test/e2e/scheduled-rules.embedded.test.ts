import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { deleteDetectionEvent } from '../support/audit-events';
import { repoRoot, tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// A scheduled query every minute (RateMinutes: 1) over the tenant's audit
// events, two scheduled rules on its rows (one matches, one raises), all
// through the CLI of `caracal start`: alerts of type SCHEDULED_RULE and
// SCHEDULED_RULE_ERROR, run records, a run on demand, and a second tenant
// with the same content that sees none of the first one's results.
const QUERY = 'Detections Deleted Per Actor';
const dataDir = tempDir('e2e-scheduled');
const env = {
  CARACAL_DATA_DIR: dataDir,
  CARACAL_HTTP_PORT: '0',
  CARACAL_GRPC_PORT: '0',
  CARACAL_LOG_LEVEL: 'warn',
  CARACAL_RULES_DIR: path.join(repoRoot(), 'test', 'fixtures', 'schedules', 'scheduled-rules'),
};
// A tick comes every minute; its run, the evaluation and the alert stage follow within seconds.
const WITHIN_TWO_MINUTES_MS = 120_000;
let caracal: CaracalProcess;
let otherToken = '';

before(async () => {
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Stop with Ctrl-C/);
  const created = cli(['tenants', 'create', 'shelbyville']);
  otherToken = /^\s+(\S+)$/m.exec(created.split('shown only now')[1] ?? '')?.[1] ?? '';
  assert.ok(otherToken, created);
});

after(async () => {
  await caracal?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function cli(args: string[], extraEnv: Record<string, string> = {}): string {
  const r = runCaracal(args, { ...env, ...extraEnv });
  assert.equal(r.status, 0, `caracal ${args.join(' ')} failed: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function json<T = Record<string, unknown>>(args: string[], extraEnv: Record<string, string> = {}): T {
  return JSON.parse(cli([...args, '--format', 'json'], extraEnv)) as T;
}

/** The CLI as the second tenant: its admin token, the same endpoint. */
function other(): Record<string, string> {
  return { CARACAL_TOKEN: otherToken };
}

test('a RateMinutes: 1 scheduled rule raises its SCHEDULED_RULE alert within two minutes of its events; the raising one a SCHEDULED_RULE_ERROR', async () => {
  const file = path.join(dataDir, 'deletions.ndjson');
  const events = [
    ...['A', 'B', 'C', 'D'].map((d) => deleteDetectionEvent(`Rule.${d}`, 'homer@springfield.gov')),
    deleteDetectionEvent('Rule.E', 'marge@springfield.gov'),
  ];
  fs.writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const sentAt = Date.now();
  assert.match(cli(['send', '--source', 'panther-audit', '--format', 'json', file]), /"accepted":5/);

  type Alert = { ruleId: string; type: string; title: string; eventCount: number; severity: string };
  const alertsOf = (ruleId: string) => json<Alert[]>(['alerts', 'list']).filter((a) => a.ruleId === ruleId);
  const matched = await waitFor('the scheduled rule alert', async () => (alertsOf('Scheduled.Mass.Detection.Deletion').length > 0 ? alertsOf('Scheduled.Mass.Detection.Deletion') : undefined), WITHIN_TWO_MINUTES_MS, 1000);
  assert.ok(Date.now() - sentAt < WITHIN_TWO_MINUTES_MS);
  // Marge deleted one: her row is evaluated and does not match; one alert, Homer's.
  assert.equal(matched.length, 1, JSON.stringify(matched));
  assert.equal(matched[0].type, 'SCHEDULED_RULE');
  assert.equal(matched[0].title, 'homer@springfield.gov deleted 4 detections within an hour');
  assert.equal(matched[0].severity, 'HIGH');

  const errors = await waitFor('the scheduled rule error alert', async () => {
    const list = alertsOf('Scheduled.Deletion.Reviewer');
    return list.length > 0 ? list : undefined;
  });
  // One error alert: both rows raised the same KeyError, and errors dedupe on the error.
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0].type, 'SCHEDULED_RULE_ERROR');

  // The matched row is in the lake with its query's columns, readable by the tenant.
  const rows = await waitFor('the matched row in the lake', async () => {
    const r = json<Record<string, unknown>[]>(['query', "SELECT p_rule_id, p_query_name, toString(row_data.actor_name) AS actor, toString(row_data.deletions) AS deletions FROM panther_rule_matches.scheduled_queries"]);
    return r.length > 0 ? r : undefined;
  });
  assert.deepEqual(rows[0], { p_rule_id: 'Scheduled.Mass.Detection.Deletion', p_query_name: QUERY, actor: 'homer@springfield.gov', deletions: '4' });

  // The alert's events, as `alerts get` finds them: in the table the writer put them in.
  type AlertId = { alertId: string };
  const got = JSON.parse(cli(['alerts', 'get', (matched[0] as Alert & AlertId).alertId, '--json'])) as { events: { p_query_name: string; row_data: { actor_name: string } }[] };
  assert.ok(got.events.length >= 1);
  assert.deepEqual([got.events[0].p_query_name, got.events[0].row_data.actor_name], [QUERY, 'homer@springfield.gov']);
});

test('schedules list and runs show the query, its rules and one record per tick', () => {
  type Schedule = { queryName: string; rateMinutes: number; scheduledRules: string[]; lastRun?: { outcome: string; rows: number } };
  const schedules = json<Schedule[]>(['schedules', 'list']);
  assert.equal(schedules.length, 1);
  assert.equal(schedules[0].queryName, QUERY);
  assert.equal(schedules[0].rateMinutes, 1);
  assert.deepEqual(schedules[0].scheduledRules, ['Scheduled.Deletion.Reviewer', 'Scheduled.Mass.Detection.Deletion']);
  assert.equal(schedules[0].lastRun?.outcome, 'SUCCEEDED');

  type Run = { queryName: string; scheduledTime: string; trigger: string; outcome: string; rows: number };
  const runs = json<Run[]>(['schedules', 'runs']);
  assert.ok(runs.length >= 1);
  for (const r of runs) {
    assert.equal(r.queryName, QUERY);
    assert.equal(r.trigger, 'SCHEDULE');
    assert.equal(r.outcome, 'SUCCEEDED');
    assert.equal(new Date(r.scheduledTime).getUTCSeconds(), 0, 'ticks of a rate fall on whole minutes');
  }
  const ticks = runs.map((r) => r.scheduledTime);
  assert.equal(new Set(ticks).size, ticks.length, 'no tick ran twice');
  assert.ok(runs.some((r) => r.rows === 2), 'a run after the events saw Homer and Marge');
});

test('a run on demand is recorded as MANUAL; an unknown query is refused by name', () => {
  type Run = { trigger: string; outcome: string; rows: number };
  const run = json<Run>(['schedules', 'run', QUERY]);
  assert.equal(run.trigger, 'MANUAL');
  assert.equal(run.outcome, 'SUCCEEDED');
  assert.equal(run.rows, 2);
  const runs = json<Run[]>(['schedules', 'runs', '--query', QUERY]);
  assert.ok(runs.some((r) => r.trigger === 'MANUAL'));
  const unknown = runCaracal(['schedules', 'run', 'No Such Query'], env);
  assert.notEqual(unknown.status, 0);
  assert.match(unknown.stderr, /no scheduled query "No Such Query"/);
});

test("a second tenant with the same content sees none of the first tenant's rows, runs or alerts", async () => {
  const schedules = json<{ queryName: string }[]>(['schedules', 'list'], other());
  assert.deepEqual(schedules.map((s) => s.queryName), [QUERY]);
  // Its own ticks run too, over its own (empty) lake.
  const runs = await waitFor('a run of the second tenant', async () => {
    const r = json<{ rows: number; outcome: string }[]>(['schedules', 'runs'], other());
    return r.length > 0 ? r : undefined;
  }, WITHIN_TWO_MINUTES_MS, 1000);
  for (const r of runs) assert.deepEqual([r.outcome, r.rows], ['SUCCEEDED', 0]);
  assert.deepEqual(json(['alerts', 'list'], other()), []);
  assert.deepEqual(json(['query', 'SELECT * FROM panther_rule_matches.scheduled_queries'], other()), []);
  const seen = json<{ tenants: string }[]>(['query', 'SELECT groupUniqArray(p_tenant_id) AS tenants FROM panther_monitor.scheduled_query_runs'], other());
  assert.deepEqual(seen, [{ tenants: ['shelbyville'] }]);
  const manual = json<{ rows: number }>(['schedules', 'run', QUERY], other());
  assert.equal(manual.rows, 0);
});
