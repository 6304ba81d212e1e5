import type { CorrelationRuleSpec, CorrelationRuleTest } from './content.types';
import { correlationMatches, type CorrelationSignal } from './correlation-match';
import type { RuleTestResult } from './rule-test-report';

const MINUTE_MS = 60_000;

/**
 * A test's rule outputs as signals: one per time listed, of the item named,
 * carrying the field and value it is listed under. A whole number is minutes
 * from a base the test shares; a text is an RFC 3339 time.
 */
export function correlationTestSignals(test: CorrelationRuleTest): CorrelationSignal[] {
  const signals: CorrelationSignal[] = [];
  for (const { id, matches } of test.ruleOutputs) {
    for (const [field, byValue] of Object.entries(matches)) {
      for (const [value, times] of Object.entries(byValue)) {
        for (const t of times) signals.push({ itemId: id, atMs: typeof t === 'number' ? t * MINUTE_MS : Date.parse(t), fields: { [field]: value } });
      }
    }
  }
  return signals;
}

/**
 * Runs the Tests of correlation rules: each test's signals as one run of
 * the rule right after the newest of them. The reference tool skips these
 * tests (they need a Panther backend); they run here, in-process, as the
 * rule itself would run over the signals in the lake.
 */
export function runCorrelationRuleTests(rules: readonly CorrelationRuleSpec[]): RuleTestResult[] {
  return rules.flatMap((rule) =>
    rule.tests.map((test) => {
      const matched = correlationMatches(rule.detection, correlationTestSignals(test));
      const passed = matched === test.expectedResult;
      return { ruleId: rule.ruleId, name: test.name, passed, ...(passed ? {} : { reason: `expected ${test.expectedResult}, the rule matched: ${matched}` }) };
    }),
  );
}
