import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { isSpecPath, loadDetectionFiles, resolvePythonPath, specFilename } from './detection-file-loader';

const SPEC = ['AnalysisType: rule', 'RuleID: Test.Rule', 'Filename: test_rule.py', 'Enabled: true', 'Tests:', '  - Name: t', '    Filename: not_this.py', ''].join('\n');

test('Filename is the top-level key, quoted or not, with comments dropped', () => {
  assert.equal(specFilename(SPEC), 'test_rule.py');
  assert.equal(specFilename('Filename: "my rule.py" # the module\n'), 'my rule.py');
  assert.equal(specFilename("Filename: 'a.py'\r\n"), 'a.py');
  assert.equal(specFilename('Filename:   b.py   # why\n'), 'b.py');
  assert.equal(specFilename('RuleID: X\nDescription: >\n  Filename: inside.py\n'), undefined);
  assert.equal(specFilename('AnalysisType: rule\nDetection:\n  - Key: a\n'), undefined);
  assert.equal(specFilename('Filename:\n'), undefined);
});

test('the Python path is --python from the working directory, else Filename beside the spec', () => {
  assert.equal(resolvePythonPath('rules/audit/x.yml', SPEC, undefined), path.resolve('rules/audit/test_rule.py'));
  assert.equal(resolvePythonPath('/content/x.yml', 'Filename: ../helpers/x.py\n', undefined), path.resolve('/content/../helpers/x.py'));
  assert.equal(resolvePythonPath('rules/audit/x.yml', SPEC, 'other/y.py'), path.resolve('other/y.py'));
  assert.equal(resolvePythonPath('x.yml', 'Detection: []\n', undefined), undefined);
});

test('a spec is read with its module; a missing module names the Filename and --python', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-cli-spec-'));
  const spec = path.join(dir, 'rule.yml');
  fs.writeFileSync(spec, SPEC);
  assert.throws(
    () => loadDetectionFiles(spec, undefined),
    (err: Error) => /cannot read the Python module .*test_rule\.py: no such file \(the Filename of .*rule\.yml; pass --python/.test(err.message),
  );
  fs.writeFileSync(path.join(dir, 'test_rule.py'), 'def rule(event):\n    return True\n');
  assert.deepEqual(loadDetectionFiles(spec, undefined), { yaml: SPEC, python: 'def rule(event):\n    return True\n' });
  assert.throws(() => loadDetectionFiles(path.join(dir, 'missing.yml'), undefined), /cannot read the detection spec .*missing\.yml: no such file$/);
  fs.writeFileSync(path.join(dir, 'simple.yml'), 'AnalysisType: rule\nDetection: []\n');
  assert.deepEqual(loadDetectionFiles(path.join(dir, 'simple.yml'), undefined).python, '');
});

test('a test target is a spec file by its extension, else a RuleID', () => {
  assert.equal(isSpecPath('rules/x.yml'), true);
  assert.equal(isSpecPath('X.YAML'), true);
  assert.equal(isSpecPath('Panther.Detection.Deleted'), false);
});
