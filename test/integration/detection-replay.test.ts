import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { createMessageBus, MessageBus } from '@caracal/bus';
import { CaracalError, createLogger, loadConfig } from '@caracal/core';
import { NormalizedEvent, toClickHouseTime } from '@caracal/core/messages';
import { applyLakeSchema, createLakeClient, LakeClient } from '@caracal/lake';
import { insertRows } from '@caracal/clickhouse-writer';
import { AlertQueryService, DetectionReplayService, DetectionStoreService, SqlQueryService } from '@caracal/api-service';
import type { ReplayProgress } from '@caracal/api-service';
import { repoRoot, tempDir } from '../support/test-env';

// A replay against the real engines: chDB for the lake, Pyodide in its
// sandbox for the rules. The alerts it reports are checked against the dedup
// windows worked out here from the generated events, by event time; the
// cache's clock is the events' own (a rule that counts queries within an hour
// alerts on the dense burst only); other tenants' events are never read.
const logger = createLogger('warn', 'detection-replay-test');
const dataDir = tempDir('detection-replay');
const config = loadConfig({
  CARACAL_DATA_DIR: dataDir,
  CARACAL_RULES_DIR: path.join(repoRoot(), 'test', 'fixtures', 'replay-rules'),
  CARACAL_LOG_LEVEL: 'warn',
});
const MINUTE_MS = 60_000;
const DELETES = 'Replay.Detection.Deleted';
const BURST = 'Replay.Query.Burst';
// A whole day that ended an hour ago: every event of it is history.
const untilMs = Math.floor((Date.now() - 3_600_000) / MINUTE_MS) * MINUTE_MS;
const sinceMs = untilMs - 24 * 60 * MINUTE_MS;

let lake: LakeClient;
let bus: MessageBus;
let store: DetectionStoreService;
let replay: DetectionReplayService;

let rowSeq = 0;
function auditEvent(tenant: string, actionName: string, atMs: number, actor: string): NormalizedEvent {
  rowSeq += 1;
  const t = toClickHouseTime(new Date(atMs));
  return {
    p_log_type: 'Panther.Audit',
    p_tenant_id: tenant,
    p_row_id: `replay-${tenant}-${String(rowSeq).padStart(6, '0')}`,
    p_event_time: t,
    p_parse_time: t,
    p_source_id: `${tenant}-src`,
    p_source_label: 'audit',
    p_schema_version: 1,
    p_any_ip_addresses: [],
    p_any_usernames: [],
    p_any_emails: [],
    p_any_trace_ids: [],
    p_any_actor_ids: [],
    actionName,
    actionResult: 'SUCCEEDED',
    actor: { id: actor, type: 'USER', name: actor },
    timestamp: t,
    pantherVersion: '1.0.0',
    actionParams: {},
    actionDetails: {},
    errors: [],
    sourceIP: '203.0.113.1',
    XForwardedFor: [],
  };
}

/** Deletions by three people over the day, at minutes chosen to open and close hour windows; queries in a burst and spread out. */
const DELETION_MINUTES: Record<string, number[]> = {
  homer: [5, 20, 64, 70, 300, 359, 1430],
  marge: [100, 161, 1000],
  bart: [720],
};
const QUERY_MINUTES: Record<string, number[]> = {
  // Three within an hour, by event time.
  lisa: [600, 620, 640],
  // Three, each more than an hour after the last: the count expires in between.
  maggie: [200, 290, 380],
};

const acmeEvents: NormalizedEvent[] = [];
for (const [actor, minutes] of Object.entries(DELETION_MINUTES)) for (const m of minutes) acmeEvents.push(auditEvent('acme', 'DELETE_DETECTION', sinceMs + m * MINUTE_MS, actor));
for (const [actor, minutes] of Object.entries(QUERY_MINUTES)) for (const m of minutes) acmeEvents.push(auditEvent('acme', 'EXECUTE_DATA_LAKE_QUERY', sinceMs + m * MINUTE_MS, actor));
// Outside the window, both sides.
acmeEvents.push(auditEvent('acme', 'DELETE_DETECTION', sinceMs - 10 * MINUTE_MS, 'ned'));
acmeEvents.push(auditEvent('acme', 'DELETE_DETECTION', untilMs + MINUTE_MS, 'ned'));
// Another tenant's deletions in the same window.
const globexEvents = [0, 1, 2, 3].map((i) => auditEvent('globex', 'DELETE_DETECTION', sinceMs + (50 + i * 90) * MINUTE_MS, 'hank'));

