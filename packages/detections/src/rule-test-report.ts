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
