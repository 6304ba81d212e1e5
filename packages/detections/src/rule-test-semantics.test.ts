import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadContent } from './content-loader';
import type { ContentSet } from './content.types';
import type { RuleTestReport, RuleTestResult } from './rule-test-report';
import { runRuleTests } from './rule-test-runner';
import { fixtureDir } from './test-support';

// The detection format's semantics as the test runner applies them; the same
// fixture is evaluated by the streaming engine in detection-semantics.test.ts.
let content: ContentSet;
let report: RuleTestReport;

before(async () => {
  content = await loadContent(fixtureDir('format-semantics'));
  assert.deepEqual(content.errors.map((e) => e.message), []);
  report = await runRuleTests(content);
});

function result(ruleId: string, name: string): RuleTestResult {
  const found = report.results.filter((r) => r.ruleId === ruleId && r.name === name);
  assert.equal(found.length, 1, `one result for ${ruleId} / ${name}`);
  return found[0];
}

function passes(ruleId: string, name: string): void {
  assert.deepEqual(result(ruleId, name), { ruleId, name, passed: true });
}

function failsWith(ruleId: string, name: string, reason: RegExp | string): void {
  const found = result(ruleId, name);
  assert.equal(found.passed, false, `${ruleId} / ${name} should fail`);
  if (typeof reason === 'string') assert.equal(found.reason, reason);
  else assert.match(found.reason ?? '', reason);
}

test('every test of the fixture is run once', () => {
  const expected = content.rules.reduce((n, r) => n + r.tests.length, 0);
  assert.equal(expected, 23);
  assert.equal(report.total, expected);
  assert.equal(report.passed + report.failed, report.total);
  assert.equal(report.failed, 9, JSON.stringify(report.results.filter((r) => !r.passed), null, 1));
});

test('the event object checks pass: access, immutability, deep_get, deep_walk, udm', () => {
  const rule = content.rules.find((r) => r.ruleId === 'Semantic.EventObject');
  assert.ok(rule);
  for (const spec of rule.tests) passes('Semantic.EventObject', spec.name);
});

test("the data model is the test log's p_log_type's, none without one", () => {
  passes('Semantic.ModelChoice', 'without p_log_type no data model is used');
  passes('Semantic.ModelChoice', "the test log's p_log_type chooses the data model");
});

test('mocks patch the rule module for their test only', () => {
  passes('Semantic.Mocked', 'two mocks patch the rule module');
  passes('Semantic.Mocked', 'the next test sees the original functions');
});

test('valid auxiliary values pass; a rule with only rule() passes', () => {
  passes('Semantic.AuxValues', 'valid values of every auxiliary function pass');
  passes('Semantic.NoAux', 'a rule with only rule() passes');
});

test('an invalid auxiliary value fails the test where streaming would fall back', () => {
  failsWith('Semantic.AuxValues', 'an invalid severity fails the test', "auxiliary function failed: severity: invalid value 'SEVERE'");
  failsWith(
    'Semantic.AuxValues',
    'an alert context that is not a mapping fails the test',
    'auxiliary function failed: alert_context: returned ImmutableList, expected a mapping',
  );
  failsWith('Semantic.AuxValues', 'a title that is not a string fails the test', 'auxiliary function failed: title: returned int, expected str');
});

test('an exception in an auxiliary function fails the test; none run when rule() is False', () => {
  failsWith('Semantic.AuxRaises', 'a raising dedup fails the test', 'auxiliary function failed: dedup: RuntimeError: dedup broke');
  failsWith(
    'Semantic.AuxRaises',
    'a raising alert_context fails the test',
    'auxiliary function failed: alert_context: RuntimeError: alert_context broke',
  );
  passes('Semantic.AuxRaises', 'auxiliary functions do not run when rule returns False');
});

test('rule() failures fail the test: a non-bool, an exception, udm errors', () => {
  failsWith('Semantic.RuleFailures', 'a rule returning a non-bool fails the test', 'rule raised TypeError: rule() returned int, expected bool');
  failsWith(
    'Semantic.RuleFailures',
    'a rule that raises fails the test even when no match is expected',
    /^rule raised ValueError: rule broke \(at rules\/rule_failures\.py:7\)$/,
  );
  failsWith(
    'Semantic.RuleFailures',
    'a JSONPath matching several values fails the test',
    /^rule raised Exception: JSONPath \[\$\.resources\.\[\*\]\.arn\] in DataModel \[Semantic\.Log\.DataModel\], matched multiple fields\./,
  );
  // As in Panther, udm without a data model reads p_udm and then the event: not an error.
  failsWith('Semantic.RuleFailures', 'udm without a data model fails the test', 'expected True, rule returned False');
});
