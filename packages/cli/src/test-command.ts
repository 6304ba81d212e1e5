import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CaracalConfig, CaracalError } from '@caracal/core';
import {
  ContentSet,
  InvalidContentError,
  RuleSpec,
  RuleTestRun,
  ScheduledRuleSpec,
  formatRuleTestRun,
  loadContent,
  runRuleTests,
  sandboxOptions,
} from '@caracal/detections';
import type { CliIo } from './cli-output';
import { selectByRuleId } from './rule-id-pattern';

export const TEST_USAGE = 'usage: caracal test [<dir>] [--filter <RuleID>]... [--format text|json]';

/** A scheduled rule's Tests are rows of its queries: they run like a rule's, with no log type to route by. */
function testableRule(rule: ScheduledRuleSpec): RuleSpec {
  const { scheduledQueries: _queries, ...spec } = rule;
  return { ...spec, logTypes: [] };
}

async function loadDirectory(dir: string): Promise<ContentSet> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new CaracalError('INVALID_ARGUMENT', `${dir} is not a directory of detection content`);
  const content = await loadContent(dir);
  if (content.errors.length > 0) throw new InvalidContentError(content.errors);
  return content;
}

/**
 * `caracal test`: runs the Tests of every rule and scheduled rule of a content
 * directory (default: the configured rules directory). Exit 0 when all pass, 1
 * when any fails or the content cannot be loaded.
 */
export async function testCommand(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { filter: { type: 'string', multiple: true }, format: { type: 'string', default: 'text' } },
  });
  const format = values.format;
  if (format !== 'text' && format !== 'json') {
    throw new CaracalError('INVALID_ARGUMENT', `--format must be text or json, got "${format}"`);
  }
  if (positionals.length > 1) throw new CaracalError('INVALID_ARGUMENT', `test takes one content directory\n${TEST_USAGE}`);
  const dir = path.resolve(positionals[0] ?? config.rulesDir);
  const content = await loadDirectory(dir);

  const scheduledIds = new Set(content.scheduledRules.map((r) => r.ruleId));
  const filters = values.filter ?? [];
  const { selected, unmatched } = selectByRuleId([...content.rules, ...content.scheduledRules.map(testableRule)], filters);
  if (unmatched.length > 0) {
    const named = unmatched.map((p) => `"${p}"`).join(', ');
    throw new CaracalError('INVALID_ARGUMENT', `--filter ${named} matches no RuleID in ${dir}`);
  }

  const report = await runRuleTests({ ...content, rules: selected }, { sandbox: sandboxOptions(config), detectionTimeoutMs: config.detections.detectionTimeoutMs, processMemoryLimitMb: config.detections.processMemoryLimitMb });
  const scheduledRules = selected.filter((r) => scheduledIds.has(r.ruleId)).length;
  const run: RuleTestRun = {
    summary: {
      tests: report.total,
      passed: report.passed,
      failed: report.failed,
      rules: selected.length - scheduledRules,
      scheduledRules,
      unsupported: content.unsupported.length,
    },
    results: report.results,
    unsupported: content.unsupported.map((item) => ({ ...item, file: path.relative(content.root, item.file) })),
  };
  io.out(formatRuleTestRun(run, format));
  return report.failed > 0 ? 1 : 0;
}
