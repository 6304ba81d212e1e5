import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { Alert__Output, CaracalClient, ListAlertsRequest } from '@caracal/api';
import { startCaracal, RunningCaracal } from '@caracal/runtime';
import { createLogger, loadConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { AlertRecord, Severity, toClickHouseTime } from '@caracal/core/messages';
import {
  ALERT_DELIVERIES_TABLE,
  ALERTS_TABLE,
  alertDeliveryRow,
  alertRow,
  applyLakeSchema,
  createLakeClient,
  LakeClient,
} from '@caracal/lake';
import { tempDir } from '../support/test-env';

// The alert lifecycle through the real gRPC API, over the real engine (chDB in a temp dir).
const dataDir = tempDir('alert-lifecycle');
const config = loadConfig({ CARACAL_DATA_DIR: dataDir, CARACAL_GRPC_PORT: '0', CARACAL_OPS_PORT: '0', CARACAL_LOG_LEVEL: 'warn' });
// Well in the past, on a whole second, so times compare exactly after the round trip.
const T0 = Math.floor((Date.now() - 10 * 86_400_000) / 1000) * 1000;
const HOUR = 3_600_000;
const at = (ms: number) => toClickHouseTime(new Date(ms));

let running: RunningCaracal;
let analyst: CaracalClient;
let readOnly: CaracalClient;
let globex: CaracalClient;
let analystActor: string;

function alert(over: Partial<AlertRecord> & { alertId: string; createdAtMs: number }): AlertRecord {
  const { createdAtMs, ...rest } = over;
  const severity: Severity = rest.severity ?? 'HIGH';
  return {
    tenantId: 'acme',
    type: 'RULE',
    ruleId: 'R.One',
    dedupKey: `key-${over.alertId}`,
    dedup: `dedup-${over.alertId}`,
    title: `title ${over.alertId}`,
    severity,
    ruleSeverity: severity,
    logTypes: ['Panther.Audit'],
    eventCount: 1,
    threshold: 1,
    dedupPeriodMinutes: 60,
    firstEventTime: at(createdAtMs),
    lastEventTime: at(createdAtMs),
    createdAt: at(createdAtMs),
    updatedAt: at(createdAtMs),
    thresholdReachedAt: at(createdAtMs),
    thresholdReachedVersion: 1,
    initialStatus: severity === 'INFO' ? 'RESOLVED' : 'OPEN',
    alertContext: { ip: '203.0.113.1' },
    description: 'desc',
    reference: 'https://example.com/ref',
    runbook: 'check the actor',
    tags: ['tag-a'],
    reports: { MITRE: ['TA0001'] },
    destinationOverride: null,
    outputIds: [],
    auxErrors: [],
    errorType: '',
    errorMessage: '',
    version: 1,
    sourceOffsets: {},
    ...rest,
  };
}

/** A matched (or errored) event row of panther_rule_matches / panther_rule_errors. */
function eventRow(tenant: string, rowId: string, alertId: string, eventMs: number, error = false): Record<string, unknown> {
  const t = at(eventMs);
  return {
    p_log_type: 'Panther.Audit',
    p_tenant_id: tenant,
    p_row_id: rowId,
    p_event_time: t,
    p_parse_time: t,
    p_source_id: `${tenant}-src`,
    p_source_label: 'audit',
    p_schema_version: 1,
    p_any_ip_addresses: ['203.0.113.1'],
    p_any_usernames: [],
    p_any_emails: [],
    p_any_trace_ids: [],
    p_any_actor_ids: ['actor-1'],
    actionName: 'DELETE_DETECTION',
    actionResult: 'SUCCEEDED',
    actor: { id: 'actor-1', type: 'USER' },
    timestamp: t,
    pantherVersion: '1.0.0',
    actionParams: {},
    actionDetails: {},
    errors: [],
    XForwardedFor: [],
    p_alert_id: alertId,
    p_alert_title: `title ${alertId}`,
    p_alert_dedup: 'dedup',
    p_alert_creation_time: t,
    p_alert_update_time: t,
    p_alert_context: '{}',
    p_alert_severity: 'HIGH',
    p_alert_description: '',
    p_alert_runbook: '',
    p_alert_reference: '',
    p_alert_errors: [],
    p_rule_id: 'R.One',
    p_rule_severity: 'HIGH',
    p_rule_tags: [],
    p_rule_reports: {},
    p_rule_dedup_period_minutes: 60,
    ...(error ? { p_rule_error: 'boom', p_rule_error_type: 'KeyError', p_rule_error_traceback: 'Traceback ...' } : {}),
  };
}

async function insert(lake: LakeClient, table: string, values: Record<string, unknown>[]): Promise<void> {
  await lake.insert({ table, values, format: 'JSONEachRow' });
}

// Newest first; the two TIE alerts share a creation time and sit across the first page boundary (page size 3).
const ALL_ACME = ['a-high', 'a-crit', 'a-tie-a', 'a-tie-b', 'a-med', 'a-info', 'a-err'];

async function seedLake(): Promise<void> {
  const lake = createLakeClient(config);
  try {
    await applyLakeSchema(lake);
    const high = { alertId: 'a-high', createdAtMs: T0 + 6 * HOUR, threshold: 2 };
    // Three versions of one alert, in separate inserts: reads must see the last one only.
    await insert(lake, ALERTS_TABLE, [alertRow(alert({ ...high, eventCount: 1, thresholdReachedAt: null, thresholdReachedVersion: null, version: 1 }))]);
    await insert(lake, ALERTS_TABLE, [alertRow(alert({ ...high, eventCount: 3, title: 'high, latest', version: 3, updatedAt: at(T0 + 6 * HOUR + 120_000) }))]);
    await insert(lake, ALERTS_TABLE, [alertRow(alert({ ...high, eventCount: 2, version: 2 }))]);
    await insert(lake, ALERTS_TABLE, [
      alertRow(alert({ alertId: 'a-crit', createdAtMs: T0 + 5 * HOUR, severity: 'CRITICAL', ruleId: 'R.Two', destinationOverride: ['dest-1'] })),
      alertRow(alert({ alertId: 'a-tie-b', createdAtMs: T0 + 4 * HOUR, severity: 'LOW', ruleId: 'R.Two' })),
      alertRow(alert({ alertId: 'a-tie-a', createdAtMs: T0 + 4 * HOUR, severity: 'LOW', ruleId: 'R.Two' })),
      alertRow(alert({ alertId: 'a-med', createdAtMs: T0 + 3 * HOUR, severity: 'MEDIUM' })),
      alertRow(alert({ alertId: 'a-info', createdAtMs: T0 + 2 * HOUR, severity: 'INFO', ruleId: 'R.Info' })),
      alertRow(alert({ alertId: 'a-err', createdAtMs: T0 + HOUR, type: 'RULE_ERROR', errorType: 'KeyError', errorMessage: 'boom' })),
      // Newest of all, but below its threshold: not an alert yet.
      alertRow(alert({ alertId: 'a-below', createdAtMs: T0 + 7 * HOUR, threshold: 5, eventCount: 2, thresholdReachedAt: null, thresholdReachedVersion: null })),
      alertRow(alert({ alertId: 'g-1', tenantId: 'globex', createdAtMs: T0 + 8 * HOUR })),
    ]);
    const e = T0 + 6 * HOUR;
    await insert(lake, 'panther_rule_matches.panther_audit', [
      eventRow('acme', 'm3', 'a-high', e + 120_000),
      eventRow('acme', 'm1', 'a-high', e),
      eventRow('acme', 'm2', 'a-high', e + 60_000),
      eventRow('acme', 'c1', 'a-crit', T0 + 5 * HOUR),
      // Same alert id in another tenant: never part of acme's alert.
      eventRow('globex', 'x1', 'a-high', e + 30_000),
    ]);
    // A replayed event: the same row again, in a block of its own.
    await insert(lake, 'panther_rule_matches.panther_audit', [eventRow('acme', 'm2', 'a-high', e + 60_000)]);
    const rs = await lake.query({
      query: "SELECT count() AS n FROM panther_rule_matches.panther_audit WHERE p_tenant_id = 'acme' AND p_alert_id = 'a-high'",
      format: 'JSONEachRow',
    });
    assert.equal(Number((await rs.json<{ n: string }>())[0].n), 4, 'the replayed row must be stored twice for GetAlert to prove it dedups');
    await insert(lake, 'panther_rule_errors.panther_audit', [eventRow('acme', 'r1', 'a-err', T0 + HOUR, true)]);
    await insert(lake, ALERT_DELIVERIES_TABLE, [
      alertDeliveryRow({
        tenantId: 'acme',
        alertId: 'a-crit',
        destinationId: 'dest-1',
        destinationType: 'webhook',
        outcome: 'DELIVERED',
        attempts: 1,
        httpStatus: 200,
        error: '',
        attemptedAt: at(T0 + 5 * HOUR + 1000),
      }),
    ]);
  } finally {
    await lake.close();
  }
}

before(async () => {
  await seedLake();
  const control = ControlStore.open(config.controlFile);
  control.createTenant('acme');
  control.createTenant('globex');
  const a = control.createToken({ tenantId: 'acme', name: 'analyst', role: 'analyst' });
  const r = control.createToken({ tenantId: 'acme', name: 'viewer', role: 'read-only' });
  const g = control.createToken({ tenantId: 'globex', name: 'globex-analyst', role: 'analyst' });
  analystActor = `token:analyst (${a.record.id})`;
  running = await startCaracal(config, ['api'], createLogger('warn'));
  const endpoint = `127.0.0.1:${running.grpcPort}`;
  analyst = new CaracalClient(endpoint, a.token);
  readOnly = new CaracalClient(endpoint, r.token);
  globex = new CaracalClient(endpoint, g.token);
});

after(async () => {
  for (const c of [analyst, readOnly, globex]) c?.close();
  await running?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const ids = (alerts: Alert__Output[]) => alerts.map((a) => a.alertId);
const ms = (ts: { seconds: string; nanos: number } | null) => (ts ? Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6) : NaN);
const ts = (msValue: number) => ({ seconds: String(Math.floor(msValue / 1000)), nanos: (msValue % 1000) * 1e6 });

async function listIds(client: CaracalClient, request: ListAlertsRequest): Promise<string[]> {
  return ids((await client.listAlerts(request)).alerts);
}

function rejectsWith(code: grpc.status, message?: RegExp) {
  return (err: grpc.ServiceError) => {
    assert.equal(err.code, code, `expected ${grpc.status[code]}, got ${grpc.status[err.code]}: ${err.details}`);
    if (message) assert.match(err.details, message);
    return true;
  };
}

test('alerts list newest first, latest version only, without alerts below threshold or of other tenants', async () => {
  const page = await analyst.listAlerts({});
  assert.deepEqual(ids(page.alerts), ALL_ACME);
  assert.equal(page.nextPageToken, '');
  const high = page.alerts[0];
  assert.equal(high.title, 'high, latest');
  assert.equal(high.eventCount, '3');
  assert.equal(high.status, 'ALERT_STATUS_OPEN');
  assert.equal(high.type, 'ALERT_TYPE_RULE');
  assert.equal(high.severity, 'SEVERITY_HIGH');
  assert.equal(high.threshold, 2);
  assert.equal(high.logType, 'Panther.Audit');
  assert.deepEqual(high.logTypes, ['Panther.Audit']);
  assert.equal(ms(high.createdTime), T0 + 6 * HOUR);
  assert.equal(ms(high.updatedTime), T0 + 6 * HOUR + 120_000);
  assert.deepEqual(JSON.parse(high.alertContextJson), { ip: '203.0.113.1' });
  assert.equal(high.hasDestinationOverride, false);
  const crit = page.alerts[1];
  assert.equal(crit.hasDestinationOverride, true);
  assert.deepEqual(crit.destinationOverride, ['dest-1']);
  const err = page.alerts.find((a) => a.alertId === 'a-err')!;
  assert.equal(err.type, 'ALERT_TYPE_RULE_ERROR');
  assert.equal(err.errorType, 'KeyError');
  assert.equal(err.errorMessage, 'boom');

  assert.deepEqual(await listIds(globex, {}), ['g-1']);
});

test('a new INFO alert reads RESOLVED, others OPEN', async () => {
  const { alerts } = await analyst.listAlerts({});
  for (const a of alerts) assert.equal(a.status, a.alertId === 'a-info' ? 'ALERT_STATUS_RESOLVED' : 'ALERT_STATUS_OPEN', a.alertId);
});

test('each filter narrows the list', async () => {
  assert.deepEqual(await listIds(analyst, { statuses: ['ALERT_STATUS_RESOLVED'] }), ['a-info']);
  assert.deepEqual(await listIds(analyst, { severities: ['SEVERITY_HIGH', 'SEVERITY_CRITICAL'] }), ['a-high', 'a-crit', 'a-err']);
  assert.deepEqual(await listIds(analyst, { ruleId: 'R.One' }), ['a-high', 'a-med', 'a-err']);
  assert.deepEqual(await listIds(analyst, { types: ['ALERT_TYPE_RULE_ERROR'] }), ['a-err']);
  // created_after is inclusive, created_before exclusive.
  assert.deepEqual(await listIds(analyst, { createdAfter: ts(T0 + 3 * HOUR), createdBefore: ts(T0 + 5 * HOUR) }), ['a-tie-a', 'a-tie-b', 'a-med']);
  assert.deepEqual(await listIds(analyst, { ruleId: 'R.Two', severities: ['SEVERITY_LOW'], createdAfter: ts(T0 + 4 * HOUR) }), ['a-tie-a', 'a-tie-b']);
  assert.deepEqual(await listIds(analyst, { ruleId: 'No.Such.Rule' }), []);
  await assert.rejects(analyst.listAlerts({ statuses: ['ALERT_STATUS_UNSPECIFIED'] }), rejectsWith(grpc.status.INVALID_ARGUMENT));
});

test('paging walks every alert once, across three pages, ties included', async () => {
  const seen: string[] = [];
  let token = '';
  let pages = 0;
  do {
    const page = await analyst.listAlerts({ pageSize: 3, pageToken: token });
    seen.push(...ids(page.alerts));
    token = page.nextPageToken;
    pages++;
    assert.ok(pages <= 3, 'more pages than alerts allow');
  } while (token);
  assert.equal(pages, 3);
  assert.deepEqual(seen, ALL_ACME);
  // Filters apply on every page.
  const first = await analyst.listAlerts({ pageSize: 2, ruleId: 'R.One' });
  assert.deepEqual(ids(first.alerts), ['a-high', 'a-med']);
  const second = await analyst.listAlerts({ pageSize: 2, ruleId: 'R.One', pageToken: first.nextPageToken });
  assert.deepEqual(ids(second.alerts), ['a-err']);
  assert.equal(second.nextPageToken, '');
});

test('a malformed page token is INVALID_ARGUMENT', async () => {
  for (const pageToken of ['not a token', Buffer.from('{"createdAtMs":"x"}').toString('base64url')]) {
    await assert.rejects(analyst.listAlerts({ pageToken }), rejectsWith(grpc.status.INVALID_ARGUMENT, /page_token/));
  }
});

test('GetAlert returns only that alert’s events, each once, oldest first, and its deliveries', async () => {
  const res = await analyst.getAlert('a-high');
  assert.equal(res.alert?.alertId, 'a-high');
  const events = res.eventsJson.map((e) => JSON.parse(e) as Record<string, unknown>);
  assert.deepEqual(
    events.map((e) => e.p_row_id),
    ['m1', 'm2', 'm3'],
  );
  for (const e of events) {
    assert.equal(e.p_alert_id, 'a-high');
    assert.equal(e.p_tenant_id, 'acme');
  }
  assert.deepEqual((events[0].actor as { id: string }).id, 'actor-1');
  const limited = await analyst.getAlert('a-high', 2);
  assert.deepEqual(
    limited.eventsJson.map((e) => JSON.parse(e).p_row_id),
    ['m1', 'm2'],
  );
  assert.deepEqual(res.deliveries, []);

  const crit = await analyst.getAlert('a-crit');
  assert.equal(crit.deliveries.length, 1);
  assert.equal(crit.deliveries[0].destinationId, 'dest-1');
  assert.equal(crit.deliveries[0].outcome, 'ALERT_DELIVERY_OUTCOME_DELIVERED');
  assert.equal(crit.deliveries[0].httpStatus, 200);

  const err = await analyst.getAlert('a-err');
  const errorRows = err.eventsJson.map((e) => JSON.parse(e) as Record<string, unknown>);
  assert.deepEqual(
    errorRows.map((e) => [e.p_row_id, e.p_rule_error_type, e.p_rule_error]),
    [['r1', 'KeyError', 'boom']],
  );
});

test('alerts below threshold and of other tenants are NOT_FOUND', async () => {
  await assert.rejects(analyst.getAlert('a-below'), rejectsWith(grpc.status.NOT_FOUND, /a-below/));
  await assert.rejects(analyst.getAlert('g-1'), rejectsWith(grpc.status.NOT_FOUND, /g-1/));
  await assert.rejects(globex.getAlert('a-high'), rejectsWith(grpc.status.NOT_FOUND, /a-high/));
  await assert.rejects(analyst.updateAlertStatus(['g-1'], 'ALERT_STATUS_CLOSED'), rejectsWith(grpc.status.NOT_FOUND, /g-1/));
  await assert.rejects(analyst.updateAlertAssignee('a-below', 'alice'), rejectsWith(grpc.status.NOT_FOUND, /a-below/));
  await assert.rejects(globex.addAlertComment('a-high', 'hi'), rejectsWith(grpc.status.NOT_FOUND, /a-high/));
  assert.deepEqual(await listIds(globex, {}), ['g-1']);
});

test('a status update shows in the list and its filters; a failed update changes nothing', async () => {
  const updated = await analyst.updateAlertStatus(['a-high', 'a-crit'], 'ALERT_STATUS_TRIAGED');
  assert.deepEqual(
    updated.map((a) => [a.alertId, a.status]),
    [
      ['a-high', 'ALERT_STATUS_TRIAGED'],
      ['a-crit', 'ALERT_STATUS_TRIAGED'],
    ],
  );
  assert.ok(ms(updated[0].updatedTime) > T0 + 6 * HOUR + 120_000, 'the update moves updated_time');
  assert.deepEqual(await listIds(analyst, { statuses: ['ALERT_STATUS_TRIAGED'] }), ['a-high', 'a-crit']);
  assert.deepEqual(await listIds(analyst, { statuses: ['ALERT_STATUS_OPEN'] }), ['a-tie-a', 'a-tie-b', 'a-med', 'a-err']);

  // The latest status wins, also over an INFO alert's initial RESOLVED.
  await analyst.updateAlertStatus(['a-info'], 'ALERT_STATUS_OPEN');
  await analyst.updateAlertStatus(['a-high'], 'ALERT_STATUS_RESOLVED');
  assert.deepEqual(await listIds(analyst, { statuses: ['ALERT_STATUS_RESOLVED'] }), ['a-high']);
  assert.equal((await analyst.getAlert('a-info')).alert?.status, 'ALERT_STATUS_OPEN');

  // One unknown id fails the whole update, naming it.
  await assert.rejects(analyst.updateAlertStatus(['a-crit', 'nope'], 'ALERT_STATUS_CLOSED'), rejectsWith(grpc.status.NOT_FOUND, /"nope"/));
  assert.equal((await analyst.getAlert('a-crit')).alert?.status, 'ALERT_STATUS_TRIAGED');

  await assert.rejects(analyst.updateAlertStatus(['a-crit'], 'ALERT_STATUS_UNSPECIFIED'), rejectsWith(grpc.status.INVALID_ARGUMENT));
  await assert.rejects(analyst.updateAlertStatus([], 'ALERT_STATUS_OPEN'), rejectsWith(grpc.status.INVALID_ARGUMENT));
  const tooMany = Array.from({ length: 101 }, (_, i) => `id-${i}`);
  await assert.rejects(analyst.updateAlertStatus(tooMany, 'ALERT_STATUS_OPEN'), rejectsWith(grpc.status.INVALID_ARGUMENT, /at most 100/));
});

test('assign and unassign', async () => {
  const assigned = await analyst.updateAlertAssignee('a-med', 'alice@example.com');
  assert.equal(assigned.assignee, 'alice@example.com');
  assert.equal((await analyst.listAlerts({ ruleId: 'R.One' })).alerts.find((a) => a.alertId === 'a-med')?.assignee, 'alice@example.com');
  const unassigned = await analyst.updateAlertAssignee('a-med', '');
  assert.equal(unassigned.assignee, '');
  assert.equal((await analyst.getAlert('a-med')).alert?.assignee, '');
  await assert.rejects(analyst.updateAlertAssignee('a-med', 'x'.repeat(201)), rejectsWith(grpc.status.INVALID_ARGUMENT, /200/));
});

test('a comment shows in GetAlert activity, after the status and assignee changes, with its actor', async () => {
  await analyst.updateAlertStatus(['a-tie-a'], 'ALERT_STATUS_TRIAGED');
  await analyst.updateAlertAssignee('a-tie-a', 'bob');
  const added = await analyst.addAlertComment('a-tie-a', 'looked at it; benign');
  assert.equal(added.kind, 'ALERT_ACTIVITY_KIND_COMMENT');
  assert.equal(added.actor, analystActor);
  const { activity } = await analyst.getAlert('a-tie-a');
  assert.deepEqual(
    activity.map((a) => [a.kind, a.status, a.assignee, a.comment, a.actor]),
    [
      ['ALERT_ACTIVITY_KIND_STATUS', 'ALERT_STATUS_TRIAGED', '', '', analystActor],
      ['ALERT_ACTIVITY_KIND_ASSIGNEE', 'ALERT_STATUS_UNSPECIFIED', 'bob', '', analystActor],
      ['ALERT_ACTIVITY_KIND_COMMENT', 'ALERT_STATUS_UNSPECIFIED', '', 'looked at it; benign', analystActor],
    ],
  );
  assert.equal(activity[2].activityId, added.activityId);
  await assert.rejects(analyst.addAlertComment('a-tie-a', '   '), rejectsWith(grpc.status.INVALID_ARGUMENT, /empty/));
  await assert.rejects(analyst.addAlertComment('a-tie-a', 'x'.repeat(10_001)), rejectsWith(grpc.status.INVALID_ARGUMENT, /10000/));
});

test('a read-only token reads but cannot change alerts', async () => {
  assert.deepEqual(await listIds(readOnly, { types: ['ALERT_TYPE_RULE_ERROR'] }), ['a-err']);
  assert.equal((await readOnly.getAlert('a-err')).alert?.alertId, 'a-err');
  await assert.rejects(readOnly.updateAlertStatus(['a-err'], 'ALERT_STATUS_CLOSED'), rejectsWith(grpc.status.PERMISSION_DENIED));
  await assert.rejects(readOnly.updateAlertAssignee('a-err', 'eve'), rejectsWith(grpc.status.PERMISSION_DENIED));
  await assert.rejects(readOnly.addAlertComment('a-err', 'hi'), rejectsWith(grpc.status.PERMISSION_DENIED));
  const err = await analyst.getAlert('a-err');
  assert.equal(err.alert?.status, 'ALERT_STATUS_OPEN');
  assert.deepEqual(err.activity, []);
});
