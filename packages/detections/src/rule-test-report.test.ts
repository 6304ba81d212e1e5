import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RuleTestReport, formatRuleTestReport } from './rule-test-report';

const report: RuleTestReport = {
  results: [
    { ruleId: 'A.Rule', name: 'fires', passed: true },
    { ruleId: 'A.Rule', name: 'stays quiet', passed: false, reason: 'expected False, rule returned True' },
  ],
  total: 2,
  passed: 1,
  failed: 1,
};

test('text: a PASS/FAIL line per test with the reason, then a summary', () => {
  assert.equal(
    formatRuleTestReport(report, 'text'),
    [
      'PASS A.Rule: fires',
      'FAIL A.Rule: stays quiet [expected False, rule returned True]',
      '2 tests: 1 passed, 1 failed',
    ].join('\n'),
  );
});

test('json: the report itself', () => {
  assert.deepEqual(JSON.parse(formatRuleTestReport(report, 'json')), report);
});
