import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { before, test } from 'node:test';

// `caracal test` run as a child process, as a user or CI runs it.
const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'packages', 'cli', 'bin', 'caracal.js');
const FIXTURES = path.join(REPO, 'packages', 'detections', 'test-fixtures');
const FAILING_DIR = path.join(FIXTURES, 'cli-test-run');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function caracal(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: REPO, timeout: 120_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const status = err ? ((err as { code?: unknown }).code as number | null) : 0;
      resolve({ status: typeof status === 'number' ? status : null, stdout, stderr });
    });
  });
}

// Each run starts an interpreter; they are independent, so they run side by side.
const runs: Record<string, Run> = {};
before(async () => {
  const commands: Record<string, string[]> = {
    shippedRules: ['test', 'rules'],
    failing: ['test', FAILING_DIR],
    filtered: ['test', FAILING_DIR, '--filter', 'CLI.Passing', '--filter', 'CLI.Sched*'],
    json: ['test', FAILING_DIR, '--format', 'json'],
    noMatch: ['test', FAILING_DIR, '--filter', 'CLI.Passing', '--filter', 'CLI.Nothing*'],
    invalid: ['test', path.join(FIXTURES, 'content-loader', 'scheduled-rule-unknown-query')],
    badFormat: ['test', FAILING_DIR, '--format', 'xml'],
  };
  const results = await Promise.all(Object.values(commands).map(caracal));
  Object.keys(commands).forEach((name, i) => (runs[name] = results[i]));
});

function show(run: Run): string {
  return `exit ${run.status}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
}

test('the repository rules pass: exit 0 and a summary line only', () => {
  const run = runs.shippedRules;
  assert.equal(run.status, 0, show(run));
  assert.match(run.stdout, /^\d+ tests: (\d+) passed, 0 failed \(\d+ rules?, 0 unsupported items\)\n$/);
  const [, total, passed] = /^(\d+) tests: (\d+) passed/.exec(run.stdout)!;
  assert.equal(passed, total);
  assert.ok(Number(total) >= 2, 'the shipped rule has tests');
});

test('a failing test: exit 1, one line with RuleID, test name and reason, then the summary', () => {
  const run = runs.failing;
  assert.equal(run.status, 1, show(run));
  assert.equal(
    run.stdout,
    [
      'FAIL CLI.Failing: a rename matches [expected True, rule returned False]',
      '5 tests: 4 passed, 1 failed (2 rules, 1 scheduled rule, 3 unsupported items)',
      '',
    ].join('\n'),
  );
  assert.equal(run.stderr, '');
});

test('--filter selects rules by exact RuleID or * pattern, repeatable', () => {
  const run = runs.filtered;
  assert.equal(run.status, 0, show(run));
  assert.equal(run.stdout, '3 tests: 3 passed, 0 failed (1 rule, 1 scheduled rule, 3 unsupported items)\n');
});

test('a --filter that matches no RuleID is an error, even next to one that does', () => {
  const run = runs.noMatch;
  assert.equal(run.status, 1, show(run));
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, `caracal: --filter "CLI.Nothing*" matches no RuleID in ${FAILING_DIR}\n`);
});

test('--format json: one document with every result, the summary and the unsupported items', () => {
  const run = runs.json;
  assert.equal(run.status, 1, show(run));
  const doc = JSON.parse(run.stdout) as Record<string, unknown>;
  assert.deepEqual(doc.summary, { tests: 5, passed: 4, failed: 1, rules: 2, scheduledRules: 1, unsupported: 3 });
  assert.deepEqual(doc.results, [
    { ruleId: 'CLI.Failing', name: 'an update matches', passed: true },
    { ruleId: 'CLI.Failing', name: 'a rename matches', passed: false, reason: 'expected True, rule returned False' },
    { ruleId: 'CLI.Passing', name: 'a delete matches', passed: true },
    { ruleId: 'CLI.Passing', name: 'a read does not', passed: true },
    { ruleId: 'CLI.Scheduled', name: 'a busy hour matches', passed: true },
  ]);
  assert.deepEqual(
    (doc.unsupported as { file: string; analysisType: string }[]).map((u) => [u.file, u.analysisType]),
    [
      ['queries/cli_hourly.yml', 'scheduled_query'],
      ['queries/cli_saved.yml', 'saved_query'],
      ['rules/cli_scheduled.yml', 'scheduled_rule'],
    ],
  );
});

test('content errors are printed with file and key, exit 1, and no test runs', () => {
  const run = runs.invalid;
  assert.equal(run.status, 1, show(run));
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^caracal: detection content has 1 error\(s\):\n/);
  assert.match(run.stderr, /rule\.yml: ScheduledQueries: "Admins" is a saved_query/);
});

test('an unknown --format is refused', () => {
  const run = runs.badFormat;
  assert.equal(run.status, 1, show(run));
  assert.equal(run.stderr, 'caracal: --format must be text or json, got "xml"\n');
});
