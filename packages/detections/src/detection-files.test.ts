import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CaracalError } from '@caracal/core';
import { supportedLogTypes } from '@caracal/core/log-schemas';
import { DetectionFiles } from '@caracal/core/messages';
import { loadContent } from './content-loader';
import { parseDetectionFiles } from './detection-files';
import { InvalidContentError } from './errors';
import { fixtureDir } from './test-support';

const PYTHON = 'def rule(event):\n    return event.get("action") == "x"\n';

function yaml(extra = '', drop: string[] = []): string {
  const lines = [
    'AnalysisType: rule',
    'RuleID: Tenant.Rule',
    'Filename: tenant_rule.py',
    'Enabled: true',
    'LogTypes: [Panther.Audit]',
    'Severity: High',
  ].filter((line) => !drop.some((key) => line.startsWith(`${key}:`)));
  return `${lines.join('\n')}\n${extra}`;
}

/** `key: problem` of each error, as the API shows them (the file name left out). */
function problemsOf(files: DetectionFiles, options?: Parameters<typeof parseDetectionFiles>[1]): string[] {
  try {
    parseDetectionFiles(files, options);
  } catch (err) {
    assert.ok(err instanceof InvalidContentError, `expected an InvalidContentError, got ${String(err)}`);
    assert.equal(err.code, 'INVALID_ARGUMENT');
    for (const e of err.errors) assert.ok(err.message.includes(e.message), 'the message names every problem');
    return err.errors.map((e) => e.message.slice(e.file.length + 2));
  }
  assert.fail('the detection was accepted');
}

test('a valid detection becomes a rule spec, its Python taken as given', () => {
  const spec = parseDetectionFiles(
    {
      yaml: yaml('DisplayName: Tenant rule\nDedupPeriodMinutes: 15\nTests:\n  - Name: t\n    ExpectedResult: true\n    Log: { action: x }\n'),
      python: PYTHON,
    },
    { directory: '/content/tenant-detections/Tenant.Rule' },
  );
  assert.equal(spec.ruleId, 'Tenant.Rule');
  assert.equal(spec.displayName, 'Tenant rule');
  assert.equal(spec.severity, 'HIGH');
  assert.deepEqual(spec.logTypes, ['Panther.Audit']);
  assert.equal(spec.dedupPeriodMinutes, 15);
  assert.equal(spec.threshold, 1, 'defaults as for a rule file');
  assert.equal(spec.pythonSource, PYTHON);
  assert.equal(spec.pythonPath, '/content/tenant-detections/Tenant.Rule/tenant_rule.py');
  assert.equal(spec.filePath, '/content/tenant-detections/Tenant.Rule/detection.yml');
  assert.deepEqual(spec.tests, [{ name: 't', expectedResult: true, log: { action: 'x' }, mocks: [] }]);
});

test('each problem is named with its key and what is wrong', () => {
  assert.deepEqual(problemsOf({ yaml: yaml('', ['RuleID']), python: PYTHON }), ['RuleID: required key is missing']);
  assert.deepEqual(problemsOf({ yaml: yaml('', ['LogTypes']) + 'LogTypes: [Panther.Audit, Foo.Bar]\n', python: PYTHON }), [
    `LogTypes: "Foo.Bar" is not a supported log type; supported: ${supportedLogTypes().join(', ')}`,
  ]);
  assert.deepEqual(problemsOf({ yaml: yaml('Sevrity: low\nThreshold: 0.5\n', ['Severity']), python: PYTHON }), [
    'Sevrity: unknown key',
    'Severity: required key is missing',
    'Threshold: expected an integer, got 0.5',
  ]);
  assert.deepEqual(problemsOf({ yaml: yaml('Tests:\n  - Name: t\n    ExpectedResult: yes\n'), python: PYTHON }), [
    'Tests[0].ExpectedResult: expected true or false, got string',
    'Tests[0].Log: required key is missing',
  ]);
  assert.deepEqual(problemsOf({ yaml: yaml('', ['Filename']), python: PYTHON }), ['Filename: required key is missing (or Detection)']);
  assert.deepEqual(problemsOf({ yaml: yaml(), python: '  \n' }), ['Filename: names "tenant_rule.py", but the Python module given is empty']);
});

