import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadContent } from './content-loader';
import type { ContentSet } from './content.types';
import { testDetection } from './detection-test-runner';
import type { RuleTestReport } from './rule-test-report';
import { runRuleTests } from './rule-test-runner';
import { fixtureDir } from './test-support';

// The reference tool skips a YAML detection's Tests without a Panther backend
// (see the fixture's comments): these verdicts follow Panther's documented semantics.
let content: ContentSet;
let report: RuleTestReport;

before(async () => {
  content = await loadContent(fixtureDir('simple-detections'));
  assert.deepEqual(content.errors, []);
  report = await runRuleTests(content);
});

test('a YAML detection is a rule with no Python; one using enrichment is unsupported, naming it', () => {
  assert.deepEqual(content.rules.map((r) => r.ruleId), ['Fixture.Simple.RepoDeleted']);
  assert.equal(content.rules[0].pythonSource, '');
  assert.equal(content.unsupported.length, 1);
  assert.match(content.unsupported[0].reason ?? '', /^YAML Detection uses enrichment match expressions \(Enrichment/);
});

test('its Tests run on the match expressions', () => {
  assert.deepEqual(report.results.filter((r) => !r.passed), []);
  assert.equal(report.total, 5);
});

test('a match carries AlertTitle, AlertContext, the GroupBy dedup and DynamicSeverities', async () => {
  const events = [
    { p_log_type: 'Fixture.Log', action: 'repo.destroy', repo: 'prod-api', actor: { type: 'User', name: 'ann', location: { country: 'NZ' } }, files: [{ size: 500 }] },
    { p_log_type: 'Fixture.Log', action: 'repo.delete', repo: 'docs', actor: { type: 'bot', name: 'ci', groups: ['admins'] }, files: [{ size: 101 }] },
    { p_log_type: 'Fixture.Log', action: 'repo.delete', repo: 'docs', actor: { type: 'bot', name: 'ci', groups: ['devs'] }, files: [{ size: 101 }] },
  ];
  const result = await testDetection(content, 'Fixture.Simple.RepoDeleted', { events });
  assert.equal(result.kind, 'events');
  if (result.kind !== 'events') return;
  const [first, second, third] = result.results;
  assert.ok(first.matched && second.matched);
  assert.equal(third.matched, false);
  if (!first.matched || !second.matched) return;
  assert.equal(first.title, 'Repository [prod-api] deleted by ann');
  assert.deepEqual(first.alertContext, { repo: 'prod-api', country: 'NZ' });
  assert.equal(first.dedup, '["prod-api","ann"]');
  assert.equal(first.severity, 'HIGH');
  assert.deepEqual(first.auxErrors, []);
  // A value that is absent shows as null in the context and leaves the severity as written.
  assert.deepEqual(second.alertContext, { repo: 'docs', country: null });
  assert.equal(second.severity, 'LOW');
});
