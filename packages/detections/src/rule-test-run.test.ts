import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minimumTestsProblems } from './rule-test-coverage';
import { RuleTestRun, formatRuleTestRun, runFailed } from './rule-test-report';

const run: RuleTestRun = {
  summary: { tests: 3, passed: 1, failed: 2, rules: 1, scheduledRules: 1, policies: 0, correlationRules: 0, unsupported: 1, invalid: 1, belowMinimumTests: 1 },
  results: [
    { ruleId: 'A.Rule', name: 'fires', passed: true },
    { ruleId: 'A.Rule', name: 'stays quiet', passed: false, reason: 'expected False, rule returned True' },
    { ruleId: 'A.Scheduled', name: 'row <1> & "2"', passed: false, reason: 'rule raised ValueError: line one\n  line two\u0001' },
  ],
  unsupported: [{ file: 'policies/p.yml', analysisType: 'policy', reason: 'not run yet' }],
  invalid: [
    {
      file: 'templates/example_rule.yml',
      analysisType: 'rule',
      id: 'Example.Rule',
      problems: [{ key: 'Filename', problem: 'cannot read rule_filename.py: ENOENT' }, { problem: 'second problem' }],
    },
  ],
  coverage: [{ ruleId: 'A.Rule', problem: 'insufficient test coverage: 3 tests required but only 2 found' }],
};

const clean: RuleTestRun = {
  summary: { tests: 0, passed: 0, failed: 0, rules: 2, scheduledRules: 0, policies: 0, correlationRules: 0, unsupported: 0, invalid: 0, belowMinimumTests: 0 },
  results: [],
  unsupported: [],
  invalid: [],
  coverage: [],
};

test('text: invalid items, failing tests and rules below the minimum, one line each, then the summary', () => {
  assert.equal(
    formatRuleTestRun(run, 'text'),
    [
      'INVALID templates/example_rule.yml: Filename: cannot read rule_filename.py: ENOENT',
      'INVALID templates/example_rule.yml: second problem',
      'FAIL A.Rule: stays quiet [expected False, rule returned True]',
      'FAIL A.Scheduled: row <1> & "2" [rule raised ValueError: line one line two\u0001]',
      'FAIL A.Rule: minimum tests [insufficient test coverage: 3 tests required but only 2 found]',
      '3 tests: 1 passed, 2 failed (1 rule, 1 scheduled rule, 1 unsupported item, 1 invalid item, 1 detection below --minimum-tests)',
    ].join('\n'),
  );
});

test('text: counts are plural and scheduled rules are left out when there are none', () => {
  assert.equal(formatRuleTestRun(clean, 'text'), '0 tests: 0 passed, 0 failed (2 rules, 0 unsupported items, 0 invalid items)');
});

test('text: policies are counted and said to run in tests only', () => {
  assert.equal(
    formatRuleTestRun({ ...clean, summary: { ...clean.summary, rules: 0, policies: 3 } }, 'text'),
    '0 tests: 0 passed, 0 failed (0 rules, 3 policies (tests only: policies do not run on the stream yet, there are no resource snapshots), 0 unsupported items, 0 invalid items)',
  );
});

test('json: the run itself, as one document', () => {
  assert.deepEqual(JSON.parse(formatRuleTestRun(run, 'json')), run);
});

test('junit: a suite per rule, a case per test, failures with the reason, invalid items as errors', () => {
  assert.equal(
    formatRuleTestRun(run, 'junit'),
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="caracal test" tests="5" failures="3" errors="1">',
      '  <testsuite name="A.Rule" tests="3" failures="2" errors="0">',
      '    <testcase classname="A.Rule" name="fires"/>',
      '    <testcase classname="A.Rule" name="stays quiet">',
      '      <failure message="expected False, rule returned True">expected False, rule returned True</failure>',
      '    </testcase>',
      '    <testcase classname="A.Rule" name="minimum tests">',
      '      <failure message="insufficient test coverage: 3 tests required but only 2 found"></failure>',
      '    </testcase>',
      '  </testsuite>',
      '  <testsuite name="A.Scheduled" tests="1" failures="1" errors="0">',
      '    <testcase classname="A.Scheduled" name="row &lt;1&gt; &amp; &quot;2&quot;">',
      // The control character has no XML form: it is replaced, and the message attribute keeps one line.
      '      <failure message="rule raised ValueError: line one line two\uFFFD">rule raised ValueError: line one\n  line two\uFFFD</failure>',
      '    </testcase>',
      '  </testsuite>',
      '  <testsuite name="invalid items" tests="1" failures="0" errors="1">',
      '    <testcase classname="invalid" name="templates/example_rule.yml">',
      '      <error message="Filename: cannot read rule_filename.py: ENOENT">Filename: cannot read rule_filename.py: ENOENT\nsecond problem</error>',
      '    </testcase>',
      '  </testsuite>',
      '</testsuites>',
    ].join('\n'),
  );
  assert.equal(
    formatRuleTestRun(clean, 'junit'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="caracal test" tests="0" failures="0" errors="0">\n</testsuites>',
  );
});

test('a run fails for CI on a failing test, an invalid item or a rule below the minimum', () => {
  assert.equal(runFailed(clean), false);
  for (const key of ['failed', 'invalid', 'belowMinimumTests'] as const) {
    assert.equal(runFailed({ ...clean, summary: { ...clean.summary, [key]: 1 } }), true, key);
  }
});

test('--minimum-tests: the count, and from 2 on one positive and one negative test (as the reference tool)', () => {
  const t = (...expected: boolean[]) => expected.map((expectedResult) => ({ expectedResult }));
  const rules = [
    { ruleId: 'None', tests: t() },
    { ruleId: 'OnlyPositive', tests: t(true, true) },
    { ruleId: 'Both', tests: t(true, false) },
    { ruleId: 'OneNegative', tests: t(false) },
  ];
  assert.deepEqual(minimumTestsProblems(rules, 0), []);
  assert.deepEqual(minimumTestsProblems(rules, 1), [{ ruleId: 'None', problem: 'insufficient test coverage: 1 tests required but only 0 found' }]);
  assert.deepEqual(minimumTestsProblems(rules, 2), [
    { ruleId: 'None', problem: 'insufficient test coverage: 2 tests required but only 0 found' },
    { ruleId: 'OnlyPositive', problem: 'insufficient test coverage: expected at least one positive and one negative test' },
    { ruleId: 'OneNegative', problem: 'insufficient test coverage: 2 tests required but only 1 found' },
    { ruleId: 'OneNegative', problem: 'insufficient test coverage: expected at least one positive and one negative test' },
  ]);
});
