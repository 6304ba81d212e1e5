import type { EventResult__Output, TestResult__Output } from '@caracal/api';

/** A detection's own Tests as PASS/FAIL lines and a count, as `caracal test` reports them on disk. */
export function formatTestResults(results: TestResult__Output[]): string[] {
  if (results.length === 0) return ['no Tests'];
  const failed = results.filter((t) => !t.passed).length;
  const lines = results.map((t) =>
    t.passed ? `  PASS  ${t.name}` : `  FAIL  ${t.name} (expected rule() to return ${t.expectedResult})${t.reason ? `: ${t.reason}` : ''}`,
  );
  return [...lines, `${results.length} Tests: ${results.length - failed} passed, ${failed} failed`];
}

/** One block per given event, labelled by where the event came from (file, array index or line). */
export function formatEventResults(results: EventResult__Output[], labels: string[]): string[] {
  const width = Math.max(0, ...labels.map((l) => l.length));
  const lines: string[] = [];
  let matched = 0;
  let raised = 0;
  for (const r of [...results].sort((a, b) => a.index - b.index)) {
    const label = (labels[r.index] ?? `event ${r.index}`).padEnd(width);
    const indent = ' '.repeat(width + 2);
    if (r.error) {
      raised++;
      lines.push(`${label}  ERROR     ${r.error}`);
    } else if (r.matched) {
      matched++;
      lines.push(`${label}  MATCH     title ${JSON.stringify(r.title)}  dedup ${JSON.stringify(r.dedup)}  severity ${r.severity.replace('SEVERITY_', '')}`);
      if (r.alertContextJson) lines.push(`${indent}context ${r.alertContextJson}`);
    } else {
      lines.push(`${label}  no match`);
    }
    for (const aux of r.auxErrors) lines.push(`${indent}aux error: ${aux}`);
  }
  lines.push(`${results.length} events: ${matched} matched, ${results.length - matched - raised} did not match, ${raised} raised`);
  // A short answer must not read as a clean run of everything that was sent.
  if (results.length !== labels.length) lines.push(`the server reported ${results.length} results for the ${labels.length} events sent`);
  return lines;
}
