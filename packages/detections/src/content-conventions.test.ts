import { logTypeSlug } from '@caracal/core';
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';
import { loadContent } from './content-loader';
import type { ContentSet } from './content.types';
import { formatRuleTestReport } from './rule-test-report';
import { runRuleTests } from './rule-test-runner';
import { repoRoot } from './test-support';

// The detections Caracal ships, in <repo>/rules/<log type dir>/<snake_name>.{py,yml}.
let content: ContentSet;

/**
 * A RuleID's file name, as Panther names its files: the vendor as in its log
 * type's directory, the rest in snake_case (GitHub.Branch.ProtectionDisabled
 * -> github_branch_protection_disabled, Panther.SAML.Modified ->
 * panther_saml_modified).
 */
function ruleFileSlug(ruleId: string): string {
  const [vendor, ...rest] = ruleId.split('.');
  const words = rest.map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2'));
  return [logTypeSlug(vendor), ...words].join('_').replace(/[^A-Za-z0-9]+/g, '_').toLowerCase();
}

before(async () => {
  content = await loadContent(path.join(repoRoot(), 'rules'));
});

test('the shipped content loads without errors', () => {
  assert.deepEqual(content.errors.map((e) => e.message), []);
  assert.deepEqual(content.unsupported, []);
  assert.ok(content.rules.length > 0, 'rules/ holds at least one rule');
});

test('every rule has tests with a positive and a negative case', () => {
  for (const rule of content.rules) {
    const expectations = new Set(rule.tests.map((t) => t.expectedResult));
    assert.ok(expectations.has(true), `${rule.ruleId} has no test expecting a match`);
    assert.ok(expectations.has(false), `${rule.ruleId} has no test expecting no match`);
  }
});

test('files are named <log type dir>/<snake_name> after the RuleID <LogType vendor>.<Name>', () => {
  for (const rule of content.rules) {
    assert.match(rule.ruleId, /^[A-Z][A-Za-z0-9]*(\.[A-Z0-9][A-Za-z0-9]*)+$/, `${rule.ruleId}: RuleID style`);
    const relative = path.relative(content.root, rule.pythonPath).split(path.sep);
    assert.equal(relative.length, 2, `${rule.ruleId}: one directory level under rules/`);
    const [dir, file] = relative;
    assert.equal(dir, logTypeSlug(rule.logTypes[0]), `${rule.ruleId}: directory of its first log type`);
    assert.equal(file, `${ruleFileSlug(rule.ruleId)}.py`, `${rule.ruleId}: python file named after the RuleID`);
    assert.equal(
      path.basename(rule.filePath, path.extname(rule.filePath)),
      ruleFileSlug(rule.ruleId),
      `${rule.ruleId}: spec named like its python file`,
    );
    assert.equal(
      rule.ruleId.split('.')[0],
      rule.logTypes[0].split('.')[0],
      `${rule.ruleId}: RuleID starts with the vendor of its log type`,
    );
  }
});

test('all rule tests pass', async () => {
  const report = await runRuleTests(content);
  assert.equal(report.total, content.rules.reduce((n, r) => n + r.tests.length, 0));
  assert.equal(report.failed, 0, formatRuleTestReport(report, 'text'));
});
