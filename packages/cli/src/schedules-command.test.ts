import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { loadProtos } from '@caracal/api';
import type { ScheduledQuery, ScheduledQueryRun, ScheduleServiceHandlers } from '@caracal/api';
import { argumentChecks } from './cli-test-support';
import type { CliIo } from './cli-output';
import { main } from './main';

const { run, refused } = argumentChecks('schedules');

test('schedules arguments are checked before any call, naming the flag', async () => {
  await refused([], /^Usage: caracal schedules \[options\] \[command\]/);
  await refused(['pause', 'Hourly Logins'], /^unknown command 'pause'/);
  await refused(['list', 'extra'], /^too many arguments for 'list'/);
  await refused(['list', '--format', 'csv'], /^option '--format <format>' argument 'csv' is invalid\. Allowed choices are table, json/);
  await refused(['run'], /^missing required argument 'QueryName'/);
  await refused(['run', 'Hourly', 'Logins'], /^too many arguments for 'run'\. Expected 1 argument but got 2/);
  await refused(['run', 'Hourly Logins', '--format', 'yaml'], /Allowed choices are table, json/);
  await refused(['runs', '--limit', '0'], /^option '--limit <n>' argument '0' is invalid\. --limit must be a whole number from 1 to 1000, got "0"/);
  await refused(['runs', '--limit', '1001'], /--limit must be a whole number from 1 to 1000, got "1001"/);
  await refused(['runs', '--limit', 'ten'], /--limit must be a whole number from 1 to 1000, got "ten"/);
  await refused(['runs', '--limit=-5'], /--limit must be a whole number from 1 to 1000, got "-5"/);
  await refused(['runs', '--query', ''], /^--query needs a QueryName/);
  await refused(['runs', '--query-name', 'x'], /^unknown option '--query-name'/);
  await refused(['runs', 'Hourly Logins'], /^too many arguments for 'runs'/);
});

// What the API answers, over a real gRPC server with the real ScheduleService
// descriptors: the CLI is checked on the wire format, not on objects it made.
const ts = (iso: string) => ({ seconds: String(Math.floor(Date.parse(iso) / 1000)), nanos: (Date.parse(iso) % 1000) * 1e6 });
const TOKEN = 'crc_test_token';
const scheduledRun: ScheduledQueryRun = {
  queryName: 'Hourly Logins',
  scheduledTime: ts('2026-03-01T10:00:00Z'),
  trigger: 'SCHEDULED_QUERY_RUN_TRIGGER_SCHEDULE',
  startedTime: ts('2026-03-01T10:00:01.500Z'),
  durationMs: '820',
  rows: '12',
  outcome: 'SCHEDULED_QUERY_RUN_OUTCOME_SUCCEEDED',
  error: '',
};
const failedRun: ScheduledQueryRun = {
  queryName: 'Broken Query',
  scheduledTime: ts('2026-03-01T10:05:00Z'),
  trigger: 'SCHEDULED_QUERY_RUN_TRIGGER_MANUAL',
  startedTime: ts('2026-03-01T10:05:00Z'),
  durationMs: '4',
  rows: '0',
  outcome: 'SCHEDULED_QUERY_RUN_OUTCOME_FAILED',
  error: `Code: 47. Unknown identifier: nope ${'x'.repeat(100)} (the end)`,
};
const queries: ScheduledQuery[] = [
  { queryName: 'Broken Query', description: '', enabled: true, rateMinutes: 30, timeoutMinutes: 1, scheduledRules: [], nextRunTime: ts('2026-03-01T10:30:00Z') },
  { queryName: 'Daily Admins', description: 'Off', enabled: false, rateMinutes: 1440, timeoutMinutes: 10, scheduledRules: [] },
  {
    queryName: 'Hourly Logins',
    description: 'Logins in the last hour',
    enabled: true,
    cronExpression: '0 * * * *',
    timeoutMinutes: 5,
    scheduledRules: ['Okta.Login.Burst', 'Okta.Login.Geo'],
    nextRunTime: ts('2026-03-01T11:00:00Z'),
    lastRun: scheduledRun,
  },
];

