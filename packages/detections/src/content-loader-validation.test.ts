import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadContent } from './content-loader';
import { fixtureDir } from './test-support';

const caseDir = (name: string) => fixtureDir(path.join('content-loader', name));

/** `file key: problem` for each error, the absolute directory left out. */
function problems(errors: { file: string; key?: string; message: string }[]): string[] {
  return errors.map((e) => `${path.basename(e.file)} ${e.key ?? '-'}: ${e.message.split(': ').slice(e.key ? 2 : 1).join(': ')}`);
}

test('invalid rule specs are rejected with the file and the key named', async () => {
  const content = await loadContent(caseDir('invalid-rules'));
  assert.deepEqual(content.rules, []);
  assert.deepEqual(content.scheduledRules, []);
  assert.deepEqual(content.globals, []);
  assert.deepEqual(content.dataModels, []);
  assert.deepEqual(problems(content.errors), [
    'a_missing_required.yml RuleID: required key is missing',
    'a_missing_required.yml Enabled: required key is missing',
    'a_missing_required.yml LogTypes: required key is missing',
    'a_missing_required.yml Severity: required key is missing',
    'a_missing_required.yml Filename: required key is missing (or Detection)',
    'b_unknown_key.yml Runbok: unknown key',
    'c_wrong_types.yml Enabled: expected true or false, got string',
    'c_wrong_types.yml LogTypes: expected a list of strings',
    'c_wrong_types.yml OnlyUseBaseRiskScore: expected true or false, got string',
    'c_wrong_types.yml DisplayName: expected a string, got number',
    'c_wrong_types.yml DedupPeriodMinutes: expected an integer, got "60"',
    'c_wrong_types.yml CreateAlert: expected true or false, got number',
    'c_wrong_types.yml Tags: expected a list of strings',
    'c_wrong_types.yml Reports: expected a mapping of names to lists of strings',
    'c_wrong_types.yml SummaryAttributes: expected a list of strings',
    'c_wrong_types.yml AlertTitle: expected a string, got list',
    'd_bad_severity.yml Severity: must be one of Info, Low, Medium, High, Critical, got "Urgent"',
    'e_bad_tests.yml Tests[0].Log: required key is missing',
    'e_bad_tests.yml Tests[1].Log: expected a mapping',
    'e_bad_tests.yml Tests[2].Mocks[0].objectName: required key is missing',
    'e_bad_tests.yml Tests[2].Mocks[1].returnValue: required key is missing',
    'e_bad_tests.yml Tests[3].ExpectedResult: expected true or false, got string',
    'e_bad_tests.yml Tests[4]: expected a mapping',
    'f_both_code_forms.yml Detection: a rule has either Filename or Detection, not both',
    'g_scheduled_with_log_types.yml LogTypes: not a key of a scheduled_rule: it has ScheduledQueries',
    'g_scheduled_with_log_types.yml ScheduledQueries: required key is missing',
    'h_unknown_type.yml AnalysisType: unknown AnalysisType "rules"; expected one of rule, scheduled_rule, policy, datamodel, global, scheduled_query, saved_query, correlation_rule, pack, lookup_table, scheduled_prompt',
    'i_markup_in_id.yml RuleID: must not contain any of < > & " %, got "Invalid.<script>"',
    'k_datamodel_unknown_key.yml Mapings: unknown key',
    'k_datamodel_unknown_key.yml Enabled: required key is missing',
    'k_datamodel_unknown_key.yml Mappings: required key is missing',
    'l_global_unknown_key.yml Descripton: unknown key',
  ]);
  for (const error of content.errors) {
    assert.equal(error.name, 'ContentError');
    assert.equal(error.file, path.join(caseDir('invalid-rules'), path.basename(error.file)));
  }
});

test('packs, lookup tables and derived rules load as unsupported; policies, correlation rules and YAML rules load', async () => {
  const content = await loadContent(caseDir('later-types'));
  assert.deepEqual(content.errors.map((e) => e.message), []);
  assert.deepEqual(content.rules.map((r) => r.ruleId), ['Audit.Yaml.Delete']);
  assert.deepEqual(content.policies?.map((p) => p.policyId), ['AWS.S3.Bucket.Encryption']);
  assert.deepEqual(content.correlationRules?.map((r) => [r.ruleId, r.detection.kind, r.detection.items.map((i) => i.id), r.tests.length]), [['Audit.Delete.After.Role.Change', 'sequence', ['RoleChanged', 'Deleted'], 1]]);
  assert.deepEqual(
    content.unsupported.map((u) => [path.relative(caseDir('later-types'), u.file), u.analysisType, u.reason]),
    [
      ['custom_log_schema.yml', '', 'no AnalysisType: not an analysis item'],
      ['derived.yml', 'rule', 'derived rules (BaseDetection) are not run yet'],
      ['lookups/vip_users.yml', 'lookup_table', 'not run yet'],
      ['pack.yml', 'pack', 'not run yet'],
      ['policy.yml', 'policy', 'policy: its Tests run; not evaluated on the stream (no cloud resource snapshots yet)'],
    ],
    'hidden files (.pre-commit-config.yaml) are not content',
  );
});

test('a rule using every key the reference format accepts loads without errors', async () => {
  const dir = caseDir('reference-keys');
  const content = await loadContent(dir);
  assert.deepEqual(content.errors.map((e) => e.message), []);
  assert.deepEqual(content.unsupported, []);
  assert.equal(content.rules.length, 1);
  const [rule] = content.rules;
  assert.equal(rule.ruleId, 'AWS.Console.RootLogin');
  assert.deepEqual(
    rule.reports,
    { CIS: ['3.10', '1.1'], 'MITRE ATT&CK': ['TA0001:T1078'] },
    'report ids keep the text written: 3.10 is not 3.1',
  );
  assert.deepEqual(rule.tags, ['AWS', 'Identity & Access Management']);
  assert.equal(rule.dedupPeriodMinutes, 15);
  assert.deepEqual(rule.outputIds, ['5f4b1a2e-0000-4000-8000-000000000001']);
  assert.deepEqual(rule.tests[0].mocks, [
    { objectName: 'is_break_glass', returnValue: false },
    { objectName: 'known_ips', returnValue: '["192.0.2.1"]' },
  ]);
  assert.deepEqual(content.globals.map((g) => g.globalId), ['aws_helpers']);
  assert.deepEqual(content.dataModels.map((d) => d.id), ['Standard.AWS.CloudTrail']);
});
