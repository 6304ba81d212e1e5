import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TenantDetectionRecord } from '@caracal/core/messages';
import { loadContent } from './content-loader';
import type { ContentSet } from './content.types';
import { DetectionEngine } from './detection-engine';
import { ContentError, InvalidContentError } from './errors';
import type { RuleOutcome, RuleOutcomeMatch } from './rule-outcome';
import { tenantContent } from './tenant-content';
import { fixtureDir, normalizedEvent } from './test-support';

// One process per tenant: tenants with different content side by side
// in one engine are what is tested.
const OPTIONS = { supportedLogTypes: ['Fixture.Log', 'Other.Log'] };
const PUT_RULE_PY = `from fixture_helpers import actor_label


def rule(event):
    return event.get("action") == "tenant-put"


def title(event):
    return f"tenant rule for {actor_label(event)}"
`;
const REPLACED_MATCH_PY = 'def rule(event):\n    return event.get("action") == "replaced"\n';

let base: ContentSet;
let engine: DetectionEngine;

before(async () => {
  base = await loadContent(fixtureDir('engine'));
  engine = await DetectionEngine.create(base, { processesPerTenant: 1 });
});

after(async () => {
  await engine.close();
});

function record(tenantId: string, ruleId: string, python: string | undefined, version = 1): TenantDetectionRecord {
  const yaml = `AnalysisType: rule\nRuleID: ${ruleId}\nFilename: ${ruleId.toLowerCase()}.py\nEnabled: true\nLogTypes: [Fixture.Log]\nSeverity: High\n`;
  return { tenantId, ruleId, ...(python === undefined ? {} : { files: { yaml, python } }), version, updatedAtMs: 0, updatedBy: 'token:test (t1)' };
}

function contentWith(tenantId: string, ...records: TenantDetectionRecord[]): ContentSet {
  const { content, problems } = tenantContent(base, records.map((r) => ({ ...r, tenantId })), OPTIONS);
  assert.deepEqual(problems, []);
  return content;
}

const event = (tenantId: string, fields: Record<string, unknown>) => normalizedEvent('Fixture.Log', tenantId, fields);
const matches = (outcomes: RuleOutcome[]) => outcomes.filter((o): o is RuleOutcomeMatch => o.kind === 'match').map((o) => [o.ruleId, o.title]);

test('a tenant with a put rule matches it; a tenant on the pack does not', async () => {
  engine.setTenantContent('tenant-a', contentWith('tenant-a', record('', 'Tenant.Put', PUT_RULE_PY)));
  const fields = { action: 'tenant-put', actor: { name: 'marge' } };
  assert.deepEqual(matches(await engine.evaluate('tenant-a', [event('tenant-a', fields)])), [['Tenant.Put', 'tenant rule for marge']]);
  assert.deepEqual(await engine.evaluate('tenant-b', [event('tenant-b', fields)]), []);
  assert.ok(engine.rulesFor('tenant-a').some((r) => r.ruleId === 'Tenant.Put'));
  assert.equal(engine.rulesFor('tenant-b'), engine.rules());
  assert.ok(!engine.rules().some((r) => r.ruleId === 'Tenant.Put'), 'the base content is unchanged');
});

test('a put replaces a pack rule for that tenant only', async () => {
  engine.setTenantContent('tenant-a', contentWith('tenant-a', record('', 'Tenant.Put', PUT_RULE_PY), record('', 'Fixture.Match', REPLACED_MATCH_PY)));
  const match = { action: 'match', actor: { name: 'homer' } };
  assert.deepEqual(matches(await engine.evaluate('tenant-a', [event('tenant-a', match)])), []);
  assert.deepEqual(matches(await engine.evaluate('tenant-a', [event('tenant-a', { action: 'replaced' })])), [['Fixture.Match', 'Fixture.Match']]);
  assert.deepEqual(matches(await engine.evaluate('tenant-b', [event('tenant-b', match)])), [['Fixture.Match', 'homer did match']]);
  assert.equal(engine.rulesFor('tenant-a').find((r) => r.ruleId === 'Fixture.Match')?.severity, 'HIGH');
});