const runRequests: { queryName: string; limit: number }[] = [];
let server: grpc.Server;
let endpoint: string;

function authorized(call: grpc.ServerUnaryCall<unknown, unknown>): boolean {
  return call.metadata.get('authorization')[0] === `Bearer ${TOKEN}`;
}

const handlers: ScheduleServiceHandlers = {
  ListScheduledQueries: (call, callback) => {
    if (!authorized(call)) return callback({ code: grpc.status.UNAUTHENTICATED, details: 'bad token' });
    callback(null, { scheduledQueries: queries });
  },
  RunScheduledQuery: (call, callback) => {
    if (!authorized(call)) return callback({ code: grpc.status.UNAUTHENTICATED, details: 'bad token' });
    const name = call.request.queryName;
    if (name === 'Broken Query') return callback(null, { run: failedRun });
    if (name !== 'Hourly Logins') return callback({ code: grpc.status.NOT_FOUND, details: `no scheduled query "${name}"` });
    callback(null, { run: { ...scheduledRun, trigger: 'SCHEDULED_QUERY_RUN_TRIGGER_MANUAL', rows: '7', durationMs: '42' } });
  },
  ListScheduledQueryRuns: (call, callback) => {
    if (!authorized(call)) return callback({ code: grpc.status.UNAUTHENTICATED, details: 'bad token' });
    runRequests.push({ queryName: call.request.queryName, limit: call.request.limit });
    const runs = [failedRun, scheduledRun].filter((r) => call.request.queryName === '' || r.queryName === call.request.queryName);
    callback(null, { runs });
  },
};

