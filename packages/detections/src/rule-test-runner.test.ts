import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadContent } from './content-loader';
import type { ContentSet } from './content.types';
import { ContentError, InvalidContentError } from './errors';
import type { RuleTestReport } from './rule-test-report';
import { runRuleTests } from './rule-test-runner';
import { fixtureDir } from './test-support';

let content: ContentSet;
let report: RuleTestReport;

before(async () => {
  content = await loadContent(fixtureDir('rule-tests'));
  assert.deepEqual(content.errors, []);
  report = await runRuleTests(content);
});

function result(ruleId: string, name: string) {
  const found = report.results.find((r) => r.ruleId === ruleId && r.name === name);
  assert.ok(found, `no result for ${ruleId} / ${name}`);
  return found;
}

test('every test of every rule is run and counted', () => {
  assert.equal(report.total, 8);
  assert.equal(report.passed + report.failed, report.total);
  assert.equal(report.failed, 3);
});

test('mocks patch the rule module for their own test only', () => {
  assert.deepEqual(result('Fixture.Mocked', 'admin found through a mocked store'), {
    ruleId: 'Fixture.Mocked',
    name: 'admin found through a mocked store',
    passed: true,
  });
  assert.equal(result('Fixture.Mocked', 'mocks apply to their test only').passed, true);
});

test('a wrong expectation is reported as a failure with its reason', () => {
  assert.deepEqual(result('Fixture.Mocked', 'wrong expectation fails'), {
    ruleId: 'Fixture.Mocked',
    name: 'wrong expectation fails',
    passed: false,
    reason: 'expected True, rule returned False',
  });
});

test('a raising auxiliary function fails a test that expects a match', () => {
  const failed = result('Fixture.Mocked', 'a raising title fails the test');
  assert.equal(failed.passed, false);
  assert.equal(failed.reason, 'auxiliary function failed: title: RuntimeError: title broke');
});

test('a mock of a name the module lacks fails the test', () => {
  const failed = result('Fixture.Mocked', 'mock of an unknown name fails');
  assert.equal(failed.passed, false);
  assert.match(failed.reason ?? '', /'no_such_function' is not defined in the rule module/);
});

test('the event object behaves as the detection format specifies', () => {
  // The rule asserts each property itself; a broken one names the failing assert.
  assert.deepEqual(result('Fixture.Semantics', 'event object semantics'), {
    ruleId: 'Fixture.Semantics',
    name: 'event object semantics',
    passed: true,
  });
  assert.equal(result('Fixture.Semantics', 'the data model follows the log type of the test log').passed, true);
});

test('the caching helpers keep counters, sets and dictionaries with expiry', () => {
  assert.equal(result('Fixture.Caching', 'caching helpers keep state and honour expiry').passed, true);
});

test('a filter that matches no rule runs nothing', async () => {
  const empty = await runRuleTests(content, { filter: 'No.Such.Rule' });
  assert.deepEqual(empty, { results: [], total: 0, passed: 0, failed: 0 });
});

test('content with errors is refused', async () => {
  const broken = { ...content, errors: [new ContentError('/x/r.yml', 'RuleID', 'required key is missing')] };
  await assert.rejects(runRuleTests(broken), InvalidContentError);
});
