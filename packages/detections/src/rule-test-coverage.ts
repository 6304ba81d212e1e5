import type { RuleTestSpec } from './content.types';
import type { RuleTestCoverageProblem } from './rule-test-report';

/**
 * The reference tool's `--minimum-tests N`: a detection with fewer than N
 * Tests fails; with N of 2 or more, one with Tests also fails unless one test
 * expects a match and one expects none. (The reference checks the second rule
 * for an explicit empty `Tests: []` too; such a rule fails the first already.)
 */
export function minimumTestsProblems(
  rules: readonly { ruleId: string; tests: readonly Pick<RuleTestSpec, 'expectedResult'>[] }[],
  minimum: number,
): RuleTestCoverageProblem[] {
  const problems: RuleTestCoverageProblem[] = [];
  for (const rule of rules) {
    const count = rule.tests.length;
    if (count < minimum) {
      problems.push({ ruleId: rule.ruleId, problem: `insufficient test coverage: ${minimum} tests required but only ${count} found` });
    }
    const positive = rule.tests.some((t) => t.expectedResult);
    const negative = rule.tests.some((t) => !t.expectedResult);
    if (minimum > 1 && count > 0 && !(positive && negative)) {
      problems.push({ ruleId: rule.ruleId, problem: 'insufficient test coverage: expected at least one positive and one negative test' });
    }
  }
  return problems;
}
