import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadContent } from './content-loader';
import type { ContentSet, RuleSpec } from './content.types';
import { DetectionEngine } from './detection-engine';
import { DetectionRuntimeError } from './errors';
import { detectionsPackageDir } from './package-paths';
import { checkPythonPackages, pythonPackagesDir } from './python-wheels';
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

/** Every pin of python-wheels.txt: `name==version` and the sha256 sums it accepts. */
function pins(): { name: string; version: string; sums: string[] }[] {
  const list = readFileSync(path.join(detectionsPackageDir(), 'python-wheels.txt'), 'utf8').replace(/#.*$/gm, '');
  return [...list.matchAll(/^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\s*--hash=sha256:[0-9a-f]{64})+)/gm)].map(([, name, version, hashes]) => ({
    name,
    version,
    sums: [...hashes.matchAll(/sha256:([0-9a-f]{64})/g)].map(([, sum]) => sum),
  }));
}

test('the unpacked folder holds exactly the pinned wheels of python-wheels.txt, one version each', async () => {
  await checkPythonPackages();
  const pinned = pins();
  assert.ok(pinned.length >= 15, `dateutil, tzdata, six, policyuniverse, pycountry, boto3, requests and their dependencies are pinned: ${pinned.map((p) => p.name).join(', ')}`);
  const dir = pythonPackagesDir();
  const unpackedSums = readFileSync(path.join(dir, '.caracal-wheels'), 'utf8').split('\n').filter(Boolean);
  assert.equal(unpackedSums.length, pinned.length, 'one wheel per pin');
  for (const pin of pinned) assert.ok(pin.sums.some((sum) => unpackedSums.includes(sum)), `${pin.name}==${pin.version}: its wheel is the one unpacked`);
  // Wheel metadata folders normalise runs of -_. in the project name to one underscore.
  const distInfos = readdirSync(dir).filter((name) => name.endsWith('.dist-info')).map((name) => name.toLowerCase());
  for (const pin of pinned) {
    const wanted = `${pin.name.toLowerCase().replace(/[-_.]+/g, '_')}-${pin.version}.dist-info`;
    assert.ok(distInfos.includes(wanted), `${wanted} in ${distInfos.join(', ')}`);
  }
  assert.equal(distInfos.length, pinned.length, `no package beyond the pins: ${distInfos.join(', ')}`);
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    assert.doesNotMatch(name, /\.(so|pyd|dylib)$/, `${name}: only pure Python, Pyodide loads no native extension of the host`);
  }
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

test('a packages folder that is missing or was not unpacked to the end asks for `npm run setup`', async () => {
  const missing = path.join(os.tmpdir(), 'caracal-no-such-python-packages');
  await assert.rejects(checkPythonPackages(missing), (err: unknown) => {
    assert.ok(err instanceof DetectionRuntimeError);
    assert.equal(err.code, 'UNAVAILABLE');
    assert.match(err.message, /run `npm run setup`/);
    assert.ok(err.message.includes(missing));
    return true;
  });
  // Unpacking writes its marker last: a folder without it was cut short.
  emptyDir = await mkdtemp(path.join(os.tmpdir(), 'caracal-python-packages-'));
  await assert.rejects(checkPythonPackages(emptyDir), /has no \.caracal-wheels .*run `npm run setup`/);
});
