import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadContent } from './content-loader';
import type { ContentSet } from './content.types';
import type { RuleTestReport } from './rule-test-report';
import { runRuleTests } from './rule-test-runner';
import { fixtureDir } from './test-support';

// Expected verdicts checked against panther_analysis_tool 1.11.1 (see the fixture's comments).
let content: ContentSet;
let report: RuleTestReport;

before(async () => {
  content = await loadContent(fixtureDir('policies'));
  assert.deepEqual(content.errors, []);
  report = await runRuleTests(content);
});

function reasonOf(policyId: string, name: string): string | undefined {
  const found = report.results.find((r) => r.ruleId === policyId && r.name === name);
  assert.ok(found, `no result for ${policyId} / ${name}`);
  return found.passed ? undefined : (found.reason ?? 'failed');
}

test('policies load with their settings and are listed as not run on the stream', () => {
  assert.deepEqual(content.policies?.map((p) => p.policyId).sort(), ['Fixture.Policy.AuxFails', 'Fixture.Policy.Versioning']);
  const versioning = content.policies?.find((p) => p.policyId === 'Fixture.Policy.Versioning');
  assert.deepEqual(versioning?.resourceTypes, ['AWS.S3.Bucket']);
  assert.deepEqual(versioning?.suppressions, ['arn:aws:s3:::scratch-*']);
  assert.equal(versioning?.severity, 'LOW');
  assert.equal(content.rules.length, 0);
  assert.equal(content.unsupported.length, 2);
  for (const item of content.unsupported) {
    assert.equal(item.analysisType, 'policy');
    assert.match(item.reason ?? '', /its Tests run; not evaluated on the stream/);
  }
});

test('every policy test runs and reports under its PolicyID', () => {
  assert.equal(report.total, 7);
  assert.equal(report.failed, 3);
});

test('policy() returning True passes a compliant resource; False alerts, running the auxiliary functions', () => {
  assert.equal(reasonOf('Fixture.Policy.Versioning', 'a versioned bucket passes the policy'), undefined);
  assert.equal(reasonOf('Fixture.Policy.Versioning', 'an unversioned bucket fails the policy and gets a title'), undefined);
  assert.equal(reasonOf('Fixture.Policy.AuxFails', "a compliant resource does not run the auxiliary functions' checks"), undefined);
});

test('mocks patch the policy module', () => {
  assert.equal(reasonOf('Fixture.Policy.Versioning', 'the owner lookup is mocked'), undefined);
});

test('failures name what policy() returned, the auxiliary function that raised, or the wrong type', () => {
  assert.equal(reasonOf('Fixture.Policy.Versioning', 'a wrong expectation fails'), 'expected True, policy returned False');
  assert.equal(reasonOf('Fixture.Policy.AuxFails', 'a failing resource whose title raises fails'), 'auxiliary function failed: title: RuntimeError: title broke');
  assert.match(reasonOf('Fixture.Policy.AuxFails', 'a policy returning a non-bool fails') ?? '', /^policy raised TypeError: policy\(\) returned str, expected bool/);
});

test('the filter selects policies by PolicyID', async () => {
  const one = await runRuleTests(content, { filter: 'policy.auxfails' });
  assert.deepEqual([...new Set(one.results.map((r) => r.ruleId))], ['Fixture.Policy.AuxFails']);
});

test('a resource type the reference does not know makes the policy invalid, with the known ones named', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-policy-type-'));
  fs.cpSync(fixtureDir('policies'), dir, { recursive: true });
  const spec = path.join(dir, 'bucket_versioning.yml');
  // The reference tool: "ResourceTypes ... does not match" for AWS.Resource (its template's placeholder).
  fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('- AWS.S3.Bucket', '- AWS.Resource'));
  const loaded = await loadContent(dir);
  assert.deepEqual(
    loaded.errors.map((e) => [path.basename(e.file), e.key]),
    [['bucket_versioning.yml', 'ResourceTypes']],
  );
  assert.match(loaded.errors[0].message, /"AWS\.Resource" is not a known resource type; known: AWS\.ACM\.Certificate, .*AWS\.S3\.Bucket/);
  assert.deepEqual(loaded.policies?.map((p) => p.policyId), ['Fixture.Policy.AuxFails']);
});
