import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { CaracalClient, loadProtos, withUndecodableRequests } from '@caracal/api';
import { eventsTopic, LocalBus } from '@caracal/bus';
import { createLogger, loadConfig, NotFoundError } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import type { ScheduledQueries, ScheduledRunRecord, ScheduleView } from '@caracal/scheduler';
import { API_AUDIT_SOURCE, ApiAuditService } from './api-audit.service';
import { RpcRunnerService } from './rpc-runner.service';
import { ScheduleGrpcHandlers } from './schedule-grpc.handlers';
import { TokenAuthService } from './token-auth.service';

/**
 * A small ScheduledQueries of its own: each tenant's schedules and runs in
 * memory, a manual run recorded as the scheduler records one, and every
 * call kept so that a test can tell a refused call never reached it.
 */
class MemoryScheduledQueries implements ScheduledQueries {
  readonly calls: { method: string; tenantId: string; args: unknown }[] = [];
  private readonly views = new Map<string, ScheduleView[]>();
  private readonly recorded = new Map<string, ScheduledRunRecord[]>();

  constructor(private readonly outcomeOf: (queryName: string) => Pick<ScheduledRunRecord, 'outcome' | 'rows' | 'durationMs' | 'error'>) {}

  add(tenantId: string, view: ScheduleView): void {
    this.views.set(tenantId, [...(this.views.get(tenantId) ?? []), view]);
    if (view.lastRun) this.recorded.set(tenantId, [view.lastRun, ...(this.recorded.get(tenantId) ?? [])]);
  }

  async list(tenantId: string): Promise<ScheduleView[]> {
    this.calls.push({ method: 'list', tenantId, args: undefined });
    return this.views.get(tenantId) ?? [];
  }

  async runNow(tenantId: string, queryName: string): Promise<ScheduledRunRecord> {
    this.calls.push({ method: 'runNow', tenantId, args: queryName });
    if (!(this.views.get(tenantId) ?? []).some((v) => v.queryName === queryName)) throw new NotFoundError(`no scheduled query "${queryName}"`);
    const now = new Date();
    const run: ScheduledRunRecord = { tenantId, queryName, scheduledTime: now, trigger: 'MANUAL', startedAt: now, ...this.outcomeOf(queryName) };
    this.recorded.set(tenantId, [run, ...(this.recorded.get(tenantId) ?? [])]);
    return run;
  }

  async runs(tenantId: string, options: { queryName?: string; limit: number }): Promise<ScheduledRunRecord[]> {
    this.calls.push({ method: 'runs', tenantId, args: options });
    return (this.recorded.get(tenantId) ?? []).filter((r) => options.queryName === undefined || r.queryName === options.queryName).slice(0, options.limit);
  }
}

const T0 = new Date('2026-03-01T10:00:00.000Z');
const hourlyRun: ScheduledRunRecord = {
  tenantId: 'acme',
  queryName: 'Hourly Logins',
  scheduledTime: T0,
  trigger: 'SCHEDULE',
  startedAt: new Date(T0.getTime() + 1500),
  durationMs: 820,
  rows: 12,
  outcome: 'SUCCEEDED',
  error: '',
};

const schedules = new MemoryScheduledQueries((queryName) =>
  queryName === 'Broken Query'
    ? { outcome: 'FAILED', rows: 0, durationMs: 3.4, error: 'Code: 47. Unknown identifier: nope' }
    : { outcome: 'SUCCEEDED', rows: 7, durationMs: 41.6, error: '' },
);
let dir: string;
let bus: LocalBus;
let server: grpc.Server;
let endpoint: string;
const clients: CaracalClient[] = [];
const tokens: Record<'acmeAnalyst' | 'acmeReader' | 'globexAnalyst', string> = { acmeAnalyst: '', acmeReader: '', globexAnalyst: '' };

function client(token: string): CaracalClient {
  const c = new CaracalClient(endpoint, token);
  clients.push(c);
  return c;
}

/** The call's gRPC error; the call must fail. */
async function refusal(p: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await p;
  } catch (err) {
    return err as grpc.ServiceError;
  }
  assert.fail('the call succeeded');
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-schedule-grpc-'));
  const config = loadConfig({ CARACAL_DATA_DIR: dir }, dir);
  const logger = createLogger('silent');
  const control = ControlStore.open(config.controlFile);
  control.createTenant('acme');
  control.createTenant('globex');
  tokens.acmeAnalyst = control.createToken({ tenantId: 'acme', name: 'analyst', role: 'analyst' }).token;
  tokens.acmeReader = control.createToken({ tenantId: 'acme', name: 'reader', role: 'read-only' }).token;
  tokens.globexAnalyst = control.createToken({ tenantId: 'globex', name: 'analyst', role: 'analyst' }).token;
  schedules.add('acme', {
    queryName: 'Hourly Logins',
    description: 'Logins in the last hour',
    enabled: true,
    cronExpression: '0 * * * *',
    timeoutMinutes: 5,
    scheduledRules: ['Okta.Login.Burst'],
    nextRunAt: new Date('2026-03-01T11:00:00.000Z'),
    lastRun: hourlyRun,
  });
  schedules.add('acme', { queryName: 'Broken Query', description: '', enabled: true, rateMinutes: 30, timeoutMinutes: 1, scheduledRules: [], nextRunAt: T0 });
  // Listed before the others on purpose: the answer is ordered by name, not as the scheduler keeps them.
  schedules.add('acme', { queryName: 'Daily Admins', description: 'Off', enabled: false, rateMinutes: 1440, timeoutMinutes: 10, scheduledRules: [] });
  schedules.add('globex', { queryName: 'Globex Only', description: '', enabled: true, rateMinutes: 60, timeoutMinutes: 5, scheduledRules: [] });

  bus = new LocalBus({ logger });
  const rpc = new RpcRunnerService(new TokenAuthService(control), new ApiAuditService(bus, config, logger), logger);
  server = new grpc.Server();
  server.addService(withUndecodableRequests(loadProtos().caracal.schedule.v1.ScheduleService.service), new ScheduleGrpcHandlers(rpc, schedules).handlers());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  endpoint = `127.0.0.1:${port}`;
});

