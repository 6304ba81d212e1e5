import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '@caracal/core';
import { RuleMatch, toClickHouseTime } from '@caracal/core/messages';
import { CorrelationRuleSpec, loadContent } from '@caracal/detections';
import { applyLakeSchema, createLakeClient, LakeClient } from '@caracal/lake';
import { insertRows } from '@caracal/clickhouse-writer';
import { CorrelationSignalsReader, runCorrelationRule, ScheduledRunRecords } from '@caracal/scheduler';
import { repoRoot, tempDir } from '../support/test-env';

// Correlation runs against the real engine (chDB): signals read from the
// tenant's rule matches, matches per join value, and a match told at the
// first tick it holds, not again; a signal that reached the lake late still
// completes one.
const dataDir = tempDir('correlation-runs');
const config = loadConfig({ CARACAL_DATA_DIR: dataDir });
const MINUTE = 60_000;
const tick = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
let lake: LakeClient;
let rules: Map<string, CorrelationRuleSpec>;
let reader: CorrelationSignalsReader;
let records: ScheduledRunRecords;

/** A rule match row, as the writer keeps it: when the event happened, when its rule matched it. */
function signal(tenant: string, ruleId: string, email: string, eventAgoMs: number, matchedAgoMs: number, id: string): Record<string, unknown> {
  return {
    p_log_type: 'Panther.Audit',
    p_tenant_id: tenant,
    p_row_id: id,
    p_event_time: toClickHouseTime(new Date(tick.getTime() - eventAgoMs)),
    p_parse_time: toClickHouseTime(new Date(tick.getTime() - eventAgoMs)),
    p_source_id: 'audit',
    p_source_label: 'audit',
    p_schema_version: 1,
    p_any_emails: [email],
    actionName: ruleId.endsWith('Deleted') ? 'DELETE_DETECTION' : 'EXECUTE_DATA_LAKE_QUERY',
    p_alert_id: '',
    p_alert_update_time: toClickHouseTime(new Date(tick.getTime() - matchedAgoMs)),
    p_alert_creation_time: toClickHouseTime(new Date(tick.getTime() - matchedAgoMs)),
    p_rule_id: ruleId,
  };
}

function outputs() {
  const matches: RuleMatch[] = [];
  return { matches, publishMatches: async (m: RuleMatch[]) => void matches.push(...m), record: (r: Parameters<ScheduledRunRecords['record']>[0]) => records.record(r) };
}

before(async () => {
  lake = createLakeClient(config);
  await applyLakeSchema(lake);
  const content = await loadContent(path.join(repoRoot(), 'test', 'fixtures', 'schedules', 'correlation-rules'));
  rules = new Map((content.correlationRules ?? []).map((r) => [r.ruleId, r]));
  reader = new CorrelationSignalsReader(lake);
  records = new ScheduledRunRecords(lake);
  // Homer ran a query, then deleted a detection; both matched minutes ago. Another tenant's signals never count.
  await insertRows(lake, 'panther_rule_matches.panther_audit', [
    signal('acme', 'Fixture.Audit.Query.Ran', 'homer@springfield.gov', 6 * MINUTE, 5 * MINUTE, 'q-homer'),
    signal('acme', 'Fixture.Audit.Detection.Deleted', 'homer@springfield.gov', 4 * MINUTE, 3 * MINUTE, 'd-homer'),
    signal('globex', 'Fixture.Audit.Detection.Deleted', 'burns@globex.example', 4 * MINUTE, 3 * MINUTE, 'd-burns'),
  ], 'correlation-1');
});

after(async () => {
  await lake.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("a rule's first run tells what matches; a later run tells only what newly matches, a late signal included", async () => {
  const sequence = rules.get('Fixture.Query.Then.Delete')!;
  const absence = rules.get('Fixture.Delete.Without.Query')!;
  const previous = new Date(tick.getTime() - MINUTE);

  const first = outputs();
  const run = await runCorrelationRule({ tenantId: 'acme', rule: sequence, tick: previous, trigger: 'SCHEDULE' }, reader, first);
  assert.equal(run.rows, 1);
  assert.equal(first.matches.length, 1);
  const [match] = first.matches;
  assert.equal(match.dedup, 'homer@springfield.gov');
  assert.equal(match.title, 'A query, then a detection deleted by the same person (homer@springfield.gov)');
  assert.equal(match.rule.correlation, true);
  assert.equal(match.source.offset, String(previous.getTime()), 'the tick is the offset: a repeated tick is a replay');
  assert.deepEqual(match.event.signal_row_ids, ['d-homer', 'q-homer']);
  assert.equal(match.event.p_log_type, 'CorrelationRule.Fixture.Query.Then.Delete');

  // Homer queried first: the absence rule has nothing for acme, and globex's delete is not acme's.
  const none = outputs();
  await runCorrelationRule({ tenantId: 'acme', rule: absence, tick: previous, trigger: 'SCHEDULE' }, reader, none);
  assert.deepEqual(none.matches, []);

  // Marge's delete happened before the previous tick but reached the lake after it.
  await insertRows(lake, 'panther_rule_matches.panther_audit', [signal('acme', 'Fixture.Audit.Detection.Deleted', 'marge@springfield.gov', 4 * MINUTE, 30_000, 'd-marge')], 'correlation-2');
  const again = outputs();
  await runCorrelationRule({ tenantId: 'acme', rule: sequence, tick, previousTick: previous, trigger: 'SCHEDULE' }, reader, again);
  assert.deepEqual(again.matches, [], "Homer's sequence was told at the previous tick");
  const late = outputs();
  await runCorrelationRule({ tenantId: 'acme', rule: absence, tick, previousTick: previous, trigger: 'SCHEDULE' }, reader, late);
  assert.deepEqual(late.matches.map((m) => m.dedup), ['marge@springfield.gov']);

  const globex = outputs();
  await runCorrelationRule({ tenantId: 'globex', rule: absence, tick, trigger: 'SCHEDULE' }, reader, globex);
  assert.deepEqual(globex.matches.map((m) => [m.tenantId, m.dedup]), [['globex', 'burns@globex.example']]);

  const recorded = await records.list('acme', { queryName: 'CorrelationRule.Fixture.Delete.Without.Query', limit: 10 });
  assert.deepEqual(recorded.map((r) => [r.scheduledTime.getTime(), r.rows]), [
    [tick.getTime(), 1],
    [previous.getTime(), 0],
  ]);
});
