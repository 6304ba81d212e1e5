import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deleteDetectionEvent } from './audit-events';
import { waitFor } from './wait-for';

/**
 * Replay of a changed detection over a day of events, through the CLI, the
 * same in embedded and kafka mode. Two tenants get the same day of events;
 * globex runs the changed rule live, acme the rule of the fixture. acme's
 * replay of the changed rule must report exactly the alerts globex's stream
 * raised, and its comparison with its own live alerts must name exactly the
 * dedups where the two rules differ. Nothing a replay does shows anywhere else.
 */
export interface ReplayTenants {
  /** The CLI as the tenant; asserts it exits 0 and returns stdout. */
  cli(tenant: string, args: string[]): string;
  /** The CLI as the tenant, whatever its exit. */
  run(tenant: string, args: string[]): { status: number | null; stdout: string; stderr: string };
  send(tenant: string, events: unknown[]): Promise<void>;
}

export const REPLAY_RULE = 'Replay.Detection.Deleted';
const HOUR_MS = 3_600_000;

/** The changed rule: one alert per person over a day, only from three deletions on. */
const CHANGED_YAML = `AnalysisType: rule
RuleID: ${REPLAY_RULE}
DisplayName: Three or more detections deleted by one person in a day
Filename: replay_deletes.py
Enabled: true
LogTypes:
  - Panther.Audit
Severity: High
DedupPeriodMinutes: 1440
Threshold: 3
Tests:
  - Name: A deletion
    ExpectedResult: true
    Log:
      actionName: DELETE_DETECTION
      actor: {name: homer}
  - Name: Something else
    ExpectedResult: false
    Log:
      actionName: EXECUTE_DATA_LAKE_QUERY
      actor: {name: homer}
`;
const CHANGED_PY = `def rule(event):
    return event.get("actionName") == "DELETE_DETECTION"


def title(event):
    return f"{event.deep_get('actor', 'name')} deletes detections"


def dedup(event):
    return event.deep_get("actor", "name", default="unknown")
`;

/** Deletions per person over the day before the last hour; spread by a fixed step, so every run sends the same shape. */
const DELETIONS: Record<string, number> = {
  'homer@springfield.gov': 9,
  'marge@springfield.gov': 3,
  'bart@springfield.gov': 2,
  'lisa@springfield.gov': 1,
  'ned@springfield.gov': 5,
};

function dayOfEvents(nowMs: number): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  let k = 0;
  for (const [email, count] of Object.entries(DELETIONS)) {
    for (let i = 0; i < count; i++) {
      // From 23 hours ago to 1 hour ago, the people interleaved.
      const at = nowMs - 23 * HOUR_MS + ((k * 7919) % 79_000) * 1_000;
      k += 1;
      events.push({ ...deleteDetectionEvent(`Rule.${k}`, email), timestamp: new Date(at).toISOString() });
    }
  }
  // Queries, which neither rule matches.
  for (let i = 0; i < 40; i++) {
    const at = nowMs - 22 * HOUR_MS + i * 30 * 60_000;
    events.push({ ...deleteDetectionEvent('x', 'moe@springfield.gov'), actionName: 'EXECUTE_DATA_LAKE_QUERY', actionParams: {}, timestamp: new Date(at).toISOString() });
  }
  return events;
}

type LiveAlert = { ruleId: string; type: string; title: string; dedup: string; eventCount: number; firstEventTime: string; lastEventTime: string };
type ReportAlert = { type: string; title: string; dedup: string; eventCount: number | string; firstEventTime: unknown; lastEventTime: unknown };
interface Report {
  ruleId: string;
  eventsRead: number | string;
  eventsMatched: number | string;
  ruleErrors: number | string;
  alertCount: number | string;
  alerts: ReportAlert[];
  comparison: { liveAlerts: number | string; sameDedups: number | string; differences: { dedup: string; replayAlerts: number | string; liveAlerts: number | string }[] };
  cost: Record<string, number | string>;
}