test('a RuleID is a plain name: no path, separators, control characters or excess length', () => {
  const withId = (id: string) => ({ yaml: yaml('', ['RuleID']) + `RuleID: ${JSON.stringify(id)}\n`, python: PYTHON });
  assert.deepEqual(problemsOf(withId('../../x\u0000')), [`RuleID: must be 1-200 letters, digits, '.', '_' or '-', starting with a letter or digit, got "../../x\\u0000"`]);
  for (const id of ['a/b', 'a b', '.x', 'a|b', 'x'.repeat(201)]) assert.match(problemsOf(withId(id))[0], /^RuleID: must be 1-200 letters/);
  assert.equal(parseDetectionFiles(withId('AWS.CloudTrail.Created-2_b')).ruleId, 'AWS.CloudTrail.Created-2_b');
});

test('the log types a rule may name can be given', () => {
  const spec = parseDetectionFiles({ yaml: yaml('', ['LogTypes']) + 'LogTypes: [Fixture.Log]\n', python: PYTHON }, { supportedLogTypes: ['Fixture.Log'] });
  assert.deepEqual(spec.logTypes, ['Fixture.Log']);
});

test('only a rule is accepted', () => {
  assert.deepEqual(problemsOf({ yaml: yaml().replace('AnalysisType: rule', 'AnalysisType: scheduled_rule'), python: PYTHON }), [
    'AnalysisType: only a rule can be put as a detection, got "scheduled_rule"',
  ]);
  assert.deepEqual(problemsOf({ yaml: 'AnalysisType: policy\nPolicyID: P\n', python: PYTHON }), ['AnalysisType: only a rule can be put as a detection, got "policy"']);
  // A missing AnalysisType is reported with everything else that is wrong.
  assert.deepEqual(problemsOf({ yaml: 'Severity: Low\n', python: PYTHON }), [
    'AnalysisType: required key is missing',
    'RuleID: required key is missing',
    'Enabled: required key is missing',
    'LogTypes: required key is missing',
    'Filename: required key is missing (or Detection)',
  ]);
  // A YAML-only rule needs no Python: its Detection is evaluated itself.
  const simple = parseDetectionFiles({ yaml: yaml('', ['Filename']) + 'Detection:\n  - Key: a\n    Condition: Equals\n    Value: b\n', python: '' });
  assert.deepEqual(simple.simpleDetection?.detection, [{ Key: 'a', Condition: 'Equals', Value: 'b' }]);
});

test('text that is not a YAML mapping is refused', () => {
  assert.match(problemsOf({ yaml: 'RuleID: [unclosed', python: PYTHON })[0], /^not valid YAML: /);
  assert.deepEqual(problemsOf({ yaml: '- a\n- b\n', python: PYTHON }), ['expected a YAML mapping at the top level']);
});

test('files that are not two texts are an invalid argument', () => {
  for (const files of [null, { yaml: 'x' }, { yaml: 1, python: '' }]) {
    assert.throws(
      () => parseDetectionFiles(files as unknown as DetectionFiles),
      (err: unknown) => err instanceof CaracalError && err.code === 'INVALID_ARGUMENT' && /detection files/.test(err.message),
    );
  }
});

test('a rule file gets the same problems through the API as in a content directory', async () => {
  // The loader's fixture of wrong types, its log type allowed so that only the shared checks speak.
  const dir = fixtureDir(path.join('content-loader', 'invalid-rules'));
  const file = path.join(dir, 'c_wrong_types.yml');
  const loaded = await loadContent(dir);
  const fromLoader = loaded.errors.filter((e) => e.file === file).map((e) => e.message.slice(file.length + 2));
  assert.ok(fromLoader.length > 5);
  const fromApi = problemsOf({ yaml: readFileSync(file, 'utf8'), python: PYTHON }, { supportedLogTypes: ['Test.Log'] });
  assert.deepEqual(fromApi, fromLoader);
});
