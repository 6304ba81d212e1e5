import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadContent } from './content-loader';
import type { ContentSet } from './content.types';
import { DetectionEventResult, testDetection } from './detection-test-runner';
import { ContentError, InvalidContentError } from './errors';
import { tenantContent } from './tenant-content';
import { fixtureDir } from './test-support';

let engineContent: ContentSet;

before(async () => {
  engineContent = await loadContent(fixtureDir('engine'));
  assert.deepEqual(engineContent.errors, []);
});

async function onEvents(content: ContentSet, ruleId: string, events: Record<string, unknown>[], detectionTimeoutMs?: number): Promise<DetectionEventResult[]> {
  const result = await testDetection(content, ruleId, { events }, { detectionTimeoutMs });
  assert.equal(result.kind, 'events');
  return result.kind === 'events' ? result.results : [];
}

test("without events, the rule's own Tests run and only its", async () => {
  const content = await loadContent(fixtureDir('rule-tests'));
  const result = await testDetection(content, 'Fixture.Mocked', {});
  assert.equal(result.kind, 'tests');
  if (result.kind !== 'tests') return;
  const { report } = result;
  assert.deepEqual([report.total, report.passed, report.failed], [5, 2, 3]);
  assert.ok(report.results.every((r) => r.ruleId === 'Fixture.Mocked'));
  assert.deepEqual(report.results.find((r) => r.name === 'wrong expectation fails'), {
    ruleId: 'Fixture.Mocked',
    name: 'wrong expectation fails',
    passed: false,
    reason: 'expected True, rule returned False',
  });
});

test('the Tests of a detection put for a tenant run against the pack’s globals', async () => {
  const yaml = [
    'AnalysisType: rule',
    'RuleID: Tenant.Put',
    'Filename: put.py',
    'Enabled: true',
    'LogTypes: [Fixture.Log]',
    'Severity: Low',
    'Tests:',
    '  - Name: marge matches',
    '    ExpectedResult: true',
    '    Log: { p_log_type: Fixture.Log, actor: { name: marge } }',
    '  - Name: homer does not',
    '    ExpectedResult: true',
    '    Log: { p_log_type: Fixture.Log, actor: { name: homer } }',
  ].join('\n');
  const python = 'from fixture_helpers import actor_label\n\n\ndef rule(event):\n    return actor_label(event) == "marge"\n';
  const record = { tenantId: 'acme', ruleId: 'Tenant.Put', files: { yaml, python }, version: 1, updatedAtMs: 0, updatedBy: 'token:test (t1)' };
  const { content } = tenantContent(engineContent, [record], { supportedLogTypes: ['Fixture.Log'] });
  const result = await testDetection(content, 'Tenant.Put', {});
  assert.ok(result.kind === 'tests');
  assert.deepEqual(
    result.report.results.map((r) => [r.name, r.passed, r.reason]),
    [
      ['marge matches', true, undefined],
      ['homer does not', false, 'expected True, rule returned False'],
    ],
  );
});

test('on given events: what streaming would report for each, and which did not match', async () => {
  const results = await onEvents(engineContent, 'Fixture.Match', [
    { p_log_type: 'Fixture.Log', action: 'match', actor: { name: 'homer', attributes: { email: 'homer@springfield.gov' } }, sourceIP: '192.0.2.1' },
    { p_log_type: 'Fixture.Log', action: 'nothing' },
    // Without p_log_type a given event gets the data model of the rule's first LogType (a test's Log gets none).
    { action: 'match', actor: { name: 'bart' } },
  ]);
  assert.deepEqual(results[0], {
    eventIndex: 0,
    matched: true,
    title: 'homer did match',
    dedup: 'homer',
    severity: 'MEDIUM',
    alertContext: {
      actor: { name: 'homer', attributes: { email: 'homer@springfield.gov' } },
      hop_ips: null,
      kind: 'kind:match',
      source: '192.0.2.1',
      unknown_mapping: null,
    },
    description: 'YAML description of Fixture.Match',
    reference: 'https://example.test/Fixture.Match',
    runbook: 'YAML runbook of Fixture.Match',
    destinations: null,
    auxErrors: [],
  });
  assert.deepEqual(results[1], { eventIndex: 1, matched: false });
  assert.ok(results[2].matched);
  assert.equal(results[2].dedup, 'bart');
});

test('an event the rule raises on is an error, the other events still run', async () => {
  const results = await onEvents(engineContent, 'Fixture.Raises', [{ action: 'raise' }, { action: 'notbool' }, { action: 'calm' }]);
  assert.equal(results.length, 3);
  const [raised, notBool, calm] = results;
  assert.ok(!raised.matched && raised.error);
  assert.equal(raised.error.errorType, 'ValueError');
  assert.equal(raised.error.message, 'boom on raise');
  assert.match(raised.error.traceback, /rules\/raises\.py", line 4, in rule/);
  assert.ok(!notBool.matched);
  assert.equal(notBool.error?.errorType, 'TypeError');
  assert.deepEqual(calm, { eventIndex: 2, matched: false });
});

test('each run has fresh interpreters and a fresh cache', async () => {
  const count = async () =>
    (await onEvents(engineContent, 'Fixture.Counter', [{ action: 'count' }, { action: 'count' }])).map((r) => (r.matched ? r.alertContext : undefined));
  const expected = [
    { seen: 1, counter: 1 },
    { seen: 2, counter: 2 },
  ];
  assert.deepEqual(await count(), expected);
  assert.deepEqual(await count(), expected);
});

test('a runaway event is stopped at the time limit and the next event still runs', async () => {
  const content = await loadContent(fixtureDir('supervision'));
  const results = await onEvents(content, 'Supervision.Runaway', [{ mode: 'spin' }, { mode: 'match', n: 2 }], 1000);
  assert.ok(!results[0].matched);
  assert.equal(results[0].error?.errorType, 'DetectionTimeout');
  assert.ok(results[1].matched);
  assert.equal(results[1].title, 'runaway fixture 2');
});

test('an unknown rule, bad events and content with errors are refused', async () => {
  await assert.rejects(testDetection(engineContent, 'No.Such.Rule', {}), { code: 'NOT_FOUND' });
  await assert.rejects(testDetection(engineContent, 'Fixture.Match', { events: [{}, 'text'] as unknown as Record<string, unknown>[] }), {
    code: 'INVALID_ARGUMENT',
    message: 'events[1] must be an object, got string',
  });
  const broken = { ...engineContent, errors: [new ContentError('/x/r.yml', 'RuleID', 'required key is missing')] };
  await assert.rejects(testDetection(broken, 'Fixture.Match', {}), InvalidContentError);
});
