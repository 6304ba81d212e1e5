import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadContent } from './content-loader';
import type { RuleTestReport } from './rule-test-report';
import { runRuleTests } from './rule-test-runner';
import { fixtureDir } from './test-support';

// Expected verdicts checked against panther_analysis_tool 1.11.1 (see the fixture's comments).
let report: RuleTestReport;

before(async () => {
  const content = await loadContent(fixtureDir('test-expectations'));
  assert.deepEqual(content.errors, []);
  report = await runRuleTests(content);
});

function reasonOf(ruleId: string, name: string): string | undefined {
  const found = report.results.find((r) => r.ruleId === ruleId && r.name === name);
  assert.ok(found, `no result for ${ruleId} / ${name}`);
  return found.passed ? undefined : (found.reason ?? 'failed');
}

test('ExpectedDestinations: the same names in any order pass; an empty list means suppressed', () => {
  assert.equal(reasonOf('Fixture.Destinations', 'the same destinations in another order pass'), undefined);
  assert.equal(reasonOf('Fixture.Destinations', 'an empty list expected means suppressed'), undefined);
});

test('ExpectedDestinations: other, repeated or missing destinations fail, naming what was returned', () => {
  assert.equal(reasonOf('Fixture.Destinations', 'other destinations fails'), "ExpectedDestinations ['slack-sec'], destinations() returned ['pagerduty']");
  assert.equal(
    reasonOf('Fixture.Destinations', 'a destination returned twice fails'),
    "ExpectedDestinations ['slack-sec', 'pagerduty'], destinations() returned ['pagerduty', 'slack-sec', 'pagerduty']",
  );
  assert.equal(reasonOf('Fixture.Destinations', 'an empty list expected but none returned fails'), 'ExpectedDestinations [], destinations() returned nothing (None or not defined)');
});

test('ExpectedDestinations is checked when the rule does not match too', () => {
  assert.equal(reasonOf('Fixture.Destinations', 'destinations are compared without a match too'), undefined);
});

test("a test Log gets the data model of its own p_log_type, none without one", () => {
  assert.equal(reasonOf('Fixture.DataModelChoice', 'a log with p_log_type resolves through its data model'), undefined);
  assert.equal(reasonOf('Fixture.DataModelChoice', 'a log without p_log_type has no data model'), undefined);
});
