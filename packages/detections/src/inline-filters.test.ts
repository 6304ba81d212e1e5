import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadContent } from './content-loader';
import type { ContentSet } from './content.types';
import { DetectionEngine } from './detection-engine';
import type { RuleTestReport } from './rule-test-report';
import { runRuleTests } from './rule-test-runner';
import { fixtureDir, normalizedEvent } from './test-support';

// Expected verdicts: see the fixture's comments for what the reference tool does with them.
let content: ContentSet;
let report: RuleTestReport;
let engine: DetectionEngine;

before(async () => {
  content = await loadContent(fixtureDir('inline-filters'));
  assert.deepEqual(content.errors, []);
  report = await runRuleTests(content);
  engine = await DetectionEngine.create(content);
});

after(async () => {
  await engine.close();
});

test('InlineFilters are loaded with the rule', () => {
  const rule = content.rules.find((r) => r.ruleId === 'Fixture.Filtered');
  assert.equal(rule?.inlineFilters?.length, 2);
});

test('in tests, an event the filters exclude is not a match and rule() is not called', () => {
  const failed = report.results.filter((r) => !r.passed);
  assert.deepEqual(failed, []);
  assert.equal(report.total, 5);
});

test('on the stream, filters decide which events reach rule()', async () => {
  const events = [
    // Passes both filters: matches.
    normalizedEvent('Fixture.Log', 't1', { env: 'prod', action: 'delete', actor: { name: 'ann', roles: ['admin'] } }),
    // env excludes it: rule() would raise if it ran; only the unfiltered rule matches.
    normalizedEvent('Fixture.Log', 't1', { env: 'staging', action: 'delete', actor: { name: 'root' } }),
    // The Any group excludes it (no admin role, not a break-glass name).
    normalizedEvent('Fixture.Log', 't1', { env: 'prod', action: 'delete', actor: { name: 'bob', roles: ['viewer'] } }),
  ];
  const outcomes = await engine.evaluate('t1', events);
  const seen = outcomes.map((o) => `${o.eventIndex}:${o.ruleId}:${o.kind}`).sort();
  assert.deepEqual(seen, ['0:Fixture.Filtered:match', '0:Fixture.Unfiltered:match', '1:Fixture.Unfiltered:match', '2:Fixture.Unfiltered:match']);
});