test("a delete hides a pack rule for one tenant; events only it saw stay out of the tenant's Python", async () => {
  engine.setTenantContent('tenant-a', contentWith('tenant-a', record('', 'Fixture.Other', undefined, 2)));
  const before = engine.stats().events;
  assert.deepEqual(await engine.evaluate('tenant-a', [normalizedEvent('Other.Log', 'tenant-a', {})]), []);
  assert.equal(engine.stats().events, before, 'no rule of the tenant has that log type any more');
  assert.deepEqual(
    matches(await engine.evaluate('tenant-b', [normalizedEvent('Other.Log', 'tenant-b', {})])).map(([id]) => id),
    ['Fixture.Other'],
  );
  assert.ok(!engine.rulesFor('tenant-a').some((r) => r.ruleId === 'Fixture.Other'));
});

test('a changed content rebuilds the interpreter, the same content again does not, and undefined goes back to the pack', async () => {
  // Fixture.Counter keeps module state: it counts the events its interpreter has seen.
  const seen = async () => {
    const outcomes = await engine.evaluate('tenant-c', [event('tenant-c', { action: 'count' })]);
    const counter = outcomes.find((o) => o.ruleId === 'Fixture.Counter') as RuleOutcomeMatch;
    return counter.alertContext.seen;
  };
  assert.equal(await seen(), 1);
  assert.equal(await seen(), 2);
  engine.setTenantContent('tenant-c', contentWith('tenant-c', record('', 'Tenant.Put', PUT_RULE_PY)));
  assert.equal(await seen(), 1, 'a new interpreter for the new content');
  engine.setTenantContent('tenant-c', contentWith('tenant-c', record('', 'Tenant.Put', PUT_RULE_PY, 2)));
  assert.equal(await seen(), 2, 'equal content keeps the interpreter');
  const put = await engine.evaluate('tenant-c', [event('tenant-c', { action: 'tenant-put' })]);
  assert.deepEqual(matches(put).map(([id]) => id), ['Tenant.Put']);

  engine.setTenantContent('tenant-c', undefined);
  assert.equal(await seen(), 1, 'back on the pack: rebuilt again');
  assert.deepEqual(await engine.evaluate('tenant-c', [event('tenant-c', { action: 'tenant-put' })]), []);
  assert.equal(engine.rulesFor('tenant-c'), engine.rules());
  // Content equal to the pack is the pack.
  engine.setTenantContent('tenant-c', tenantContent(base, [], OPTIONS).content);
  assert.equal(await seen(), 2);
});

test('content with errors is refused and the tenant keeps what it had', async () => {
  const before = engine.rulesFor('tenant-a');
  const broken: ContentSet = { ...base, errors: [new ContentError('/x/a.yml', 'RuleID', 'required key is missing')] };
  assert.throws(() => engine.setTenantContent('tenant-a', broken), InvalidContentError);
  assert.throws(() => engine.setTenantContent('', base), { code: 'INVALID_ARGUMENT' });
  assert.equal(engine.rulesFor('tenant-a'), before);
});

test('a module load refused after it killed a process is refused in that content only', async () => {
  // The rule at index 0 loops at import. A tenant that deleted it has another rule at index 0, which must load.
  const loadBase = await loadContent(fixtureDir('supervision-load'));
  const loading = await DetectionEngine.create(loadBase, { processesPerTenant: 1, detectionTimeoutMs: 1000 });
  try {
    assert.deepEqual(loadBase.rules.map((r) => r.ruleId), ['Supervision.LoopAtImport', 'Supervision.Quiet']);
    const first = await loading.evaluate('tenant-1', [normalizedEvent('Fixture.Log', 'tenant-1', { mode: 'match', n: 1 })]);
    assert.deepEqual(
      first.map((o) => [o.ruleId, o.kind === 'error' ? o.errorType : o.title]),
      [
        ['Supervision.LoopAtImport', 'DetectionAborted'],
        ['Supervision.Quiet', 'quiet fixture 1'],
      ],
    );
    const without = tenantContent(loadBase, [{ ...record('tenant-2', 'Supervision.LoopAtImport', undefined), tenantId: 'tenant-2' }], OPTIONS).content;
    loading.setTenantContent('tenant-2', without);
    const second = await loading.evaluate('tenant-2', [normalizedEvent('Fixture.Log', 'tenant-2', { mode: 'match', n: 2 })]);
    assert.deepEqual(
      second.map((o) => [o.ruleId, o.kind === 'error' ? o.errorType : o.title]),
      [['Supervision.Quiet', 'quiet fixture 2']],
    );
    assert.equal(loading.stats().processesReplaced, 1);
  } finally {
    await loading.close();
  }
});
