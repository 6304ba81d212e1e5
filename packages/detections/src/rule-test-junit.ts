import type { RuleTestRun } from './rule-test-report';

/** The test case name under which a rule below `--minimum-tests` fails. */
export const MINIMUM_TESTS_CASE = 'minimum tests';

// Characters XML 1.0 cannot hold at all, even escaped: a reason may quote them from an event.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function xml(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Attribute values keep one line: CI tools show `message` as a title. */
const attr = (text: string) => xml(text.replace(/\s*\n\s*/g, ' '));

interface Case {
  name: string;
  failure?: { message: string; body?: string };
  error?: { message: string; body: string };
}

function testcase(classname: string, c: Case): string {
  const open = `    <testcase classname="${attr(classname)}" name="${attr(c.name)}"`;
  if (c.failure) {
    const body = c.failure.body === undefined ? '' : xml(c.failure.body);
    return `${open}>\n      <failure message="${attr(c.failure.message)}">${body}</failure>\n    </testcase>`;
  }
  if (c.error) return `${open}>\n      <error message="${attr(c.error.message)}">${xml(c.error.body)}</error>\n    </testcase>`;
  return `${open}/>`;
}

function suite(name: string, cases: Case[], classname = name): string {
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  return [
    `  <testsuite name="${attr(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}">`,
    ...cases.map((c) => testcase(classname, c)),
    '  </testsuite>',
  ].join('\n');
}

/**
 * JUnit XML for CI: a <testsuite> per rule with a <testcase> per test (a
 * <failure> with the reason when it fails), a `minimum tests` case failing for
 * a rule below `--minimum-tests`, and the invalid items as <error> cases of an
 * `invalid items` suite, one per file with every problem in its body.
 */
export function formatRuleTestJunit(run: RuleTestRun): string {
  const byRule = new Map<string, Case[]>();
  const casesOf = (ruleId: string) => {
    let cases = byRule.get(ruleId);
    if (!cases) byRule.set(ruleId, (cases = []));
    return cases;
  };
  for (const r of run.results) {
    const reason = r.reason ?? 'failed';
    casesOf(r.ruleId).push(r.passed ? { name: r.name } : { name: r.name, failure: { message: reason, body: reason } });
  }
  for (const c of run.coverage) casesOf(c.ruleId).push({ name: MINIMUM_TESTS_CASE, failure: { message: c.problem } });
  const suites = [...byRule].map(([ruleId, cases]) => suite(ruleId, cases));
  if (run.invalid.length > 0) {
    const cases = run.invalid.map((item) => {
      const lines = item.problems.map((p) => (p.key === undefined ? p.problem : `${p.key}: ${p.problem}`));
      return { name: item.file, error: { message: lines[0] ?? 'invalid', body: lines.join('\n') } };
    });
    suites.push(suite('invalid items', cases, 'invalid'));
  }
  const { summary } = run;
  const total = summary.tests + run.coverage.length + run.invalid.length;
  const failures = summary.failed + run.coverage.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="caracal test" tests="${total}" failures="${failures}" errors="${run.invalid.length}">`,
    ...suites,
    '</testsuites>',
  ].join('\n');
}
