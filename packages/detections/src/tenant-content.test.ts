import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';
import type { TenantDetectionRecord } from '@caracal/core/messages';
import { loadContent } from './content-loader';
import { contentPayload } from './content-payload';
import type { ContentSet } from './content.types';
import { InvalidContentError } from './errors';
import { tenantContent } from './tenant-content';
import { fixtureDir } from './test-support';

const TENANT = 'acme';
const OPTIONS = { supportedLogTypes: ['Fixture.Log', 'Other.Log'] };

let base: ContentSet;
let scheduledBase: ContentSet;

before(async () => {
  base = await loadContent(fixtureDir('engine'));
  scheduledBase = await loadContent(fixtureDir(path.join('content-loader', 'scheduled')));
  assert.deepEqual([...base.errors, ...scheduledBase.errors], []);
});

function ruleYaml(ruleId: string, extra = ''): string {
  return `AnalysisType: rule\nRuleID: ${ruleId}\nFilename: rule.py\nEnabled: true\nLogTypes: [Fixture.Log]\nSeverity: High\n${extra}`;
}

function put(ruleId: string, version: number, yaml = ruleYaml(ruleId)): TenantDetectionRecord {
  return { tenantId: TENANT, ruleId, files: { yaml, python: 'def rule(event):\n    return True\n' }, version, updatedAtMs: 1_700_000_000_000 + version, updatedBy: 'token:test (t1)' };
}

function deleted(ruleId: string, version: number): TenantDetectionRecord {
  return { tenantId: TENANT, ruleId, version, updatedAtMs: 1_700_000_000_000 + version, updatedBy: 'token:test (t1)' };
}

const ids = (content: ContentSet) => content.rules.map((r) => r.ruleId);

test('without records the tenant has the pack', () => {
  const { content, problems } = tenantContent(base, [], OPTIONS);
  assert.equal(content, base);
  assert.deepEqual(problems, []);
});

test('a put adds a rule after the pack rules; the pack itself is not changed', () => {
  const packIds = ids(base);
  const { content, problems } = tenantContent(base, [put('Tenant.New', 1)], OPTIONS);
  assert.deepEqual(problems, []);
  assert.deepEqual(ids(content), [...packIds, 'Tenant.New']);
  const added = content.rules.at(-1)!;
  assert.equal(added.severity, 'HIGH');
  assert.equal(added.pythonPath, path.join(base.root, 'tenant-detections', 'Tenant.New', 'rule.py'));
  assert.deepEqual(ids(base), packIds);
  assert.equal(content.globals, base.globals, 'globals and data models are the pack’s');
  assert.equal(content.dataModels, base.dataModels);
  // Tracebacks name the tenant's module under the content root, one directory per RuleID.
  const payload = JSON.parse(contentPayload(content)) as { rules: { id: string; filename: string }[] };
  assert.equal(payload.rules.find((r) => r.id === 'Tenant.New')?.filename, 'tenant-detections/Tenant.New/rule.py');
});

test('a put replaces the pack rule of its RuleID, in its place', () => {
  const { content } = tenantContent(base, [put('Fixture.Match', 3, ruleYaml('Fixture.Match', 'DisplayName: replaced\n'))], OPTIONS);
  assert.deepEqual(ids(content), ids(base));
  const replaced = content.rules.find((r) => r.ruleId === 'Fixture.Match')!;
  assert.equal(replaced.displayName, 'replaced');
  assert.equal(base.rules.find((r) => r.ruleId === 'Fixture.Match')!.displayName, 'Fixture.Match display');
});

test('a delete hides a pack rule for that tenant only', () => {
  const { content } = tenantContent(base, [deleted('Fixture.Other', 2)], OPTIONS);
  assert.deepEqual(ids(content), ids(base).filter((id) => id !== 'Fixture.Other'));
  assert.ok(ids(base).includes('Fixture.Other'));
  assert.ok(ids(tenantContent(base, [{ ...put('Tenant.New', 1), tenantId: 'other' }], OPTIONS).content).includes('Fixture.Other'));
  // Deleting what does not exist changes nothing.
  assert.deepEqual(ids(tenantContent(base, [deleted('No.Such.Rule', 1)], OPTIONS).content), ids(base));
});

test('a delete also hides a scheduled rule of the pack', () => {
  const { content } = tenantContent(scheduledBase, [deleted('Audit.Many.Console.Logins', 1)], OPTIONS);
  assert.deepEqual(content.scheduledRules, []);
  assert.equal(scheduledBase.scheduledRules.length, 1);
  assert.ok(!content.unsupported.some((u) => u.file === scheduledBase.scheduledRules[0].filePath));
});

test('of several records of one RuleID the highest version counts, in any order', () => {
  const history = [put('Tenant.New', 1), deleted('Tenant.New', 2), put('Tenant.New', 3, ruleYaml('Tenant.New', 'DisplayName: v3\n'))];
  const forward = tenantContent(base, history, OPTIONS).content;
  const backward = tenantContent(base, [...history].reverse(), OPTIONS).content;
  assert.equal(forward.rules.find((r) => r.ruleId === 'Tenant.New')?.displayName, 'v3');
  assert.equal(contentPayload(forward), contentPayload(backward));
  const deletedLast = tenantContent(base, [put('Fixture.Match', 4), deleted('Fixture.Match', 5)], OPTIONS).content;
  assert.ok(!ids(deletedLast).includes('Fixture.Match'));
  // Records of different RuleIDs give the same content in any order too.
  const two = [put('Tenant.B', 1), put('Tenant.A', 1)];
  assert.equal(contentPayload(tenantContent(base, two, OPTIONS).content), contentPayload(tenantContent(base, [...two].reverse(), OPTIONS).content));
  assert.deepEqual(ids(tenantContent(base, two, OPTIONS).content).slice(-2), ['Tenant.A', 'Tenant.B']);
});

test('a record that does not parse is left out and reported; the rest of the tenant stands', () => {
  const broken = put('Fixture.Match', 7, ruleYaml('Fixture.Match', 'Sevrity: low\n'));
  const { content, problems } = tenantContent(base, [broken, put('Tenant.New', 1), put('Tenant.Other', 1, ruleYaml('Tenant.Mismatch'))], OPTIONS);
  assert.deepEqual(
    problems.map((p) => [p.tenantId, p.ruleId, p.version, p.error.code]),
    [
      [TENANT, 'Fixture.Match', 7, 'INVALID_ARGUMENT'],
      [TENANT, 'Tenant.Other', 1, 'INVALID_ARGUMENT'],
    ],
  );
  assert.ok(problems[0].error instanceof InvalidContentError);
  assert.match(problems[0].error.message, /Sevrity: unknown key/);
  assert.match(problems[1].error.message, /the YAML's RuleID "Tenant.Mismatch" is not the record's "Tenant.Other"/);
  assert.equal(content.rules.find((r) => r.ruleId === 'Fixture.Match'), base.rules.find((r) => r.ruleId === 'Fixture.Match'), 'the pack rule stays');
  assert.ok(ids(content).includes('Tenant.New'));
  assert.ok(!ids(content).includes('Tenant.Other') && !ids(content).includes('Tenant.Mismatch'));
  assert.deepEqual(content.errors, []);
});

test("records of several tenants are refused: a tenant's content is its own", () => {
  assert.throws(() => tenantContent(base, [put('A', 1), { ...put('B', 1), tenantId: 'other' }], OPTIONS), { code: 'INVALID_ARGUMENT' });
});