/** The alert stage's rule, worked out here: a window opens at a match and holds the matches of its dedup period. */
function expectedWindows(minutes: number[], periodMinutes: number): { count: number; first: number }[] {
  const windows: { count: number; first: number }[] = [];
  for (const m of [...minutes].sort((a, b) => a - b)) {
    const open = windows.at(-1);
    if (open && m < open.first + periodMinutes) open.count += 1;
    else windows.push({ count: 1, first: m });
  }
  return windows;
}

before(async () => {
  lake = createLakeClient(config);
  await applyLakeSchema(lake);
  // Half the tenant's rows twice, as a retried batch leaves them before the lake merges.
  await insertRows(lake, 'panther_logs.panther_audit', [...acmeEvents, ...globexEvents], 'replay-1');
  await insertRows(lake, 'panther_logs.panther_audit', acmeEvents.slice(0, 6), 'replay-2');
  bus = createMessageBus(config, logger);
  store = new DetectionStoreService(bus, config, logger);
  await store.onApplicationBootstrap();
  replay = new DetectionReplayService(store, new SqlQueryService(lake, config), new AlertQueryService(lake, config), config, logger);
});

after(async () => {
  await store?.onApplicationShutdown();
  await bus?.close();
  await lake?.close();
});

test('a replay reports the alerts of the dedup windows by event time, for the tenant only', async () => {
  const progress: ReplayProgress[] = [];
  const report = await replay.replay('acme', { ruleId: DELETES, sinceMs, untilMs }, { onProgress: (p) => void progress.push(p) });
  const inWindow = Object.values(DELETION_MINUTES).flat().length + Object.values(QUERY_MINUTES).flat().length;
  assert.equal(report.eventsRead, inWindow, 'every event of the window once, none of globex, none outside it');
  assert.equal(report.eventsMatched, Object.values(DELETION_MINUTES).flat().length);
  assert.equal(report.ruleErrors, 0);

  const expected = Object.entries(DELETION_MINUTES).flatMap(([actor, minutes]) =>
    expectedWindows(minutes, 60).map((w) => ({ dedup: actor, eventCount: w.count, createdAt: toClickHouseTime(new Date(sinceMs + w.first * MINUTE_MS)) })),
  );
  const got = report.alerts.map((a) => ({ dedup: a.dedup, eventCount: a.eventCount, createdAt: a.createdAt }));
  const order = (a: { createdAt: string; dedup: string }, b: { createdAt: string; dedup: string }) => a.createdAt.localeCompare(b.createdAt) || a.dedup.localeCompare(b.dedup);
  assert.deepEqual(got.sort(order), expected.sort(order));
  assert.equal(report.alertCount, expected.length);
  assert.ok(report.alerts.every((a) => a.type === 'RULE' && a.title === `${a.dedup} deleted a detection` && a.severity === 'MEDIUM'));
  const homerFirst = report.alerts.find((a) => a.dedup === 'homer')!;
  assert.equal(homerFirst.firstEventTime, toClickHouseTime(new Date(sinceMs + 5 * MINUTE_MS)));
  assert.equal(homerFirst.lastEventTime, toClickHouseTime(new Date(sinceMs + 64 * MINUTE_MS)), 'minute 64 is within the hour that opened at minute 5');

  // No live alert of the rule exists: every replayed dedup is a difference.
  assert.equal(report.comparison.liveAlerts, 0);
  assert.deepEqual(
    report.comparison.differences.map((d) => [d.dedup, d.replayAlerts, d.liveAlerts]),
    Object.entries(DELETION_MINUTES).map(([actor, minutes]) => [actor, expectedWindows(minutes, 60).length, 0]).sort(),
  );

  assert.ok(progress.length >= 2, 'a progress report before reading and one at the end');
  // The count before reading includes copies the lake has not merged yet.
  assert.ok(progress[0].eventsTotal >= inWindow && progress[0].eventsTotal <= inWindow + 6, `eventsTotal ${progress[0].eventsTotal}`);
  assert.equal(progress.at(-1)!.eventsRead, inWindow);
  assert.equal(progress.at(-1)!.eventTime, toClickHouseTime(new Date(sinceMs + 1430 * MINUTE_MS)));
  assert.ok(report.cost.lakeQueries >= 2 && report.cost.eventBytes > 0 && report.cost.elapsedSeconds > 0);

  const other = await replay.replay('globex', { ruleId: DELETES, sinceMs, untilMs });
  assert.equal(other.eventsRead, globexEvents.length);
  assert.deepEqual(other.alerts.map((a) => [a.dedup, a.eventCount]), [['hank', 1], ['hank', 1], ['hank', 1], ['hank', 1]]);
});

