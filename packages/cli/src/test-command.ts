import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CaracalConfig, CaracalError } from '@caracal/core';
import {
  ContentSet,
  InvalidItem,
  RuleSpec,
  RuleTestResult,
  RuleTestRun,
  ScheduledRuleSpec,
  formatRuleTestRun,
  loadContent,
  minimumTestsProblems,
  runFailed,
  runRuleTests,
  sandboxOptions,
  splitInvalidItems,
} from '@caracal/detections';
import type { CliIo } from './cli-output';
import { createProgress, ProgressLine } from './progress-line';
import { selectByRuleId } from './rule-id-pattern';

export interface TestOptions {
  filter?: string[];
  format: 'text' | 'json' | 'junit';
  minimumTests?: number;
  /** undefined: on a terminal only. */
  progress?: boolean;
}

/** A scheduled rule's Tests are rows of its queries: they run like a rule's, with no log type to route by. */
function testableRule(rule: ScheduledRuleSpec): RuleSpec {
  const { scheduledQueries: _queries, ...spec } = rule;
  return { ...spec, logTypes: [] };
}

async function loadDirectory(dir: string): Promise<{ content: ContentSet; invalid: InvalidItem[] }> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new CaracalError('INVALID_ARGUMENT', `${dir} is not a directory of detection content`);
  // Like the reference tool, an invalid item is reported and everything else runs.
  return splitInvalidItems(await loadContent(dir));
}

/**
 * A rule that fails because a global or data model it uses was left out as
 * invalid should say so: its own error (no module named ..., no udm mapping)
 * does not point at the file to fix.
 */
function withDependencyNotes(results: RuleTestResult[], invalid: InvalidItem[], rules: RuleSpec[]): RuleTestResult[] {
  const globals = invalid.filter((i) => i.analysisType === 'global' && i.id !== undefined);
  const dataModels = invalid.filter((i) => i.analysisType === 'datamodel' && i.logTypes !== undefined);
  if (globals.length === 0 && dataModels.length === 0) return results;
  const logTypesOf = new Map(rules.map((r) => [r.ruleId, r.logTypes]));
  return results.map((r) => {
    if (r.passed) return r;
    const notes = [
      ...globals.filter((g) => r.reason?.includes(`No module named '${g.id}'`)).map((g) => `global ${g.id} is invalid (${g.file})`),
      ...dataModels
        .filter((d) => d.logTypes!.some((t) => logTypesOf.get(r.ruleId)?.includes(t)))
        .map((d) => `data model ${d.id ?? '?'} of its log type is invalid (${d.file})`),
    ];
    return notes.length === 0 ? r : { ...r, reason: `${r.reason ?? 'failed'}; ${notes.join('; ')}` };
  });
}

/**
 * `caracal test`: runs the Tests of every rule and scheduled rule of a content
 * directory (default: the configured rules directory). Invalid items are
 * reported and left out, the rest runs. Exit 0 when everything passes; 1 when
 * a test fails, an item is invalid or a rule is below `--minimum-tests`, as
 * the reference tool does.
 */
export async function testCommand(config: CaracalConfig, dirArg: string | undefined, values: TestOptions, io: CliIo, stderr: NodeJS.WriteStream = process.stderr): Promise<number> {
  const dir = path.resolve(dirArg ?? config.rulesDir);
  // A large tree takes a while to load and longer to test: say where it is, on a terminal only.
  const progress = createProgress(stderr, values.progress ?? stderr.isTTY === true);
  progress.update(`loading ${dir}`);
  try {
    return await testDirectory(dir, values, config, io, progress);
  } finally {
    progress.done();
  }
}

async function testDirectory(dir: string, values: TestOptions, config: CaracalConfig, io: CliIo, progress: ProgressLine): Promise<number> {
  const { content, invalid } = await loadDirectory(dir);

  const scheduledIds = new Set(content.scheduledRules.map((r) => r.ruleId));
  const filters = values.filter ?? [];
  const { selected, unmatched: noRule } = selectByRuleId([...content.rules, ...content.scheduledRules.map(testableRule)], filters);
  // Policies' Tests run too, selected by PolicyID with the same patterns (results carry the PolicyID as ruleId).
  const policyPick = selectByRuleId((content.policies ?? []).map((p) => ({ ruleId: p.policyId, policy: p })), filters);
  const correlationPick = selectByRuleId(content.correlationRules ?? [], filters);
  const unmatched = noRule.filter((p) => policyPick.unmatched.includes(p) && correlationPick.unmatched.includes(p));
  if (unmatched.length > 0) {
    const named = unmatched.map((p) => `"${p}"`).join(', ');
    throw new CaracalError('INVALID_ARGUMENT', `--filter ${named} matches no RuleID or PolicyID in ${dir}`);
  }

  const started = Date.now();
  // Asked for only when shown: telling progress splits the run into more parts, each a request to a process.
  const onProgress = (done: number, total: number) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? ` ETA ${Math.ceil((total - done) / rate)}s` : '';
    progress.update(`testing: ${done}/${total} tests (${((100 * done) / total).toFixed(0)}%), ${rate.toFixed(0)} tests/s${eta}`);
  };
  progress.update(`starting detection processes for ${selected.length + policyPick.selected.length} detections`);
  const report = await runRuleTests(
    { ...content, rules: selected, policies: policyPick.selected.map((p) => p.policy), correlationRules: correlationPick.selected },
    { sandbox: sandboxOptions(config), detectionTimeoutMs: config.detections.detectionTimeoutMs, processMemoryLimitMb: config.detections.processMemoryLimitMb, ...(progress.enabled ? { onProgress } : {}) },
  );
  progress.done();
  const scheduledRules = selected.filter((r) => scheduledIds.has(r.ruleId)).length;
  const relative = (file: string) => path.relative(content.root, file);
  const invalidItems = invalid.map((item) => ({ ...item, file: relative(item.file) }));
  // Like the reference tool, --minimum-tests holds every detection run: rules, scheduled rules and policies.
  const policiesRun = policyPick.selected.map(({ policy }) => ({ ruleId: policy.policyId, tests: policy.tests }));
  const coverage = minimumTestsProblems([...selected, ...policiesRun, ...correlationPick.selected], values.minimumTests ?? 0);
  const run: RuleTestRun = {
    summary: {
      tests: report.total,
      passed: report.passed,
      failed: report.failed,
      rules: selected.length - scheduledRules,
      scheduledRules,
      policies: policiesRun.length,
      correlationRules: correlationPick.selected.length,
      unsupported: content.unsupported.length,
      invalid: invalid.length,
      belowMinimumTests: new Set(coverage.map((c) => c.ruleId)).size,
    },
    results: withDependencyNotes(report.results, invalidItems, selected),
    unsupported: content.unsupported.map((item) => ({ ...item, file: relative(item.file) })),
    invalid: invalidItems,
    coverage,
  };
  io.out(formatRuleTestRun(run, values.format));
  return runFailed(run) ? 1 : 0;
}
