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
    /** Items of the directory that are loaded but not run on the stream. */
    unsupported: number;
  };
  results: RuleTestResult[];
  unsupported: { file: string; analysisType: string; reason?: string }[];
}

function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/**
 * Text: one line per failing test (rule, test name, reason) and a summary
 * line; passing tests are only counted, so failures stand out in a large
 * directory. JSON: the run as one document.
 */
export function formatRuleTestRun(run: RuleTestRun, format: 'text' | 'json'): string {
  if (format === 'json') return JSON.stringify(run, null, 2);
  const { summary } = run;
  const lines = run.results
    .filter((r) => !r.passed)
    // A reason may span lines (an exception message); one line per test keeps the output greppable.
    .map((r) => `FAIL ${r.ruleId}: ${r.name} [${(r.reason ?? 'failed').replace(/\s*\n\s*/g, ' ')}]`);
  const items = [counted(summary.rules, 'rule')];
  if (summary.scheduledRules > 0) items.push(counted(summary.scheduledRules, 'scheduled rule'));
  items.push(counted(summary.unsupported, 'unsupported item'));
  lines.push(
    `${counted(summary.tests, 'test')}: ${summary.passed} passed, ${summary.failed} failed (${items.join(', ')})`,
  );
  return lines.join('\n');
}