/** A time as the CLI prints it (ISO, or the lake's text, or a Timestamp) in ms. */
function ms(value: unknown): number {
  if (typeof value === 'string') return new Date(/Z$|[+-]\d\d:\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`).getTime();
  const ts = value as { seconds: string | number; nanos?: number };
  return Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

function shape(a: { title: string; dedup: string; eventCount: number | string; firstEventTime: unknown; lastEventTime: unknown }) {
  return { title: a.title, dedup: a.dedup, eventCount: Number(a.eventCount), first: ms(a.firstEventTime), last: ms(a.lastEventTime) };
}

function byDedup<T extends { dedup: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => a.dedup.localeCompare(b.dedup));
}

export async function replayScenario(t: ReplayTenants, dir: string, tenants: { first: string; second: string; empty: string }): Promise<void> {
  const { first, second, empty } = tenants;
  const yamlPath = path.join(dir, 'replay_deletes.yml');
  fs.writeFileSync(yamlPath, CHANGED_YAML);
  fs.writeFileSync(path.join(dir, 'replay_deletes.py'), CHANGED_PY);
  // The second tenant runs the changed rule live (its Tests pass on the way in).
  assert.match(t.cli(second, ['detections', 'put', yamlPath]), new RegExp(REPLAY_RULE));

  const nowMs = Date.now();
  const events = dayOfEvents(nowMs);
  // The window ends before the API's own audit events of this test (the tenant's Panther.Audit events too) begin.
  const window = ['--since', '2d', '--until', new Date(nowMs - 30 * 60_000).toISOString()];
  await t.send(first, events);
  await t.send(second, events);
  const deletions = Object.values(DELETIONS).reduce((a, b) => a + b, 0);

  const liveAlerts = (tenant: string) => JSON.parse(t.cli(tenant, ['alerts', 'list', '--rule', REPLAY_RULE, '--format', 'json'])) as LiveAlert[];
  const matchesInLake = (tenant: string) =>
    Number((JSON.parse(t.cli(tenant, ['query', `SELECT count() AS n FROM panther_rule_matches.panther_audit WHERE p_rule_id = '${REPLAY_RULE}'`, '--format', 'json'])) as { n: string }[])[0].n);
  // Every deletion matched both rules and went through the alert stage in each tenant.
  await waitFor('every match of both tenants in the lake', async () => (matchesInLake(first) === deletions && matchesInLake(second) === deletions ? true : undefined), 120_000, 1000);
  const expectedChanged = Object.entries(DELETIONS).filter(([, n]) => n >= 3);
  const secondLive = await waitFor('the changed rule alerts of the second tenant', async () => {
    const list = liveAlerts(second);
    return list.length === expectedChanged.length && list.every((a) => a.eventCount === DELETIONS[a.dedup]) ? list : undefined;
  }, 60_000, 1000);
  const firstLive = await waitFor('the fixture rule alerts of the first tenant', async () => {
    const list = liveAlerts(first);
    return list.length === Object.keys(DELETIONS).length ? list : undefined;
  }, 60_000, 1000);

  // The first tenant replays the changed rule, given as files and not stored.
  const replayed = JSON.parse(t.cli(first, ['detections', 'replay', yamlPath, ...window, '--format', 'json'])) as Report;
  assert.equal(replayed.ruleId, REPLAY_RULE);
  assert.equal(Number(replayed.eventsRead), events.length, 'the day of events, each once');
  assert.equal(Number(replayed.eventsMatched), deletions);
  assert.equal(Number(replayed.ruleErrors), 0);
  // Exactly the alerts the stream raised for the tenant that runs the rule live.
  assert.equal(Number(replayed.alertCount), secondLive.length);
  assert.deepEqual(byDedup(replayed.alerts.map(shape)), byDedup(secondLive.map(shape)));
  assert.ok(replayed.alerts.every((a) => a.type.endsWith('RULE')), JSON.stringify(replayed.alerts.map((a) => a.type)));
  // Against its own live alerts (the fixture rule: every person, threshold 1): the people below three differ.
  assert.equal(Number(replayed.comparison.liveAlerts), firstLive.length);
  assert.equal(Number(replayed.comparison.sameDedups), expectedChanged.length);
  assert.deepEqual(
    byDedup(replayed.comparison.differences).map((d) => [d.dedup, Number(d.replayAlerts), Number(d.liveAlerts)]),
    Object.entries(DELETIONS).filter(([, n]) => n < 3).map(([email]) => [email, 0, 1]).sort(),
  );
  assert.ok(Number(replayed.cost.lakeQueries) >= 2, JSON.stringify(replayed.cost));

  // The second tenant replays its live rule by RuleID: no difference from what its stream raised.
  const own = JSON.parse(t.cli(second, ['detections', 'replay', REPLAY_RULE, ...window, '--format', 'json'])) as Report;
  assert.equal(own.comparison.differences.length, 0, JSON.stringify(own.comparison));
  assert.equal(Number(own.comparison.sameDedups), secondLive.length);

  // Nothing was delivered or stored: both tenants' alerts and matches are as they were.
  assert.deepEqual(byDedup(liveAlerts(first).map(shape)), byDedup(firstLive.map(shape)));
  assert.deepEqual(byDedup(liveAlerts(second).map(shape)), byDedup(secondLive.map(shape)));
  assert.equal(matchesInLake(first), deletions);
  assert.equal(matchesInLake(second), deletions);
  // The first tenant's stored rule is still the fixture's.
  assert.match(t.cli(first, ['detections', 'get', REPLAY_RULE]), /Threshold: 1/);

  // A tenant with the same content and no events: its replay reads nothing of the others'.
  const none = JSON.parse(t.cli(empty, ['detections', 'replay', yamlPath, ...window, '--format', 'json'])) as Report;
  assert.equal(Number(none.eventsRead), 0);
  assert.equal(Number(none.alertCount), 0);
  assert.equal(Number(none.comparison.liveAlerts), 0);

  // Refused by name: a window that ends before it starts, a rule that does not exist.
  const badWindow = t.run(first, ['detections', 'replay', REPLAY_RULE, '--since', '1d', '--until', '2d']);
  assert.notEqual(badWindow.status, 0);
  assert.match(badWindow.stderr, /until|since/i);
  const unknown = t.run(first, ['detections', 'replay', 'No.Such.Rule', '--since', '1d']);
  assert.notEqual(unknown.status, 0);
  assert.match(unknown.stderr, /no detection "No\.Such\.Rule"/);
}
