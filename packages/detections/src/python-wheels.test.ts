import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadContent } from './content-loader';
import type { ContentSet, RuleSpec } from './content.types';
import { DetectionEngine } from './detection-engine';
import { DetectionRuntimeError } from './errors';
import { detectionsPackageDir } from './package-paths';
import { readPythonWheels } from './python-wheels';
import type { RuleTestReport } from './rule-test-report';
import { runRuleTests } from './rule-test-runner';
import { fixtureDir, normalizedEvent } from './test-support';

const RULE_ID = 'Fixture.Wheels.PublicResourcePolicy';
// Each fixture test is named after the module whose answer decides it.
const MODULES = ['dateutil.parser', 'dateutil.relativedelta', 'policyuniverse Policy', 'policyuniverse ARN'];

let content: ContentSet;
let report: RuleTestReport;

function fixtureRule(): RuleSpec {
  const rule = content.rules.find((r) => r.ruleId === RULE_ID);
  assert.ok(rule, `${RULE_ID} is in the fixture`);
  return rule;
}

before(async () => {
  content = await loadContent(fixtureDir('wheels'));
  assert.deepEqual(content.errors, []);
  report = await runRuleTests(content);
});

/** `name==version` of every pin in python-wheels.txt, as wheel file names spell them. */
function pinnedWheelPrefixes(): string[] {
  const list = readFileSync(path.join(detectionsPackageDir(), 'python-wheels.txt'), 'utf8');
  const pins = [...list.matchAll(/^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)/gm)];
  // Wheel names normalise runs of -_. in the project name to one underscore.
  return pins.map(([, name, version]) => `${name.toLowerCase().replace(/[-_.]+/g, '_')}-${version}-`);
}

test('the wheels folder holds exactly one wheel per pin of python-wheels.txt', async () => {
  const prefixes = pinnedWheelPrefixes();
  assert.ok(prefixes.length >= 4, 'dateutil, tzdata, six and policyuniverse are pinned');
  const files = (await readPythonWheels()).map((w) => w.fileName.toLowerCase());
  for (const prefix of prefixes) {
    assert.equal(files.filter((f) => f.startsWith(prefix)).length, 1, `one wheel for ${prefix} in ${files.join(', ')}`);
  }
  assert.equal(files.length, prefixes.length, `no wheel beyond the pins: ${files.join(', ')}`);
  for (const file of files) assert.match(file, /-py(2\.)?py3-none-any\.whl$|-py3-none-any\.whl$/, `${file} is pure Python`);
});

test('every test of the fixture rule passes with the wheels installed', () => {
  assert.equal(report.total, fixtureRule().tests.length);
  const failures = report.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.reason}`);
  assert.deepEqual(failures, []);
});

test('each module decides at least one matching and one non-matching test', () => {
  for (const moduleName of MODULES) {
    const tests = fixtureRule().tests.filter((t) => t.name.startsWith(`${moduleName}:`));
    const expectations = new Set(tests.map((t) => t.expectedResult));
    assert.deepEqual([...expectations].sort(), [false, true], `${moduleName}: a positive and a negative case`);
    for (const t of tests) {
      assert.equal(report.results.find((r) => r.name === t.name)?.passed, true, `${moduleName}: ${t.name}`);
    }
  }
});

test('streaming evaluation imports them too, and dateutil.tz finds zones in tzdata', async () => {
  const engine = await DetectionEngine.create(content);
  try {
    const opened = fixtureRule().tests.find((t) => t.expectedResult)?.log;
    assert.ok(opened);
    const outcomes = await engine.evaluate('tenant-wheels', [normalizedEvent('Fixture.Wheels', 'tenant-wheels', opened)]);
    assert.equal(outcomes.length, 1);
    const [outcome] = outcomes;
    assert.equal(outcome.kind, 'match', JSON.stringify(outcome));
    if (outcome.kind !== 'match') return;
    assert.deepEqual(outcome.auxErrors, []);
    assert.deepEqual(outcome.alertContext, {
      caller_account: '123456789012',
      internet_accessible_actions: ['s3:GetObject', 's3:ListBucket'],
      owner_local_time: '2024-02-29T03:00:00-08:00',
    });
    assert.equal(outcome.title, 'assumed-role/deploy/ci-session of account 123456789012 opened arn:aws:s3:::springfield-exports to the internet');
  } finally {
    await engine.close();
  }
});

let emptyDir: string | undefined;
after(async () => {
  if (emptyDir) await rm(emptyDir, { recursive: true, force: true });
});

test('a wheels folder that is missing or empty asks for `npm run setup`', async () => {
  const missing = path.join(os.tmpdir(), 'caracal-no-such-wheels-dir');
  await assert.rejects(readPythonWheels(missing), (err: unknown) => {
    assert.ok(err instanceof DetectionRuntimeError);
    assert.equal(err.code, 'UNAVAILABLE');
    assert.match(err.message, /run `npm run setup`/);
    assert.ok(err.message.includes(missing));
    return true;
  });
  emptyDir = await mkdtemp(path.join(os.tmpdir(), 'caracal-wheels-'));
  await assert.rejects(readPythonWheels(emptyDir), /holds no \.whl file; run `npm run setup`/);
});
