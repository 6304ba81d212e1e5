import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { loadContent } from './content-loader';
import type { ContentSet } from './content.types';
import { DetectionEngine } from './detection-engine';
import { detectionsPackageDir } from './package-paths';
import { PYTHON_PACKAGES_MOUNT, pythonPackagesDir } from './python-wheels';
import type { RuleOutcome, RuleOutcomeError, RuleOutcomeMatch } from './rule-outcome';
import { runRuleTests } from './rule-test-runner';
import type { SandboxKind } from './sandbox/sandbox-launch';
import { fixtureDir, normalizedEvent } from './test-support';

const LOG_TYPE = 'Fixture.Packages';
const EVENTS = {
  policyRemoved: { eventName: 'DeleteBucketPolicy', bucket: 'springfield-exports' },
  policyAdded: { eventName: 'PutBucketPolicy', bucket: 'springfield-payroll' },
  patchedClient: { bucket: 'springfield-exports', exposure: 'public' },
  loginAbroad: { country: 'FR', region: 'FR-75C' },
  webhook: { eventName: 'CreateWebhook', url: 'https://example.com/hook' },
  probe: { probe: 'site-packages' },
};

let content: ContentSet;

before(async () => {
  content = await loadContent(fixtureDir('python-packages'));
  assert.deepEqual(content.errors, []);
});

function pinnedVersion(name: string): string {
  const list = readFileSync(path.join(detectionsPackageDir(), 'python-wheels.txt'), 'utf8');
  const version = new RegExp(`^${name}==(\\S+)`, 'm').exec(list)?.[1];
  assert.ok(version, `${name} is pinned`);
  return version;
}

function fileState(file: string): string {
  return `${statSync(file).mode.toString(8)} ${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
}

test('the fixture tests pass: boto3 imported at module level, mocked helpers, pycountry, requests', async () => {
  const report = await runRuleTests(content);
  assert.deepEqual(report.results.filter((r) => !r.passed).map((r) => `${r.ruleId} ${r.name}: ${r.reason}`), []);
  assert.equal(report.total, 12);
});

/** The outcomes of each event, by RuleID. */
async function evaluateAll(kind: SandboxKind): Promise<Map<string, RuleOutcome>[]> {
  const engine = await DetectionEngine.create(content, { sandbox: { kind } });
  try {
    const names = Object.keys(EVENTS);
    const events = Object.values(EVENTS).map((fields) => normalizedEvent(LOG_TYPE, 'tenant-packages', fields));
    const outcomes = await engine.evaluate('tenant-packages', events);
    const byEvent = names.map(() => new Map<string, RuleOutcome>());
    for (const outcome of outcomes) byEvent[outcome.eventIndex].set(outcome.ruleId, outcome);
    return byEvent;
  } finally {
    await engine.close();
  }
}

function match(outcomes: Map<string, RuleOutcome>, ruleId: string): RuleOutcomeMatch {
  const outcome = outcomes.get(ruleId);
  assert.equal(outcome?.kind, 'match', `${ruleId}: ${JSON.stringify(outcome)}`);
  return outcome as RuleOutcomeMatch;
}

for (const kind of ['bwrap', 'process', 'unsandboxed'] as const) {
  test(`in a ${kind} detection process the packages import, reach no network and cannot be changed`, async () => {
    const six = path.join(pythonPackagesDir(), 'six.py');
    const sixBefore = fileState(six);
    const [policyRemoved, policyAdded, patchedClient, loginAbroad, webhook, probe] = await evaluateAll(kind);

    // boto3 without credentials or network: botocore's own error, at once.
    const removed = match(policyRemoved, 'Fixture.Packages.PublicBucketPolicy');
    assert.deepEqual(removed.auxErrors, []);
    assert.deepEqual(removed.alertContext, { boto3_version: pinnedVersion('boto3'), list_buckets_error: 'NoCredentialsError' });
    const added = policyAdded.get('Fixture.Packages.PublicBucketPolicy') as RuleOutcomeError | undefined;
    assert.equal(added?.kind, 'error', JSON.stringify(added));
    assert.equal(added.errorType, 'NoCredentialsError');
    assert.match(added.message, /Unable to locate credentials/);

    // unittest.mock in front of boto3.client reaches the helper module's calls too.
    match(patchedClient, 'Fixture.Packages.PatchedClient');
    assert.equal(policyRemoved.has('Fixture.Packages.PatchedClient'), false);

    const login = match(loginAbroad, 'Fixture.Packages.LoginCountry');
    assert.equal(login.title, 'Console login from France (FRA)');
    assert.deepEqual(login.alertContext, { region: 'Paris' });

    const hook = match(webhook, 'Fixture.Packages.WebhookReachable');
    assert.equal(hook.alertContext.reached, false);
    assert.equal(hook.alertContext.error, 'ConnectionError');
    assert.match(String(hook.alertContext.message), /example\.com.*detections have no network access/);

    const probed = match(probe, 'Fixture.Packages.SitePackagesProbe');
    assert.deepEqual(probed.alertContext, {
      folder: PYTHON_PACKAGES_MOUNT,
      readable: true,
      host_parent_visible: false,
      create: 'EROFS',
      append: 'EROFS',
      chmod: 'EROFS',
      remove: 'EROFS',
      rename: 'EROFS',
      mkdir: 'EROFS',
    });
    assert.equal(fileState(six), sixBefore);
    assert.equal(existsSync(path.join(pythonPackagesDir(), 'caracal-probe.txt')), false);
  });
}

test('no interpreter wrote bytecode or anything else into the packages folder', () => {
  const written = (readdirSync(pythonPackagesDir(), { recursive: true }) as string[]).filter((name) => /__pycache__|\.pyc$|caracal-probe/.test(name));
  assert.deepEqual(written, []);
});
