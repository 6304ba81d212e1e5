import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadContent } from './content-loader';
import type { ContentSet } from './content.types';
import type { RuleTestReport } from './rule-test-report';
import { runRuleTests } from './rule-test-runner';
import { fixtureDir } from './test-support';

// The Panther Python API (PantherEvent, panther_core.traversal,
// panther_detection_helpers) as detections see it. Each test of the fixture
// asserts the values the reference implementation gives for its log: the
// fixture's tests pass under panther_analysis_tool too (see its README.md).
let content: ContentSet;
let report: RuleTestReport;

before(async () => {
  content = await loadContent(fixtureDir('helpers-api'));
  assert.deepEqual(content.errors.map((e) => e.message), []);
  report = await runRuleTests(content);
});

function passes(ruleId: string, ...names: string[]): void {
  for (const name of names) {
    const found = report.results.filter((r) => r.ruleId === ruleId && r.name === name);
    assert.equal(found.length, 1, `one result for ${ruleId} / ${name}`);
    assert.deepEqual(found[0], { ruleId, name, passed: true });
  }
}

test('every test of the fixture runs and passes', () => {
  const expected = content.rules.reduce((n, r) => n + r.tests.length, 0);
  assert.equal(expected, 22);
  assert.equal(report.total, expected);
  assert.deepEqual(report.results.filter((r) => !r.passed), []);
});

test('PantherEvent.deep_walk: a list at the end comes back as it is; lists on the way are walked and de-duplicated', () => {
  passes(
    'Helpers.EventApi',
    'deep_walk returns a list at the end of the path as it is',
    'deep_walk walks lists in the middle of the path, de-duplicates, and picks by return_val',
    'deep_walk defaults and None',
  );
});

test('deep_get on the event and on nested views, and the module functions of panther_core.traversal', () => {
  passes('Helpers.EventApi', 'deep_get semantics');
  passes('Helpers.ModuleTraversal', 'module deep_walk and deep_get');
});

test('udm and udm_path, with and without a data model', () => {
  passes(
    'Helpers.EventApi',
    'udm with a data model',
    'udm mapped names that find nothing give the default',
    'udm without a data model reads p_udm then the event',
    'udm_path',
    'udm_path without a data model raises',
  );
});

test('event_time_epoch, lookup and the immutable views', () => {
  passes('Helpers.EventApi', 'event_time_epoch', 'lookup', 'immutable views');
});

test('panther_detection_helpers.caching: counters, thresholds, string sets, account age, dictionaries, expiry', () => {
  passes('Helpers.Caching', 'counters', 'evaluate_threshold', 'string sets', 'check_account_age', 'dictionaries', 'expiry');
});

test('panther_detection_helpers.mocking tells mocks apart; monitoring.wrap passes calls through', () => {
  passes('Helpers.Caching', 'a mocked function is a mock', 'an unmocked function is not', 'monitoring.wrap passes calls through');
});
