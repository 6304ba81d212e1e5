import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RuleTestRun, formatRuleTestRun } from './rule-test-report';

const run: RuleTestRun = {
  summary: { tests: 3, passed: 1, failed: 2, rules: 1, scheduledRules: 1, unsupported: 1 },
  results: [
    { ruleId: 'A.Rule', name: 'fires', passed: true },
    { ruleId: 'A.Rule', name: 'stays quiet', passed: false, reason: 'expected False, rule returned True' },
    { ruleId: 'A.Scheduled', name: 'row', passed: false, reason: 'rule raised ValueError: line one\n  line two' },
  ],
  unsupported: [{ file: 'policies/p.yml', analysisType: 'policy', reason: 'not run yet' }],
};

test('text: one line per failing test, multi-line reasons joined, then the summary', () => {
  assert.equal(
    formatRuleTestRun(run, 'text'),
    [
      'FAIL A.Rule: stays quiet [expected False, rule returned True]',
      'FAIL A.Scheduled: row [rule raised ValueError: line one line two]',
      '3 tests: 1 passed, 2 failed (1 rule, 1 scheduled rule, 1 unsupported item)',
    ].join('\n'),
  );
});

test('text: counts are plural and scheduled rules are left out when there are none', () => {
  const quiet: RuleTestRun = {
    summary: { tests: 0, passed: 0, failed: 0, rules: 2, scheduledRules: 0, unsupported: 0 },
    results: [],
    unsupported: [],
  };
  assert.equal(formatRuleTestRun(quiet, 'text'), '0 tests: 0 passed, 0 failed (2 rules, 0 unsupported items)');
});

test('json: the run itself, as one document', () => {
  assert.deepEqual(JSON.parse(formatRuleTestRun(run, 'json')), run);
});
