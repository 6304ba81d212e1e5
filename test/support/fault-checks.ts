import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { Topics } from '@caracal/bus';
import { checkAlerts, checkLake } from './delivery-check';
import { EVENTS_PER_TENANT, FaultScenario, REQUESTS, TOTAL_EVENTS } from './fault-scenario';
import { waitFor } from './wait-for';

/** Milliseconds since `t0`, for diagnostics. */
const since = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/**
 * After the stream: once every group has caught up, each tenant's lake rows
 * equal its distinct row ids equal its acknowledged events, and each tenant
 * has exactly its alerts, each counting exactly its events.
 */
export async function assertExactlyOnce(t: TestContext, scenario: FaultScenario): Promise<void> {
  const t0 = Date.now();
  await scenario.settle();
  t.diagnostic(`settled (no group lag) after ${since(t0)}`);
  t.diagnostic(`HTTP answers: ${JSON.stringify(Object.fromEntries(scenario.stats.statuses))}; acknowledged events: ${scenario.acknowledgedTotal}`);
  assert.equal(scenario.acknowledgedTotal, TOTAL_EVENTS, 'every event sent was acknowledged in the end');
  const published = await scenario.offsets.published(Topics.ruleMatches);
  t.diagnostic(`rule matches published: ${published} (${published - scenario.expectedMatches} published again by a replay)`);

  const lake = await scenario.lakeCounts();
  const rows = [...lake.values()].reduce((n, c) => n + c.rows, 0);
  const ids = [...lake.values()].reduce((n, c) => n + c.uniqueRowIds, 0);
  t.diagnostic(`lake: ${rows} rows, ${ids} distinct p_row_ids, ${scenario.acknowledgedTotal} acknowledged`);
  const findings = checkLake(scenario.stats.acknowledged, lake);
  if (findings.length > 0) {
    // Where the extra rows come from: twice in Kafka means published twice, once in Kafka means written twice.
    const inKafka = await scenario.logTopicCounts(findings.map((f) => f.tenant));
    t.diagnostic(`log topic of those tenants: ${JSON.stringify(Object.fromEntries(inKafka))}`);
  }
  assert.deepEqual(findings, [], 'every acknowledged event in the lake exactly once');

  const alerts = await scenario.alerts();
  const alertList = [...alerts.values()].flat();
  t.diagnostic(`alerts: ${alertList.length}, counting ${alertList.reduce((n, a) => n + a.eventCount, 0)} events (expected ${scenario.expectedMatches})`);
  const alertFindings = checkAlerts(scenario.expectedAlerts(), alerts);
  if (alertFindings.length > 0) {
    // Extra counted events with no extra lake rows: were the events themselves in Kafka twice (merged away in the lake since)?
    const inKafka = await scenario.logTopicCounts([...new Set(alertFindings.map((f) => f.tenant))]);
    t.diagnostic(`log topic of those tenants: ${JSON.stringify(Object.fromEntries(inKafka))}`);
  }
  assert.deepEqual(alertFindings, [], 'exactly the expected alerts, each with its exact event count');
  assert.equal(new Set(alertList.map((a) => a.alertId)).size, alertList.length, 'alert ids are unique across tenants');

  // Matched events reach panther_rule_matches once each; a re-published batch
  // of the stage may show as extra rows until the ReplacingMergeTree merges.
  const matched = await scenario.matchRows();
  const perTenant = scenario.expectedMatches / scenario.tenants.length;
  const matchRows = [...matched.values()].reduce((n, c) => n + c.rows, 0);
  t.diagnostic(`rule-match rows: ${matchRows} rows, ${[...matched.values()].reduce((n, c) => n + c.uniqueRowIds, 0)} distinct`);
  assert.deepEqual(
    [...matched].filter(([, c]) => c.uniqueRowIds !== perTenant),
    [],
    `each tenant has its ${perTenant} matched events in panther_rule_matches`,
  );
}

/**
 * The negative controls, on the data the positive check just passed:
 * - seven of a tenant's events published again in a form the writer's copy
 *   guard cannot recognise (their event time moved past its look-back): the
 *   lake holds their row ids twice, and the lake check reports exactly those
 *   seven duplicate rows;
 * - a rule match published again with a higher source offset, which the stage
 *   cannot tell from a new event: the alert check reports that alert one event
 *   over.
 */
export async function assertControlsFail(t: TestContext, scenario: FaultScenario): Promise<void> {
  const tenant = scenario.tenants[0];
  const acked = scenario.stats.acknowledged.get(tenant)!;
  // The rules-worker skips the copies (their row ids were claimed), so the alerts stay as they were.
  await scenario.publishUnrecognisableCopies(tenant, 7);
  await scenario.settle();
  const lake = await waitFor('the copies in the lake', async () => {
    const counts = await scenario.lakeCounts();
    return counts.get(tenant)!.rows > acked ? counts : undefined;
  });
  const lakeFindings = checkLake(scenario.stats.acknowledged, lake);
  t.diagnostic(`lake control: ${JSON.stringify(lakeFindings)}`);
  assert.deepEqual(lakeFindings, [{ tenant, kind: 'duplicates', rows: acked + 7, uniqueRowIds: acked }], 'the lake check reports the copies');

  const forged = await scenario.publishForgedMatch();
  await scenario.settle();
  const expected = scenario.expectedAlerts();
  const want = expected.get(forged.tenant)!.get(forged.dedup)!;
  const alerts = await waitFor('the forged match counted', async () => {
    const all = await scenario.alerts();
    return all.get(forged.tenant)!.some((a) => a.dedup === forged.dedup && a.eventCount > want) ? all : undefined;
  });
  const alertFindings = checkAlerts(expected, alerts);
  t.diagnostic(`alert control: ${JSON.stringify(alertFindings)}`);
  assert.deepEqual(
    alertFindings,
    [{ tenant: forged.tenant, kind: 'event-count', dedup: forged.dedup, expectedEvents: want, events: want + 1 }],
    'the alert check reports the alert that counted one event too many',
  );
  assert.equal(want, EVENTS_PER_TENANT / 10 / 5);
}

export interface KillMidStream {
  /** The process to kill -9 and start again in the same group. */
  role: Parameters<FaultScenario['killAndReplace']>[0];
  /** Its consumer group and topics, and how far it must have committed before the kill. */
  group: string;
  topics: string[];
  killAfterCommitted: number;
  progress: string;
}

/**
 * Half the events sent, the target killed -9 once it committed past the
 * mark, a new one started while the other half is sent; then the checks and
 * their negative controls.
 */
export async function killMidStream(t: TestContext, scenario: FaultScenario, kill: KillMidStream): Promise<void> {
  const t0 = Date.now();
  await scenario.send(0, REQUESTS / 2);
  const at = await scenario.waitCommitted(`${kill.role} past ${kill.progress}`, kill.group, kill.topics, kill.killAfterCommitted, 150_000);
  const { killedPid, serving } = await scenario.killAndReplace(kill.role);
  t.diagnostic(`${kill.role} ${killedPid} killed at ${at} ${kill.progress.split(' ').pop()} committed, ${since(t0)} in`);
  await Promise.all([serving, scenario.send(REQUESTS / 2, REQUESTS)]);
  t.diagnostic(`all sent after ${since(t0)}`);
  await assertExactlyOnce(t, scenario);
  await assertControlsFail(t, scenario);
  if (scenario.startRetries.length > 0) t.diagnostic(`starts retried: ${JSON.stringify(scenario.startRetries)}`);
  t.diagnostic(`test took ${since(t0)}`);
}
