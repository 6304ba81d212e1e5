import assert from 'node:assert/strict';
import os from 'node:os';
import { truncateUtf8 } from '@caracal/core';
import { after, before, test } from 'node:test';
import { loadContent } from './content-loader';
import type { ContentSet } from './content.types';
import { DetectionEngine } from './detection-engine';
import { ContentError, InvalidContentError } from './errors';
import type { RuleOutcome, RuleOutcomeError, RuleOutcomeMatch } from './rule-outcome';
import { fixtureDir, normalizedEvent } from './test-support';

const TENANT_A = 'tenant-a';
const TENANT_B = 'tenant-b';

let content: ContentSet;
let engine: DetectionEngine;

before(async () => {
  content = await loadContent(fixtureDir('engine'));
  engine = await DetectionEngine.create(content);
});

after(async () => {
  await engine.close();
});

function fixtureEvent(tenantId: string, fields: Record<string, unknown>) {
  return normalizedEvent('Fixture.Log', tenantId, fields);
}

function only<T extends RuleOutcome['kind']>(
  outcomes: RuleOutcome[],
  kind: T,
): Extract<RuleOutcome, { kind: T }> {
  assert.equal(outcomes.length, 1, JSON.stringify(outcomes, null, 1));
  const [outcome] = outcomes;
  assert.equal(outcome.kind, kind, JSON.stringify(outcome, null, 1));
  return outcome as Extract<RuleOutcome, { kind: T }>;
}

test('the fixture content loads without errors; its scheduled query is content, not an unsupported item', () => {
  assert.deepEqual(content.errors, []);
  assert.deepEqual(content.unsupported, []);
  assert.deepEqual(content.scheduledQueries.map((q) => q.queryName), ['Fixture hourly']);
  assert.deepEqual(engine.rules().map((r) => r.ruleId).sort(), [
    'Fixture.AuxFails',
    'Fixture.BrokenImport',
    'Fixture.Counter',
    'Fixture.Disabled',
    'Fixture.Match',
    'Fixture.Other',
    'Fixture.Raises',
    'Fixture.Sandbox',
  ]);
});

test('create refuses content with errors and lists them', async () => {
  const broken: ContentSet = { ...content, errors: [new ContentError('/x/a.yml', 'Sevrity', 'unknown key')] };
  await assert.rejects(DetectionEngine.create(broken), (err: unknown) => {
    assert.ok(err instanceof InvalidContentError);
    assert.equal(err.code, 'INVALID_ARGUMENT');
    assert.match(err.message, /\/x\/a\.yml: Sevrity: unknown key/);
    return true;
  });
});

test('a match carries title, dedup, DEFAULT severity and alert context', async () => {
  const event = fixtureEvent(TENANT_A, {
    action: 'match',
    actor: { name: 'homer', attributes: { email: 'homer@springfield.gov' } },
    sourceIP: '192.0.2.1',
    hops: [{ ip: '10.0.0.1' }, { ip: ['10.0.0.2', '10.0.0.1'] }],
  });
  const match = only(await engine.evaluate(TENANT_A, [event]), 'match');
  assert.deepEqual(match, {
    kind: 'match',
    eventIndex: 0,
    ruleId: 'Fixture.Match',
    title: 'homer did match',
    dedup: 'homer',
    severity: 'MEDIUM',
    alertContext: {
      actor: { name: 'homer', attributes: { email: 'homer@springfield.gov' } },
      hop_ips: ['10.0.0.1', '10.0.0.2'],
      kind: 'kind:match',
      source: '192.0.2.1',
      unknown_mapping: null,
    },
    description: 'YAML description of Fixture.Match',
    reference: 'https://example.test/Fixture.Match',
    runbook: 'YAML runbook of Fixture.Match',
    destinations: null,
    auxErrors: [],
  } satisfies RuleOutcomeMatch);
});

