import { PANTHER_AUDIT_ACTIONS } from '@caracal/core/log-schemas';
import { logTypeSlug } from '@caracal/core/messages';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

test('every rule reports MITRE ATT&CK as TA<tactic>:T<technique> and says what it detects and what to do', () => {
  for (const rule of content.rules) {
    const mitre = rule.reports['MITRE ATT&CK'] ?? [];
    assert.ok(mitre.length > 0, `${rule.ruleId}: Reports has no MITRE ATT&CK entry`);
    for (const entry of mitre) assert.match(entry, /^TA\d{4}:T\d{4}(\.\d{3})?$/, `${rule.ruleId}: Reports entry ${entry}`);
    assert.ok(rule.description.trim().length > 0, `${rule.ruleId} has no Description`);
    assert.ok(rule.runbook.trim().length > 0, `${rule.ruleId} has no Runbook`);
  }
});

// Panther's action names all start with one of these verbs; a quoted upper-case
// word that does is meant as an action name, so a typo in one never matches.
const ACTION_NAME = /^(ADD|CANCEL|CHECK|COMPUTE|CREATE|DELETE|DOWNLOAD|EXECUTE|GENERATE|GET|IMPORT|INFER|ISSUE|LIST|RESET|RESOLVE|RETRY|SEND|SIGN|STOP|SUMMARIZE|SUPPRESS|SYNC|TEST|UPDATE|UPLOAD)_[A-Z_]+$/;

test('Panther.Audit rules and their tests use only action names from the published list', () => {
  const known = new Set<string>(PANTHER_AUDIT_ACTIONS);
  const audit = content.rules.filter((r) => r.logTypes.includes('Panther.Audit'));
  assert.ok(audit.length > 0);
  for (const rule of audit) {
    const source = readFileSync(rule.pythonPath, 'utf8');
    for (const [, name] of source.matchAll(/["']([A-Z][A-Z_]+)["']/g)) {
      if (ACTION_NAME.test(name)) assert.ok(known.has(name), `${rule.ruleId}: ${name} is not a Panther.Audit action`);
    }
    for (const t of rule.tests) {
      const action = t.log.actionName;
      assert.ok(typeof action === 'string' && known.has(action), `${rule.ruleId} test "${t.name}": actionName ${String(action)}`);
    }
  }
});

test('all rule tests pass', async () => {
  const report = await runRuleTests(content);
  assert.equal(report.total, content.rules.reduce((n, r) => n + r.tests.length, 0));
  assert.equal(report.failed, 0, formatRuleTestReport(report, 'text'));
});
