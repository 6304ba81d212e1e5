import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadPyodide } from 'pyodide';
import { detectionsPackageDir, pythonSourceDir } from './package-paths';
import { readPythonSources } from './python-sources';

// The Python unit tests of the harness, panther_core and the helpers
// (python-tests/, kept outside python/ because every file there is shipped to
// the interpreters), run under both interpreters they must work in: the
// native CPython of the benchmarks and the Pyodide that runs detections.

/** What python-tests/suite_report.py answers. */
interface SuiteReport {
  python: string;
  platform: string;
  discovered: number;
  run: number;
  failures: { test: string; traceback: string }[];
  errors: { test: string; traceback: string }[];
  skipped: number;
  unexpectedSuccesses: string[];
}

const TESTS_DIR = path.join(detectionsPackageDir(), 'python-tests');
/** Where the suite lives inside Pyodide; the harness goes where the runtime puts it, so its frame filtering is the same. */
const PYODIDE_PYTHON_ROOT = '/caracal/python';
const PYODIDE_TESTS_ROOT = '/caracal/python-tests';

function assertAllPassed(report: SuiteReport, where: string): void {
  const problems = [...report.failures, ...report.errors];
  const shown = problems.map((p) => `--- ${p.test}\n${p.traceback}`).join('\n');
  assert.equal(problems.length, 0, `${problems.length} Python test(s) failed ${where} (Python ${report.python}):\n${shown}`);
  assert.deepEqual(report.unexpectedSuccesses, [], `unexpected successes ${where}`);
  assert.ok(report.discovered > 0, `no Python tests discovered ${where} in ${TESTS_DIR}`);
  assert.equal(report.run, report.discovered, `${where}: ran ${report.run} of ${report.discovered} discovered tests`);
}

function python3Version(): string | undefined {
  const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  return probe.error || probe.status !== 0 ? undefined : probe.stdout.trim();
}

test('the Python suite passes under the native python3', (t) => {
  if (!python3Version()) {
    t.skip('no python3 on PATH: the native run of python-tests/ is skipped (CI has one)');
    return;
  }
  // The same discovery as `python3 -m unittest discover -s python-tests -t python-tests`, reported as JSON.
  const run = spawnSync('python3', ['-B', path.join(TESTS_DIR, 'suite_report.py'), TESTS_DIR], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: pythonSourceDir() },
    timeout: 20_000,
  });
  assert.equal(run.status, 0, `python3 exited with ${run.status ?? run.signal}:\n${run.stderr}`);
  const report = JSON.parse(run.stdout.trimEnd().split('\n').at(-1) ?? '') as SuiteReport;
  assertAllPassed(report, 'natively');
});

test('the Python suite passes inside Pyodide', async () => {
  const output: string[] = [];
  // As the runtime starts one (pyodide-runtime.ts), from the local package: nothing is fetched.
  const pyodide = await loadPyodide({
    jsglobals: Object.create(null) as object,
    env: { HOME: '/home/pyodide' },
    stdin: () => null,
    stdout: (line) => output.push(line),
    stderr: (line) => output.push(line),
  });
  for (const file of await readPythonSources()) {
    const target = `${PYODIDE_PYTHON_ROOT}/${file.relativePath}`;
    pyodide.FS.mkdirTree(target.slice(0, target.lastIndexOf('/')));
    pyodide.FS.writeFile(target, file.source);
  }
  pyodide.FS.mkdirTree(PYODIDE_TESTS_ROOT);
  for (const name of readdirSync(TESTS_DIR).filter((n) => n.endsWith('.py'))) {
    pyodide.FS.writeFile(`${PYODIDE_TESTS_ROOT}/${name}`, readFileSync(path.join(TESTS_DIR, name), 'utf8'));
  }
  const reportJson = pyodide.runPython(
    [
      'import sys',
      `sys.path[:0] = [${JSON.stringify(PYODIDE_TESTS_ROOT)}, ${JSON.stringify(PYODIDE_PYTHON_ROOT)}]`,
      'import suite_report',
      `suite_report.report_json(${JSON.stringify(PYODIDE_TESTS_ROOT)})`,
    ].join('\n'),
  ) as string;
  const report = JSON.parse(reportJson) as SuiteReport;
  assert.equal(report.platform, 'emscripten', 'the suite ran inside Pyodide');
  assertAllPassed(report, `inside Pyodide${output.length ? ` (output: ${output.join('\n')})` : ''}`);
});