test("the cache keeps event time: only queries within an hour of each other add up, and a disabled rule replays", async () => {
  const report = await replay.replay('acme', { ruleId: BURST, sinceMs, untilMs });
  assert.deepEqual(report.alerts.map((a) => [a.dedup, a.eventCount, a.createdAt]), [['lisa', 1, toClickHouseTime(new Date(sinceMs + 640 * MINUTE_MS))]]);
  // A second replay starts from an empty cache of its own: the same answer, not a count carried over.
  const again = await replay.replay('acme', { ruleId: BURST, sinceMs, untilMs });
  assert.deepEqual(again.alerts.map((a) => a.dedup), ['lisa']);
});

test('a changed rule given as files replays without being stored, and its errors are reported', async () => {
  const yaml = `AnalysisType: rule
RuleID: ${DELETES}
Filename: replay_deletes.py
Enabled: true
LogTypes: [Panther.Audit]
Severity: High
DedupPeriodMinutes: 600
Threshold: 2
`;
  const python = `def rule(event):
    if event.deep_get("actor", "name") == "bart":
        raise ValueError("bart is not expected")
    return event.get("actionName") == "DELETE_DETECTION"


def title(event):
    return "changed"


def dedup(event):
    return event.deep_get("actor", "name")
`;
  const report = await replay.replay('acme', { files: { yaml, python }, sinceMs, untilMs });
  const expected = ['homer', 'marge'].flatMap((actor) => expectedWindows(DELETION_MINUTES[actor], 600).filter((w) => w.count >= 2).map((w) => [actor, w.count]));
  assert.deepEqual(report.alerts.map((a) => [a.dedup, a.eventCount]).sort(), expected.sort());
  assert.ok(report.alerts.every((a) => a.title === 'changed' && a.severity === 'HIGH'));
  assert.equal(report.ruleErrors, 1);
  assert.equal(report.errorAlertCount, 1);
  assert.equal(report.errorAlerts[0].type, 'RULE_ERROR');
  assert.match(report.errorAlerts[0].errorMessage, /bart is not expected/);
  // The stored detection is still the one on disk.
  const stored = store.get('acme', DELETES);
  assert.equal(stored.spec.threshold, 1);
  assert.equal(stored.origin, 'PACK');
});

test('a replay can be cancelled, and bad requests are refused by name', async () => {
  const abort = new AbortController();
  await assert.rejects(
    replay.replay('acme', { ruleId: DELETES, sinceMs, untilMs }, { signal: abort.signal, onProgress: () => abort.abort() }),
    (err: unknown) => err instanceof CaracalError && err.code === 'CANCELLED' && /cancelled/.test(err.message),
  );
  await assert.rejects(replay.replay('acme', { ruleId: DELETES, sinceMs: untilMs, untilMs: sinceMs }), /must end after it starts/);
  await assert.rejects(replay.replay('acme', { ruleId: 'No.Such.Rule', sinceMs, untilMs }), /no detection "No.Such.Rule"/);
});
