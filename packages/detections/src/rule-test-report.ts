import type { InvalidItem } from './content-validity';
import { MINIMUM_TESTS_CASE, formatRuleTestJunit } from './rule-test-junit';

export interface RuleTestResult {
  ruleId: string;
  name: string;
  passed: boolean;
  /** Why the test failed. */
  reason?: string;
}

export interface RuleTestReport {
  results: RuleTestResult[];
  total: number;
  passed: number;
  failed: number;
}

export function formatRuleTestReport(report: RuleTestReport, format: 'text' | 'json'): string {
  if (format === 'json') return JSON.stringify(report, null, 2);
  const lines = report.results.map((r) => {
    const line = `${r.passed ? 'PASS' : 'FAIL'} ${r.ruleId}: ${r.name}`;
    return r.passed || r.reason === undefined ? line : `${line} [${r.reason}]`;
  });
  lines.push(`${report.total} tests: ${report.passed} passed, ${report.failed} failed`);
  return lines.join('\n');
}

/** A rule below `--minimum-tests`: it fails like a failing test, as in the reference tool. */
export interface RuleTestCoverageProblem {
  ruleId: string;
  problem: string;
}

/** What `caracal test` reports: the results and what the directory held besides them. */
export interface RuleTestRun {
  summary: {
    tests: number;
    passed: number;
    failed: number;
    /** Rules whose tests were run (those the filter selected). */
    rules: number;
    /** Scheduled rules whose tests were run: their Tests are rows of their queries. */
    scheduledRules: number;
    /** Policies whose tests were run; policies are not evaluated on the stream (no resource snapshots). */
    policies: number;
    /** Correlation rules whose tests were run (in-process: the reference tool needs a Panther backend for them). */
    correlationRules: number;
    /** Items of the directory that are loaded but not run on the stream. */
    unsupported: number;
    /** Spec files left out for their problems (the reference tool's "Invalid"). */
    invalid: number;
    /** Detections (rules, scheduled rules, policies) below the minimum number of tests (or without a positive and a negative one). */
    belowMinimumTests: number;
  };
  results: RuleTestResult[];
  unsupported: { file: string; analysisType: string; reason?: string }[];
  invalid: InvalidItem[];
  coverage: RuleTestCoverageProblem[];
}

/** Whether a run is a failure for CI: a failing test, an invalid item or a rule below the minimum tests. */
export function runFailed(run: RuleTestRun): boolean {
  return run.summary.failed > 0 || run.summary.invalid > 0 || run.summary.belowMinimumTests > 0;
}

function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

// A reason may span lines (an exception message); one line per problem keeps the output greppable.
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

/**
 * Text: one line per invalid item's problem, per failing test (rule, test
 * name, reason) and per rule below the minimum tests, then a summary line;
 * passing tests are only counted, so failures stand out in a large directory.
 * JSON: the run as one document. JUnit: see formatRuleTestJunit.
 */
export function formatRuleTestRun(run: RuleTestRun, format: 'text' | 'json' | 'junit'): string {
  if (format === 'json') return JSON.stringify(run, null, 2);
  if (format === 'junit') return formatRuleTestJunit(run);
  const { summary } = run;
  const lines = run.invalid.flatMap((item) =>
    item.problems.map((p) => `INVALID ${item.file}${p.key === undefined ? '' : `: ${p.key}`}: ${oneLine(p.problem)}`),
  );
  lines.push(...run.results.filter((r) => !r.passed).map((r) => `FAIL ${r.ruleId}: ${r.name} [${oneLine(r.reason ?? 'failed')}]`));
  lines.push(...run.coverage.map((c) => `FAIL ${c.ruleId}: ${MINIMUM_TESTS_CASE} [${c.problem}]`));
  const items = [counted(summary.rules, 'rule')];
  if (summary.scheduledRules > 0) items.push(counted(summary.scheduledRules, 'scheduled rule'));
  // Said where it is read: a passing policy test does not mean the policy watches anything yet.
  if (summary.policies > 0) items.push(`${counted(summary.policies, 'policy', 'policies')} (tests only: policies do not run on the stream yet, there are no resource snapshots)`);
  if (summary.correlationRules > 0) items.push(counted(summary.correlationRules, 'correlation rule'));
  items.push(counted(summary.unsupported, 'unsupported item'));
  items.push(counted(summary.invalid, 'invalid item'));
  if (summary.belowMinimumTests > 0) items.push(counted(summary.belowMinimumTests, 'detection') + ' below --minimum-tests');
  lines.push(`${counted(summary.tests, 'test')}: ${summary.passed} passed, ${summary.failed} failed (${items.join(', ')})`);
  return lines.join('\n');
}