before(async () => {
  server = new grpc.Server();
  server.addService(loadProtos().caracal.schedule.v1.ScheduleService.service, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  endpoint = `127.0.0.1:${port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
});

/** Runs the command against the server; answers its exit code and what it printed. */
async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t) };
  const code = await run([...args, '--endpoint', endpoint, '--token', TOKEN], io);
  return { code, out, err };
}

function lines(text: string): string[] {
  return text.split('\n');
}

test('schedules list prints a table of the queries with their schedule, next run and last run, or JSON', async () => {
  const table = await cli(['list']);
  assert.equal(table.code, 0);
  assert.equal(table.out.length, 1);
  const [header, rule, broken, daily, hourly, count] = lines(table.out[0]);
  assert.match(header, /^queryName\s+enabled\s+schedule\s+timeoutMinutes\s+nextRunTime\s+lastRunTime\s+lastOutcome\s+scheduledRules$/);
  assert.match(rule, /^-+( +-+){7}$/);
  assert.match(broken, /^Broken Query\s+true\s+every 30 min\s+1\s+2026-03-01T10:30:00\.000Z$/);
  assert.match(daily, /^Daily Admins\s+false\s+every 1440 min\s+10$/);
  assert.match(hourly, /^Hourly Logins\s+true\s+cron 0 \* \* \* \*\s+5\s+2026-03-01T11:00:00\.000Z\s+2026-03-01T10:00:01\.500Z\s+SUCCEEDED\s+Okta\.Login\.Burst,Okta\.Login\.Geo$/);
  assert.equal(count, '(3 scheduled queries)');

  const json = await cli(['list', '--format', 'json']);
  assert.equal(json.code, 0);
  assert.deepEqual(JSON.parse(json.out[0]), [
    { queryName: 'Broken Query', description: '', enabled: true, rateMinutes: 30, timeoutMinutes: 1, scheduledRules: [], nextRunTime: '2026-03-01T10:30:00.000Z', lastRun: null },
    { queryName: 'Daily Admins', description: 'Off', enabled: false, rateMinutes: 1440, timeoutMinutes: 10, scheduledRules: [], nextRunTime: null, lastRun: null },
    {
      queryName: 'Hourly Logins',
      description: 'Logins in the last hour',
      enabled: true,
      cronExpression: '0 * * * *',
      timeoutMinutes: 5,
      scheduledRules: ['Okta.Login.Burst', 'Okta.Login.Geo'],
      nextRunTime: '2026-03-01T11:00:00.000Z',
      lastRun: {
        queryName: 'Hourly Logins',
        trigger: 'SCHEDULE',
        scheduledTime: '2026-03-01T10:00:00.000Z',
        startedTime: '2026-03-01T10:00:01.500Z',
        durationMs: 820,
        rows: 12,
        outcome: 'SUCCEEDED',
        error: '',
      },
    },
  ]);
});

test('schedules run prints the run; a failed run prints its whole error and exits 1', async () => {
  const ok = await cli(['run', 'Hourly Logins']);
  assert.equal(ok.code, 0);
  const [header, , row, ...rest] = lines(ok.out[0]);
  assert.match(header, /^startedTime\s+queryName\s+trigger\s+outcome\s+rows\s+durationMs\s+scheduledTime$/);
  assert.match(row, /^2026-03-01T10:00:01\.500Z\s+Hourly Logins\s+MANUAL\s+SUCCEEDED\s+7\s+42\s+2026-03-01T10:00:00\.000Z$/);
  assert.deepEqual(rest, []);

  const failed = await cli(['run', 'Broken Query']);
  assert.equal(failed.code, 1);
  const failedLines = lines(failed.out[0]);
  assert.match(failedLines[2], /^2026-03-01T10:05:00\.000Z\s+Broken Query\s+MANUAL\s+FAILED\s+0\s+4\s+2026-03-01T10:05:00\.000Z$/);
  assert.equal(failedLines[3], `error: ${failedRun.error}`);

  const json = await cli(['run', 'Broken Query', '--format', 'json']);
  assert.equal(json.code, 1);
  assert.deepEqual(JSON.parse(json.out[0]), {
    queryName: 'Broken Query',
    trigger: 'MANUAL',
    scheduledTime: '2026-03-01T10:05:00.000Z',
    startedTime: '2026-03-01T10:05:00.000Z',
    durationMs: 4,
    rows: 0,
    outcome: 'FAILED',
    error: failedRun.error,
  });
});

test('schedules runs sends --query and --limit, and prints the runs newest first', async () => {
  const all = await cli(['runs']);
  assert.equal(all.code, 0);
  const allLines = lines(all.out[0]);
  assert.deepEqual(
    allLines.slice(2, -1).map((l) => l.split(/\s{2,}/).slice(1, 4)),
    [
      ['Broken Query', 'MANUAL', 'FAILED'],
      ['Hourly Logins', 'SCHEDULE', 'SUCCEEDED'],
    ],
  );
  assert.equal(allLines.at(-1), '(2 runs, newest first)');

  const one = await cli(['runs', '--query', 'Hourly Logins', '--limit', '5', '--format', 'json']);
  assert.equal(one.code, 0);
  assert.deepEqual(
    (JSON.parse(one.out[0]) as { queryName: string; rows: number }[]).map((r) => [r.queryName, r.rows]),
    [['Hourly Logins', 12]],
  );
  assert.deepEqual(runRequests, [
    { queryName: '', limit: 0 },
    { queryName: 'Hourly Logins', limit: 5 },
  ]);
});

test('an unknown query is NOT_FOUND, and caracal prints the server\'s reason in one line', async () => {
  await assert.rejects(cli(['run', 'Nope']), (err: grpc.ServiceError) => err.code === grpc.status.NOT_FOUND && err.details === 'no scheduled query "Nope"');
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['schedules', 'run', 'Nope', '--endpoint', endpoint, '--token', TOKEN], { out: (t) => void out.push(t), err: (t) => void err.push(t) });
  assert.equal(code, 1);
  assert.deepEqual(out, []);
  assert.deepEqual(err, ['caracal: no scheduled query "Nope"']);
});