test('a rule that raises gives a rule error with type, message and traceback', async () => {
  const error = only(await engine.evaluate(TENANT_A, [fixtureEvent(TENANT_A, { action: 'raise' })]), 'error');
  assert.equal(error.ruleId, 'Fixture.Raises');
  assert.equal(error.errorType, 'ValueError');
  assert.equal(error.message, 'boom on raise');
  assert.match(error.traceback, /rules\/raises\.py", line 4, in rule/);
  assert.match(error.traceback, /raise ValueError/, 'the source line is shown');
  assert.doesNotMatch(error.traceback, /_caracal/, 'harness frames are left out');
});

test('a rule that returns a non-bool gives a rule error', async () => {
  const error: RuleOutcomeError = only(
    await engine.evaluate(TENANT_A, [fixtureEvent(TENANT_A, { action: 'notbool' })]),
    'error',
  );
  assert.equal(error.errorType, 'TypeError');
  assert.match(error.message, /returned str, expected bool/);
});

test('a rule module that fails to load gives a rule error on each event it would see', async () => {
  const events = [normalizedEvent('Broken.Log', TENANT_A, {}), normalizedEvent('Broken.Log', TENANT_A, {})];
  const outcomes = await engine.evaluate(TENANT_A, events);
  assert.deepEqual(
    outcomes.map((o) => [o.kind, o.eventIndex, o.ruleId, (o as RuleOutcomeError).errorType]),
    [
      ['error', 0, 'Fixture.BrokenImport', 'ModuleNotFoundError'],
      ['error', 1, 'Fixture.BrokenImport', 'ModuleNotFoundError'],
    ],
  );
  assert.match((outcomes[0] as RuleOutcomeError).traceback, /rules\/broken_import\.py", line 1/);
});

test('a JSONPath mapping that matches several values is an error of the rule using it', async () => {
  const event = fixtureEvent(TENANT_A, { action: 'ambiguous_udm', hops: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] });
  const error = only(await engine.evaluate(TENANT_A, [event]), 'error');
  // Panther raises a bare Exception here, and so do we.
  assert.equal(error.errorType, 'Exception');
  assert.match(error.message, /matched multiple fields/);
});

test('failing or invalid auxiliary functions fall back to defaults and are recorded', async () => {
  const match = only(await engine.evaluate(TENANT_A, [fixtureEvent(TENANT_A, { action: 'aux' })]), 'match');
  assert.equal(match.title, 'Fixture.AuxFails display');
  assert.equal(match.dedup, 'Fixture.AuxFails display', 'dedup defaults to the title when title() exists');
  assert.equal(match.severity, 'MEDIUM');
  assert.match(String(match.alertContext._error), /bytes serialised, over the limit/);
  assert.equal(match.description, truncateUtf8('d'.repeat(5000), 1000), 'cut to 1000 bytes, the marker within them');
  assert.equal(match.destinations, null);
  assert.deepEqual(match.auxErrors, [
    "title: KeyError: 'no title today'",
    "severity: invalid value 'SEVERE'",
    'destinations: returned str, expected a list',
  ]);
});

test('defaults without auxiliary functions: dedup string, 1000-byte cut, destinations', async () => {
  const match = only(await engine.evaluate(TENANT_A, [normalizedEvent('Other.Log', TENANT_A, {})]), 'match');
  assert.equal(match.ruleId, 'Fixture.Other');
  assert.equal(match.title, truncateUtf8('t'.repeat(1500), 1000));
  assert.equal(match.dedup, match.title, 'the dedup string defaults to the title as cut');
  assert.deepEqual(match.destinations, ['pager', 'slack']);
  assert.deepEqual(match.alertContext, {});
});

test('customer code cannot import the JavaScript host and sees no host environment', async () => {
  const match = only(await engine.evaluate(TENANT_A, [fixtureEvent(TENANT_A, { action: 'probe' })]), 'match');
  assert.deepEqual(match.alertContext.imports, {
    js: false,
    pyodide_js: false,
    pyodide: false,
    'pyodide.ffi': false,
    'pyodide.code': false,
    _pyodide_core: false,
  });
  assert.deepEqual(match.alertContext.unblocked, { js: false, pyodide_js: false });
  assert.deepEqual(match.alertContext.env, { HOME: '/home/pyodide', LANG: 'C.UTF-8', PATH: '/', USER: 'detection' });
});

test('two tenants get separate interpreters: module state does not cross', async () => {
  const count = (tenantId: string) => engine.evaluate(tenantId, [fixtureEvent(tenantId, { action: 'count' })]);
  const first = only(await count(TENANT_A), 'match');
  const second = only(await count(TENANT_A), 'match');
  assert.equal(second.alertContext.seen, (first.alertContext.seen as number) + 1);
  assert.equal(second.alertContext.counter, (first.alertContext.counter as number) + 1);
  assert.equal(first.title, 'Fixture.Counter display', 'no title(): the DisplayName');
  assert.equal(first.dedup, 'defaultDedupString:Fixture.Counter', 'no title(): the default dedup string');
  // Concurrent first calls of a new tenant must share one interpreter.
  const [b1, b2] = await Promise.all([count(TENANT_B), count(TENANT_B)]);
  assert.deepEqual(
    [only(b1, 'match').alertContext, only(b2, 'match').alertContext],
    [
      { seen: 1, counter: 1 },
      { seen: 2, counter: 2 },
    ],
  );
  assert.equal(engine.stats().interpreters, 2);
});

test('a batch of 1000 events crosses into Python once per detection process it is spread over', async () => {
  const events = Array.from({ length: 1000 }, (_, i) =>
    i % 2 === 0
      ? fixtureEvent(TENANT_A, { action: 'match', actor: { name: `user${i}` } })
      : normalizedEvent('Unrelated.Log', TENANT_A, {}),
  );
  const before = engine.stats();
  const outcomes = await engine.evaluate(TENANT_A, events);
  const after = engine.stats();
  // 500 events with a rule, at least 250 per chunk: at most two chunks.
  assert.equal(after.batches - before.batches, Math.min(os.availableParallelism(), 2));
  assert.equal(after.events - before.events, 500, 'events of log types without rules stay in JS');
  assert.equal(outcomes.length, 500);
  for (const outcome of outcomes) {
    assert.equal(outcome.kind, 'match');
    assert.equal(outcome.eventIndex % 2, 0);
    assert.equal((outcome as RuleOutcomeMatch).dedup, `user${outcome.eventIndex}`);
  }
});

test('evaluateTimed gives the time of each rule that ran, summed over the batch and its workers', async () => {
  const events = Array.from({ length: 600 }, (_, i) => fixtureEvent(TENANT_A, { action: 'match', actor: { name: `user${i}` } }));
  const ran = engine.rulesFor(TENANT_A).filter((r) => r.enabled && r.logTypes.includes('Fixture.Log')).map((r) => r.ruleId);
  const { outcomes, ruleSeconds } = await engine.evaluateTimed(TENANT_A, events);
  assert.ok(outcomes.length >= 600);
  assert.deepEqual(Object.keys(ruleSeconds).sort(), [...ran].sort(), 'every rule of the log type is timed, and only those');
  for (const [ruleId, seconds] of Object.entries(ruleSeconds)) assert.ok(seconds > 0 && seconds < 60, `${ruleId}: ${seconds}`);
  assert.deepEqual(await engine.evaluateTimed(TENANT_A, [normalizedEvent('Unrelated.Log', TENANT_A, {})]), { outcomes: [], ruleSeconds: {} });
});

test('disabled rules and events without a rule produce nothing', async () => {
  assert.deepEqual(await engine.evaluate(TENANT_A, [fixtureEvent(TENANT_A, { action: 'nothing' })]), []);
  assert.deepEqual(await engine.evaluate(TENANT_A, []), []);
});

test('events of another tenant are refused', async () => {
  await assert.rejects(engine.evaluate(TENANT_A, [fixtureEvent(TENANT_B, { action: 'match' })]), {
    code: 'INVALID_ARGUMENT',
  });
});

test('evaluateEncoded answers as evaluate, from the events as UTF-8 JSON, indexes into that array', async () => {
  const events = Array.from({ length: 600 }, (_, i) =>
    i % 3 === 0
      ? normalizedEvent('Unrelated.Log', TENANT_A, { note: 'skipped, "quoted" {braces} [brackets] é' })
      : fixtureEvent(TENANT_A, { action: i % 3 === 1 ? 'match' : 'nothing', actor: { name: `user${i}` } }),
  );
  const stable = (outcomes: RuleOutcome[]) => outcomes.filter((o) => o.ruleId !== 'Fixture.Counter');
  const expected = stable(await engine.evaluate(TENANT_A, events));
  const before = engine.stats();
  const encoded = stable(await engine.evaluateEncoded(TENANT_A, Buffer.from(` ${JSON.stringify(events, null, 1)}\n`)));
  assert.ok(expected.some((o) => o.kind === 'match'), 'the check is not vacuous');
  assert.deepEqual(encoded, expected);
  assert.equal(engine.stats().batches - before.batches, Math.min(os.availableParallelism(), 2), 'spread over the lanes as evaluate');
  assert.deepEqual(await engine.evaluateEncoded(TENANT_A, Buffer.from('[]')), []);
});

test('evaluateEncoded refuses events of another tenant and bytes that are not an array of objects', async () => {
  const events = [fixtureEvent(TENANT_A, { action: 'match' }), fixtureEvent(TENANT_B, { action: 'match' })];
  await assert.rejects(engine.evaluateEncoded(TENANT_A, Buffer.from(JSON.stringify(events))), { code: 'INVALID_ARGUMENT', message: /event 1 belongs to tenant tenant-b/ });
  for (const bad of ['{"a":1}', '[1]', '[{},]', '[{}', '[{}] x', '[,{}]']) {
    await assert.rejects(engine.evaluateEncoded(TENANT_A, Buffer.from(bad)), { code: 'INVALID_ARGUMENT' }, bad);
  }
});

test("a tenant's code that forges the interpreter's 'event of another tenant' answer gets rule errors, not a refused batch", async () => {
  const forging = await DetectionEngine.create(await loadContent(fixtureDir('forged-mismatch')));
  try {
    const events = [fixtureEvent(TENANT_A, { n: 1 }), fixtureEvent(TENANT_A, { n: 2 })];
    // The first batch runs the rule, which patches the harness; the next answers are forged.
    await forging.evaluateEncoded(TENANT_A, Buffer.from(JSON.stringify(events)));
    const outcomes = await forging.evaluateEncoded(TENANT_A, Buffer.from(JSON.stringify(events)));
    assert.equal(outcomes.length, 2);
    assert.ok(outcomes.every((o) => o.kind === 'error' && o.ruleId === 'Fixture.ForgedMismatch'), JSON.stringify(outcomes));
  } finally {
    await forging.close();
  }
});
