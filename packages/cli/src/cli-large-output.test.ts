import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'packages', 'cli', 'bin', 'caracal.js');

// A pipe holds 64 KiB; a CLI that exits as soon as its command returns cuts
// its report there when CI reads it through a pipe (as execFile does).
test('a report larger than a pipe buffer reaches a reading process whole', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-large-report-'));
  const tests = Array.from({ length: 300 }, (_, i) =>
    [`  - Name: "case ${i} ${'x'.repeat(600)}"`, '    ExpectedResult: true', '    Log:', `      n: ${i}`].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'always.py'), 'def rule(event):\n    return True\n');
  fs.writeFileSync(
    path.join(dir, 'always.yml'),
    ['AnalysisType: rule', 'RuleID: Large.Report', 'Filename: always.py', 'Enabled: true', 'LogTypes: [Panther.Audit]', 'Severity: Info', 'Tests:', ...tests].join('\n'),
  );
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [CLI, 'test', dir, '--format', 'json'], { cwd: REPO, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, out, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(out),
    );
  });
  assert.ok(stdout.length > 128 * 1024, `the report is ${stdout.length} bytes; the test needs one over two pipe buffers`);
  const report = JSON.parse(stdout) as { summary: { passed: number }; results: unknown[] };
  assert.equal(report.results.length, 300);
  assert.equal(report.summary.passed, 300);
});
