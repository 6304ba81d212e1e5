import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { before, test } from 'node:test';

// `caracal test` run as a child process, as a user or CI runs it.
const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'packages', 'cli', 'bin', 'caracal.js');
const FIXTURES = path.join(REPO, 'packages', 'detections', 'test-fixtures');
const FAILING_DIR = path.join(FIXTURES, 'cli-test-run');
const INVALID_DIR = path.join(FIXTURES, 'cli-invalid-items');
const CORRELATION_DIR = path.join(FIXTURES, 'cli-correlation');

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
    invalidItems: ['test', INVALID_DIR],
    invalidJson: ['test', INVALID_DIR, '--format', 'json'],
    junit: ['test', INVALID_DIR, '--format', 'junit', '--minimum-tests', '2', '--filter', 'CLI.Plain', '--filter', 'CLI.UsesModel'],
    minimumPassing: ['test', FAILING_DIR, '--filter', 'CLI.Passing', '--minimum-tests', '2'],
    badMinimum: ['test', FAILING_DIR, '--minimum-tests', 'two'],
    correlation: ['test', CORRELATION_DIR],
    correlationFiltered: ['test', CORRELATION_DIR, '--filter', 'CLI.Correlation.*', '--format', 'json'],
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
  assert.match(run.stdout, /^\d+ tests: (\d+) passed, 0 failed \(\d+ rules?, 0 unsupported items, 0 invalid items\)\n$/);
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
      '5 tests: 4 passed, 1 failed (2 rules, 1 scheduled rule, 1 unsupported item, 0 invalid items)',
      '',
    ].join('\n'),
  );
  assert.equal(run.stderr, '');
});

test('--filter selects rules by exact RuleID or * pattern, repeatable', () => {
  const run = runs.filtered;
  assert.equal(run.status, 0, show(run));
  assert.equal(run.stdout, '3 tests: 3 passed, 0 failed (1 rule, 1 scheduled rule, 1 unsupported item, 0 invalid items)\n');
});

test('a --filter that matches no RuleID is an error, even next to one that does', () => {
  const run = runs.noMatch;
  assert.equal(run.status, 1, show(run));
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, `caracal: --filter "CLI.Nothing*" matches no RuleID or PolicyID in ${FAILING_DIR}\n`);
});

test('--format json: one document with every result, the summary and the unsupported items', () => {
  const run = runs.json;
  assert.equal(run.status, 1, show(run));
  const doc = JSON.parse(run.stdout) as Record<string, unknown>;
  assert.deepEqual(doc.summary, { tests: 5, passed: 4, failed: 1, rules: 2, scheduledRules: 1, policies: 0, correlationRules: 0, unsupported: 1, invalid: 0, belowMinimumTests: 0 });
  assert.deepEqual(doc.results, [
    { ruleId: 'CLI.Failing', name: 'an update matches', passed: true },
    { ruleId: 'CLI.Failing', name: 'a rename matches', passed: false, reason: 'expected True, rule returned False' },
    { ruleId: 'CLI.Passing', name: 'a delete matches', passed: true },
    { ruleId: 'CLI.Passing', name: 'a read does not', passed: true },
    { ruleId: 'CLI.Scheduled', name: 'a busy hour matches', passed: true },
  ]);
  assert.deepEqual(
    (doc.unsupported as { file: string; analysisType: string }[]).map((u) => [u.file, u.analysisType]),
    // Scheduled queries and rules run now: only the saved query is not.
    [['queries/cli_saved.yml', 'saved_query']],
  );
});

test('an invalid item is reported with file, key and problem, exit 1, and the rest still runs', () => {
  const run = runs.invalid;
  assert.equal(run.status, 1, show(run));
  assert.equal(
    run.stdout,
    [
      'INVALID rule.yml: ScheduledQueries: "Admins" is a saved_query, which has no Schedule; name a scheduled_query',
      '0 tests: 0 passed, 0 failed (0 rules, 1 unsupported item, 1 invalid item)',
      '',
    ].join('\n'),
  );
  assert.equal(run.stderr, '');
});

