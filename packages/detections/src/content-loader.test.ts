import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadContent } from './content-loader';

const dirs: string[] = [];

after(async () => {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

/** A content directory made of the given files (path -> text). */
async function contentDir(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'caracal-content-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), text);
  }
  return dir;
}

const RULE_PY = 'def rule(event):\n    return True\n';

function ruleYaml(extra = '', id = 'Test.Rule', filename = 'rule.py'): string {
  return [
    'AnalysisType: rule',
    `RuleID: ${id}`,
    `Filename: ${filename}`,
    'Enabled: true',
    'LogTypes: [Test.Log]',
    'Severity: High',
    extra,
  ].join('\n');
}

test('a valid directory loads rules with defaults, globals and data models', async () => {
  const dir = await contentDir({
    'rules/rule.yml': ruleYaml(
      [
        'DisplayName: A test rule',
        'Tags: [One, Two]',
        'Reports:',
        '  MITRE ATT&CK: [TA0005:T1562]',
        'Tests:',
        '  - Name: matches',
        '    ExpectedResult: true',
        '    Mocks:',
        '      - objectName: lookup',
        '        returnValue: "x"',
        '    Log: { action: go, p_log_type: Test.Log }',
      ].join('\n'),
    ),
    'rules/rule.py': RULE_PY,
    'helpers/h.yml': 'AnalysisType: global\nGlobalID: test_helpers\nFilename: h.py\n',
    'helpers/h.py': 'X = 1\n',
    'models/m.yml': [
      'AnalysisType: datamodel',
      'DataModelID: Test.Model',
      'Enabled: true',
      'LogTypes: [Test.Log]',
      'Filename: m.py',
      'Mappings:',
      '  - { Name: actor, Path: $.actor.name }',
      '  - { Name: kind, Method: get_kind }',
    ].join('\n'),
    'models/m.py': 'def get_kind(event):\n    return 1\n',
    '.github/workflow.yml': 'not: content\n',
  });
  const content = await loadContent(dir);
  assert.deepEqual(content.errors, []);
  assert.deepEqual(content.unsupported, []);
  assert.equal(content.root, dir);
  assert.deepEqual(content.rules, [
    {
      ruleId: 'Test.Rule',
      displayName: 'A test rule',
      enabled: true,
      logTypes: ['Test.Log'],
      severity: 'HIGH',
      dedupPeriodMinutes: 60,
      threshold: 1,
      createAlert: true,
      tags: ['One', 'Two'],
      reports: { 'MITRE ATT&CK': ['TA0005:T1562'] },
      description: '',
      reference: '',
      runbook: '',
      summaryAttributes: [],
      outputIds: [],
      filePath: path.join(dir, 'rules/rule.yml'),
      pythonPath: path.join(dir, 'rules/rule.py'),
      pythonSource: RULE_PY,
      tests: [
        {
          name: 'matches',
          expectedResult: true,
          log: { action: 'go', p_log_type: 'Test.Log' },
          mocks: [{ objectName: 'lookup', returnValue: 'x' }],
        },
      ],
    },
  ]);
  assert.deepEqual(
    content.globals.map((g) => [g.globalId, g.pythonSource]),
    [['test_helpers', 'X = 1\n']],
  );
  assert.equal(content.dataModels.length, 1);
  assert.deepEqual(content.dataModels[0].mappings, [
    { name: 'actor', path: '$.actor.name' },
    { name: 'kind', method: 'get_kind' },
  ]);
  assert.equal(content.dataModels[0].enabled, true);
});

test('an unknown key is an error naming the file and the key', async () => {
  const dir = await contentDir({ 'r.yml': ruleYaml('Sevrity: High\nDedupPeriodMinutes: 15'), 'rule.py': RULE_PY });
  const content = await loadContent(dir);
  assert.deepEqual(content.rules, []);
  assert.equal(content.errors.length, 1);
  const [error] = content.errors;
  assert.equal(error.file, path.join(dir, 'r.yml'));
  assert.equal(error.key, 'Sevrity');
  assert.equal(error.code, 'INVALID_ARGUMENT');
  assert.match(error.message, /r\.yml: Sevrity: unknown key/);
});

test('a missing required key is an error naming the file and the key', async () => {
  const dir = await contentDir({
    'r.yml': ruleYaml().replace('RuleID: Test.Rule\n', '').replace('Severity: High\n', ''),
    'rule.py': RULE_PY,
  });
  const content = await loadContent(dir);
  assert.deepEqual(
    content.errors.map((e) => [path.basename(e.file), e.key]),
    [
      ['r.yml', 'RuleID'],
      ['r.yml', 'Severity'],
    ],
  );
  assert.match(content.errors[0].message, /required key is missing/);
});

test('every problem of a directory is collected, not only the first', async () => {
  const dir = await contentDir({
    'a.yml': ruleYaml('Threshold: "0"', 'Test.A'),
    'b.yml': ruleYaml('Severity: Urgent', 'Test.B').replace('Severity: High\n', ''),
    'c.yml': ruleYaml('', 'Test.C', 'missing.py'),
    'd.yml': ruleYaml('Tests:\n  - Name: t\n    Log: {}\n    Expected: true', 'Test.D'),
    'e.yml': ruleYaml('', 'Test.Dup'),
    'h.yml': ruleYaml('', 'Test.Dup'),
    'f.yml': 'AnalysisType: rule\nRuleID: [unclosed',
    'g.yml': 'AnalysisType: datamodel\nDataModelID: M\nEnabled: true\nLogTypes: [Test.Log]\nMappings:\n  - { Name: x, Path: a, Method: b }\n',
    'rule.py': RULE_PY,
  });
  const content = await loadContent(dir);
  const found = content.errors.map((e) => `${path.basename(e.file)} ${e.key ?? '-'}`);
  assert.deepEqual(found, [
    'a.yml Threshold',
    'b.yml Severity',
    'c.yml Filename',
    'd.yml Tests[0].Expected',
    'd.yml Tests[0].ExpectedResult',
    'f.yml -',
    'g.yml Mappings[0]',
    'h.yml RuleID',
  ]);
  assert.match(content.errors.find((e) => e.key === 'RuleID')!.message, /duplicate RuleID "Test\.Dup", also in .*e\.yml/);
});

test('other analysis types are reported as unsupported, not errors; a YAML-only rule is a rule; a scheduled query is content', async () => {
  const dir = await contentDir({
    'q.yml': 'AnalysisType: scheduled_query\nQueryName: q\nEnabled: true\nQuery: SELECT 1\nSchedule: { RateMinutes: 5, TimeoutMinutes: 1 }\n',
    'p.yml': 'AnalysisType: policy\nPolicyID: P\nFilename: p.py\nEnabled: true\nSeverity: Low\n',
    'p.py': 'def policy(resource):\n    return True\n',
    'y.yml': 'AnalysisType: rule\nRuleID: Test.Yaml\nEnabled: true\nLogTypes: [Test.Log]\nSeverity: Low\nDetection:\n  - Key: a\n    Condition: Equals\n    Value: b\n',
  });
  const content = await loadContent(dir);
  assert.deepEqual(content.errors, []);
  assert.deepEqual(content.rules.map((r) => r.ruleId), ['Test.Yaml']);
  assert.deepEqual(
    content.unsupported.map((u) => ({ file: path.basename(u.file), analysisType: u.analysisType })),
    [{ file: 'p.yml', analysisType: 'policy' }],
  );
  assert.deepEqual(content.scheduledQueries.map((q) => q.queryName), ['q']);
});

test('two enabled data models for one log type are an error', async () => {
  const model = (id: string) => `AnalysisType: datamodel\nDataModelID: ${id}\nEnabled: true\nLogTypes: [Test.Log]\nMappings:\n  - { Name: a, Path: b }\n`;
  const content = await loadContent(await contentDir({ 'm1.yml': model('M1'), 'm2.yml': model('M2') }));
  assert.deepEqual(content.errors.map((e) => [path.basename(e.file), e.key]), [['m2.yml', 'LogTypes']]);
});