after(async () => {
  for (const c of clients) c.close();
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  await bus.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("ListScheduledQueries answers the caller's tenant's queries by name, with their schedule, next run and last run", async () => {
  const listed = await client(tokens.acmeReader).listScheduledQueries();
  assert.deepEqual(
    listed.map((q) => q.queryName),
    ['Broken Query', 'Daily Admins', 'Hourly Logins'],
  );
  const [broken, daily, hourly] = listed;
  assert.equal(hourly.schedule, 'cronExpression');
  assert.equal(hourly.cronExpression, '0 * * * *');
  assert.equal(hourly.description, 'Logins in the last hour');
  assert.deepEqual(hourly.scheduledRules, ['Okta.Login.Burst']);
  assert.equal(hourly.timeoutMinutes, 5);
  assert.deepEqual(hourly.nextRunTime, { seconds: String(Date.parse('2026-03-01T11:00:00Z') / 1000), nanos: 0 });
  assert.deepEqual(hourly.lastRun, {
    queryName: 'Hourly Logins',
    scheduledTime: { seconds: String(T0.getTime() / 1000), nanos: 0 },
    trigger: 'SCHEDULED_QUERY_RUN_TRIGGER_SCHEDULE',
    startedTime: { seconds: String(T0.getTime() / 1000 + 1), nanos: 500_000_000 },
    durationMs: '820',
    rows: '12',
    outcome: 'SCHEDULED_QUERY_RUN_OUTCOME_SUCCEEDED',
    error: '',
  });
  assert.equal(broken.schedule, 'rateMinutes');
  assert.equal(broken.rateMinutes, 30);
  assert.equal(broken.cronExpression, undefined);
  // Disabled: no next run; never run: no last run.
  assert.equal(daily.enabled, false);
  assert.equal(daily.nextRunTime, null);
  assert.equal(daily.lastRun, null);

  const globex = await client(tokens.globexAnalyst).listScheduledQueries();
  assert.deepEqual(
    globex.map((q) => q.queryName),
    ['Globex Only'],
  );
});

test("RunScheduledQuery runs the caller's tenant's query now; a failed run is an answer; another tenant's query is NOT_FOUND", async () => {
  const acme = client(tokens.acmeAnalyst);
  const run = await acme.runScheduledQuery('Hourly Logins');
  assert.equal(run.queryName, 'Hourly Logins');
  assert.equal(run.trigger, 'SCHEDULED_QUERY_RUN_TRIGGER_MANUAL');
  assert.equal(run.outcome, 'SCHEDULED_QUERY_RUN_OUTCOME_SUCCEEDED');
  assert.equal(run.rows, '7');
  // A fractional duration becomes the whole milliseconds a uint64 carries.
  assert.equal(run.durationMs, '42');
  assert.ok(Math.abs(Number(run.startedTime?.seconds) * 1000 - Date.now()) < 60_000);

  const failed = await acme.runScheduledQuery('Broken Query');
  assert.equal(failed.outcome, 'SCHEDULED_QUERY_RUN_OUTCOME_FAILED');
  assert.equal(failed.error, 'Code: 47. Unknown identifier: nope');

  const foreign = await refusal(client(tokens.globexAnalyst).runScheduledQuery('Hourly Logins'));
  assert.equal(foreign.code, grpc.status.NOT_FOUND);
  assert.equal(foreign.details, 'no scheduled query "Hourly Logins"');
  assert.deepEqual(
    schedules.calls.filter((c) => c.method === 'runNow').map((c) => [c.tenantId, c.args]),
    [
      ['acme', 'Hourly Logins'],
      ['acme', 'Broken Query'],
      ['globex', 'Hourly Logins'],
    ],
  );
});

test('a read-only token lists but may not run a scheduled query', async () => {
  const before = schedules.calls.length;
  const denied = await refusal(client(tokens.acmeReader).runScheduledQuery('Hourly Logins'));
  assert.equal(denied.code, grpc.status.PERMISSION_DENIED);
  assert.match(denied.details, /read-only role; ScheduleService\/RunScheduledQuery needs one of the admin or analyst roles/);
  assert.equal(schedules.calls.length, before, 'the scheduler was never asked');
});

test("ListScheduledQueryRuns answers the tenant's runs newest first, 50 unless asked, narrowed to one query when named", async () => {
  const acme = client(tokens.acmeReader);
  const all = await acme.listScheduledQueryRuns();
  assert.deepEqual(
    all.map((r) => [r.queryName, r.trigger.replace('SCHEDULED_QUERY_RUN_TRIGGER_', '')]),
    [
      ['Broken Query', 'MANUAL'],
      ['Hourly Logins', 'MANUAL'],
      ['Hourly Logins', 'SCHEDULE'],
    ],
  );
  assert.deepEqual(schedules.calls.at(-1), { method: 'runs', tenantId: 'acme', args: { limit: 50 } });
  const hourly = await acme.listScheduledQueryRuns({ queryName: 'Hourly Logins', limit: 1 });
  assert.deepEqual(schedules.calls.at(-1), { method: 'runs', tenantId: 'acme', args: { queryName: 'Hourly Logins', limit: 1 } });
  assert.equal(hourly.length, 1);
  assert.equal(hourly[0].trigger, 'SCHEDULED_QUERY_RUN_TRIGGER_MANUAL', 'the manual run is newer than the scheduled one');
  assert.deepEqual(await client(tokens.globexAnalyst).listScheduledQueryRuns({ limit: 1000 }), []);
});

test('arguments are refused as INVALID_ARGUMENT, naming the field and its limit, before the scheduler is asked', async () => {
  const acme = client(tokens.acmeAnalyst);
  const before = schedules.calls.length;
  const cases: [Promise<unknown>, RegExp][] = [
    [acme.runScheduledQuery(''), /^query_name is required: 1-200 characters$/],
    [acme.runScheduledQuery('q'.repeat(201)), /^query_name must be at most 200 characters, got 201$/],
    [acme.listScheduledQueryRuns({ limit: 1001 }), /^limit must be from 1 to 1000 \(0 for 50\), got 1001$/],
    [acme.listScheduledQueryRuns({ queryName: 'q'.repeat(10_000), limit: 5 }), /^query_name must be at most 200 characters, got 10000$/],
  ];
  for (const [call, details] of cases) {
    const err = await refusal(call);
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT, err.details);
    assert.match(err.details, details);
  }
  assert.equal(schedules.calls.length, before, 'the scheduler was never asked');
});

test("every call is written to the caller's tenant's audit trail under its method's action, refusals too", async () => {
  const topic = eventsTopic(API_AUDIT_SOURCE.logType).name;
  const reader = bus.reader(topic);
  const events: Record<string, unknown>[] = [];
  await reader.run((_partition, messages) => {
    for (const m of messages) events.push(JSON.parse(m.value.toString('utf8')) as Record<string, unknown>);
  });
  await reader.caughtUp(5000);
  await reader.stop();
  const trail = events
    .filter((e) => String(e.actionDescription).startsWith('/caracal.schedule.v1.ScheduleService/'))
    .map((e) => ({
      tenant: e.p_tenant_id,
      action: e.actionName,
      result: e.actionResult,
      method: String(e.actionDescription).split('/').pop(),
      input: (e.actionParams as { dynamic: { input: Record<string, unknown> } }).dynamic.input,
    }));
  assert.deepEqual(trail.slice(0, 5), [
    { tenant: 'acme', action: 'LIST_SAVED_DATA_LAKE_QUERIES', result: 'SUCCEEDED', method: 'ListScheduledQueries', input: {} },
    { tenant: 'globex', action: 'LIST_SAVED_DATA_LAKE_QUERIES', result: 'SUCCEEDED', method: 'ListScheduledQueries', input: {} },
    { tenant: 'acme', action: 'EXECUTE_DATA_LAKE_QUERY', result: 'SUCCEEDED', method: 'RunScheduledQuery', input: { queryName: 'Hourly Logins' } },
    { tenant: 'acme', action: 'EXECUTE_DATA_LAKE_QUERY', result: 'SUCCEEDED', method: 'RunScheduledQuery', input: { queryName: 'Broken Query' } },
    { tenant: 'globex', action: 'EXECUTE_DATA_LAKE_QUERY', result: 'FAILED', method: 'RunScheduledQuery', input: { queryName: 'Hourly Logins' } },
  ]);
  const failedRun = events.find((e) => e.actionName === 'EXECUTE_DATA_LAKE_QUERY' && (e.actionParams as { dynamic: { input: { queryName?: string } } }).dynamic.input.queryName === 'Broken Query');
  assert.deepEqual(failedRun?.actionDetails, { outcome: 'FAILED', rows: 0, durationMs: 3.4 });
  assert.ok(trail.some((t) => t.action === 'LIST_DATA_LAKE_QUERIES' && t.result === 'SUCCEEDED'));
  assert.ok(trail.some((t) => t.result === 'FAILED' && t.method === 'ListScheduledQueryRuns'), 'a refused argument is written too');
});