test('invalid items, like the reference tool: each reported, everything else run; dependents say which item broke them', () => {
  const run = runs.invalidItems;
  assert.equal(run.status, 1, show(run));
  assert.equal(
    run.stdout,
    [
      'INVALID helpers/cli_helpers.yml: Descripton: unknown key',
      'INVALID models/cli_model.yml: Enabled: required key is missing',
      `INVALID rules/missing_module.yml: Filename: cannot read ${path.join(INVALID_DIR, 'rules', 'not_there.py')}: ENOENT`,
      "FAIL CLI.UsesHelper: an admin matches [rule module failed to load: ModuleNotFoundError: No module named 'cli_helpers' (at rules/uses_helper.py:1); global cli_helpers is invalid (helpers/cli_helpers.yml)]",
      'FAIL CLI.UsesModel: an admin matches [expected True, rule returned False; data model CLI.Model of its log type is invalid (models/cli_model.yml)]',
      '4 tests: 2 passed, 2 failed (3 rules, 0 unsupported items, 3 invalid items)',
      '',
    ].join('\n'),
  );
});

test('--format json: the invalid items with their type, id and problems', () => {
  const run = runs.invalidJson;
  assert.equal(run.status, 1, show(run));
  const doc = JSON.parse(run.stdout) as { summary: Record<string, number>; invalid: unknown[] };
  assert.equal(doc.summary.invalid, 3);
  assert.deepEqual(doc.invalid[0], {
    file: 'helpers/cli_helpers.yml',
    analysisType: 'global',
    id: 'cli_helpers',
    problems: [{ key: 'Descripton', problem: 'unknown key' }],
  });
  assert.deepEqual(doc.invalid[1], {
    file: 'models/cli_model.yml',
    analysisType: 'datamodel',
    id: 'CLI.Model',
    logTypes: ['CLI.Modelled'],
    problems: [{ key: 'Enabled', problem: 'required key is missing' }],
  });
});

test('--format junit with --minimum-tests: a suite per rule, coverage failures, invalid items as errors', () => {
  const run = runs.junit;
  assert.equal(run.status, 1, show(run));
  const xml = run.stdout;
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="caracal test" tests="8" failures="3" errors="3">\n/);
  assert.match(xml, /<testsuite name="CLI.Plain" tests="2" failures="0" errors="0">\n {4}<testcase classname="CLI.Plain" name="a delete matches"\/>\n/);
  // One test, and only a positive one: both --minimum-tests 2 checks fail, as in the reference tool.
  assert.match(xml, /<testsuite name="CLI.UsesModel" tests="3" failures="3" errors="0">/);
  assert.match(xml, /<testcase classname="CLI.UsesModel" name="minimum tests">\n {6}<failure message="insufficient test coverage: 2 tests required but only 1 found"><\/failure>/);
  assert.match(xml, /<failure message="insufficient test coverage: expected at least one positive and one negative test">/);
  assert.match(xml, /<testsuite name="invalid items" tests="3" failures="0" errors="3">\n {4}<testcase classname="invalid" name="helpers\/cli_helpers.yml">\n {6}<error message="Descripton: unknown key">/);
  assert.doesNotMatch(xml, /CLI.UsesHelper/, 'filtered out');
  assert.match(xml, /<\/testsuites>\n$/);
});

test('--minimum-tests 2 passes a rule with a positive and a negative test', () => {
  const run = runs.minimumPassing;
  assert.equal(run.status, 0, show(run));
  assert.equal(run.stdout, '2 tests: 2 passed, 0 failed (1 rule, 1 unsupported item, 0 invalid items)\n');
});

test('--minimum-tests takes a whole number', () => {
  const run = runs.badMinimum;
  assert.equal(run.status, 2, show(run));
  assert.equal(run.stderr, `caracal: option '--minimum-tests <n>' argument 'two' is invalid. --minimum-tests must be a whole number from 0 to 1000, got "two"\n(add --help for usage and examples)\n`);
});

test('an unknown --format is refused', () => {
  const run = runs.badFormat;
  assert.equal(run.status, 2, show(run));
  assert.equal(run.stderr, `caracal: option '--format <format>' argument 'xml' is invalid. Allowed choices are text, json, junit.\n(add --help for usage and examples)\n`);
});

test('correlation rules\' tests run, the reference tool\'s skipped ones: a failing one names what the rule did', () => {
  const run = runs.correlation;
  assert.equal(run.status, 1, show(run));
  assert.deepEqual(run.stdout.trim().split('\n'), [
    'FAIL CLI.Correlation.RoleThenDelete: a delete past the time frame [expected true, the rule matched: false]',
    '2 tests: 1 passed, 1 failed (0 rules, 1 correlation rule, 0 unsupported items, 0 invalid items)',
  ]);
  const json = JSON.parse(runs.correlationFiltered.stdout) as { summary: { correlationRules: number; passed: number }; results: { ruleId: string; passed: boolean }[] };
  assert.deepEqual([json.summary.correlationRules, json.summary.passed, json.results.map((r) => r.passed)], [1, 1, [true, false]], show(runs.correlationFiltered));
});
