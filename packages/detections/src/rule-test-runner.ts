import type { Logger } from '@caracal/core';
import { contentPayload } from './content-payload';
import type { ContentSet } from './content.types';
import { InvalidContentError } from './errors';
import { PyodideRuntime } from './pyodide-runtime';
import type { RuleTestReport, RuleTestResult } from './rule-test-report';

export interface RuleTestOptions {
  /** Only rules whose RuleID contains this text (case-insensitive). */
  filter?: string;
  logger?: Logger;
}

/**
 * Runs the Tests of every rule (enabled or not) in one fresh interpreter, so
 * that the results do not depend on state left by streaming evaluation.
 */
export async function runRuleTests(content: ContentSet, options: RuleTestOptions = {}): Promise<RuleTestReport> {
  if (content.errors.length > 0) throw new InvalidContentError(content.errors);
  const filter = options.filter?.toLowerCase();
  const tests = content.rules
    .filter((rule) => filter === undefined || rule.ruleId.toLowerCase().includes(filter))
    .flatMap((rule) =>
      rule.tests.map((test) => ({
        ruleId: rule.ruleId,
        name: test.name,
        expectedResult: test.expectedResult,
        log: test.log,
        mocks: test.mocks,
      })),
    );
  let results: RuleTestResult[] = [];
  if (tests.length > 0) {
    const runtime = await PyodideRuntime.start({ label: 'rule-tests', logger: options.logger });
    try {
      runtime.loadContent(contentPayload(content));
      results = JSON.parse(runtime.runRuleTests(JSON.stringify(tests))) as RuleTestResult[];
    } finally {
      runtime.close();
    }
  }
  const passed = results.filter((r) => r.passed).length;
  return { results, total: results.length, passed, failed: results.length - passed };
}
