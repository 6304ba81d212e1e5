import { truncateUtf8 } from '@caracal/core';
import { type NormalizedEvent } from '@caracal/core/messages';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadContent } from './content-loader';
import type { ContentSet } from './content.types';
import { DetectionEngine } from './detection-engine';
import type { RuleOutcome, RuleOutcomeError, RuleOutcomeMatch } from './rule-outcome';
import { fixtureDir } from './test-support';

// The detection format's semantics as the streaming engine applies them; the
// same fixture's Tests check them in the test runner (rule-test-semantics.test.ts).
const TENANT = 'tenant-semantics';
let content: ContentSet;
let engine: DetectionEngine;

before(async () => {
  content = await loadContent(fixtureDir('format-semantics'));
  assert.deepEqual(content.errors.map((e) => e.message), []);
  engine = await DetectionEngine.create(content);
});

after(async () => {
  await engine.close();
});

function event(logType: string, fields: Record<string, unknown>): NormalizedEvent {
  return { p_log_type: logType, ...fields } as NormalizedEvent;
}

async function evaluateOne(fields: Record<string, unknown>, logType = 'Semantic.Log'): Promise<RuleOutcome> {
  const outcomes = await engine.evaluate(TENANT, [event(logType, fields)]);
  assert.equal(outcomes.length, 1, JSON.stringify(outcomes, null, 1));
  return outcomes[0];
}

async function match(fields: Record<string, unknown>, logType?: string): Promise<RuleOutcomeMatch> {
  const outcome = await evaluateOne(fields, logType);
  assert.equal(outcome.kind, 'match', JSON.stringify(outcome, null, 1));
  return outcome as RuleOutcomeMatch;
}

async function ruleError(fields: Record<string, unknown>, logType?: string): Promise<RuleOutcomeError> {
  const outcome = await evaluateOne(fields, logType);
  assert.equal(outcome.kind, 'error', JSON.stringify(outcome, null, 1));
  return outcome as RuleOutcomeError;
}

test('every event-object check of the fixture holds in streaming too', async () => {
  const rule = content.rules.find((r) => r.ruleId === 'Semantic.EventObject');
  assert.ok(rule);
  assert.equal(rule.tests.length, 7);
  for (const spec of rule.tests) {
    const outcomes = await engine.evaluate(TENANT, [spec.log as NormalizedEvent]);
    // A failed assert is a rule error whose traceback names the line.
    assert.deepEqual(
      outcomes.map((o) => [o.kind, o.ruleId, o.kind === 'error' ? o.traceback : '']),
      [['match', 'Semantic.EventObject', '']],
      spec.name,
    );
  }
});

test('udm follows the data model of the event log type: key, JSONPath and method values reach the alert', async () => {
  const fields = { clientIp: '198.51.100.2', sourceIPAddress: '192.0.2.5' };
  const other = await match({ ...fields, expectedIp: '198.51.100.2' }, 'Semantic.Other');
  assert.deepEqual(other.alertContext, { source_ip: '198.51.100.2' });
  const own = await match({ ...fields, expectedIp: '192.0.2.5' }, 'Semantic.Log');
  assert.deepEqual(own.alertContext, { source_ip: '192.0.2.5' });
});

test('without auxiliary functions: RuleID title, default dedup string, YAML values, default destinations', async () => {
  assert.deepEqual(await match({ action: 'no_aux' }), {
    kind: 'match',
    eventIndex: 0,
    ruleId: 'Semantic.NoAux',
    title: 'Semantic.NoAux',
    dedup: 'defaultDedupString:Semantic.NoAux',
    severity: 'CRITICAL',
    alertContext: {},
    description: 'YAML description of NoAux',
    reference: 'https://example.test/no-aux',
    runbook: 'YAML runbook of NoAux',
    destinations: null,
    auxErrors: [],
  } satisfies RuleOutcomeMatch);
});

test('text values are cut to 1000 bytes with a marker, severity is any case, [] destinations suppress', async () => {
  const outcome = await match({
    action: 'aux',
    title: 'T'.repeat(1500),
    dedup: 'D'.repeat(1001),
    severity: 'hIgH',
    alert_context: { k: 'v', nested: { list: [1, 2] } },
    description: 'd'.repeat(1200),
    reference: 'r'.repeat(1000),
    runbook: 'u'.repeat(5000),
    destinations: [],
  });
  assert.deepEqual(outcome, {
    kind: 'match',
    eventIndex: 0,
    ruleId: 'Semantic.AuxValues',
    title: truncateUtf8('T'.repeat(1500), 1000),
    // The dedup marker leaves the size out: values alike in their first kilobyte keep grouping.
    dedup: `${'D'.repeat(1000 - Buffer.byteLength('… [truncated]'))}… [truncated]`,
    severity: 'HIGH',
    alertContext: { k: 'v', nested: { list: [1, 2] } },
    description: truncateUtf8('d'.repeat(1200), 1000),
    reference: 'r'.repeat(1000),
    runbook: truncateUtf8('u'.repeat(5000), 1000),
    destinations: [],
    auxErrors: [],
  } satisfies RuleOutcomeMatch);
});

test('dedup defaults to the title, "DEFAULT" severity is the YAML one, destinations keep at most 10', async () => {
  const destinations = Array.from({ length: 12 }, (_, i) => `dest-${i + 1}`);
  const outcome = await match({ action: 'aux', title: 'custom title', severity: 'DeFaUlT', destinations });
  assert.equal(outcome.title, 'custom title');
  assert.equal(outcome.dedup, 'custom title');
  assert.equal(outcome.severity, 'MEDIUM');
  assert.deepEqual(outcome.destinations, destinations.slice(0, 10));
  assert.deepEqual(outcome.auxErrors, ['destinations: 12 given, kept the first 10']);

  const untitled = await match({ action: 'aux', destinations: ['pager'] });
  assert.equal(untitled.title, 'Aux values display', 'title() returned None: the DisplayName');
  assert.equal(untitled.dedup, 'Aux values display', 'title() exists: dedup is the title used');
  assert.equal(untitled.description, 'YAML description');
  assert.deepEqual(untitled.destinations, ['pager']);
  assert.deepEqual(untitled.auxErrors, []);
});

test('invalid auxiliary values are recorded and the defaults used', async () => {
  const outcome = await match({
    action: 'aux',
    title: 42,
    severity: 'SEVERE',
    alert_context: ['not', 'a', 'mapping'],
    description: 5,
    destinations: 'pager',
  });
  assert.equal(outcome.title, 'Aux values display');
  assert.equal(outcome.severity, 'MEDIUM');
  assert.deepEqual(outcome.alertContext, {});
  assert.equal(outcome.description, 'YAML description');
  assert.equal(outcome.destinations, null);
  assert.deepEqual(outcome.auxErrors, [
    'title: returned int, expected str',
    "severity: invalid value 'SEVERE'",
    'alert_context: returned ImmutableList, expected a mapping',
    'description: returned int, expected str',
    'destinations: returned str, expected a list',
  ]);
});

test('an alert context of exactly 200 KB is kept, one byte more is replaced by _error', async () => {
  const limit = 200 * 1024;
  const kept = await match({ action: 'aux', context_bytes: limit });
  assert.equal(JSON.stringify(kept.alertContext).length, limit);
  const replaced = await match({ action: 'aux', context_bytes: limit + 1 });
  assert.deepEqual(Object.keys(replaced.alertContext), ['_error']);
  assert.match(String(replaced.alertContext._error), /204801 bytes serialised, over the limit of 204800/);
  assert.deepEqual(replaced.auxErrors, [], 'an oversized context is not an error of the function');
});

test('an exception in one auxiliary function is recorded and only its value falls back', async () => {
  const working = {
    title: 'raising title',
    dedup: 'raising dedup',
    severity: 'CRITICAL',
    alertContext: { ok: true },
    description: 'raising description',
    reference: 'raising reference',
    runbook: 'raising runbook',
    destinations: ['pager'],
  };
  const fallbacks: Record<string, Record<string, unknown>> = {
    title: { title: 'Aux raises display' },
    dedup: { dedup: 'raising title' },
    severity: { severity: 'LOW' },
    alert_context: { alertContext: {} },
    description: { description: 'YAML description' },
    reference: { reference: 'https://example.test/yaml-reference' },
    runbook: { runbook: 'YAML runbook' },
    destinations: { destinations: null },
  };
  for (const [name, fallback] of Object.entries(fallbacks)) {
    const outcome = await match({ action: 'aux_raise', raise: name });
    const { kind, eventIndex, ruleId, auxErrors, ...values } = outcome;
    assert.deepEqual([kind, eventIndex, ruleId], ['match', 0, 'Semantic.AuxRaises']);
    assert.deepEqual(values, { ...working, ...fallback }, name);
    assert.deepEqual(auxErrors, [`${name}: RuntimeError: ${name} broke`], name);
  }
});

test('a rule returning anything but a bool is a rule error, truthy or not', async () => {
  for (const [value, type] of [
    [1, 'int'],
    ['yes', 'str'],
    [null, 'NoneType'],
    [[true], 'ImmutableList'],
  ] as const) {
    const error = await ruleError({ action: 'returns', value });
    assert.equal(error.ruleId, 'Semantic.RuleFailures');
    assert.equal(error.errorType, 'TypeError');
    assert.equal(error.message, `rule() returned ${type}, expected bool`);
  }
});

test('an exception in rule() is a rule error, not a match', async () => {
  const error = await ruleError({ action: 'raises' });
  assert.equal(error.errorType, 'ValueError');
  assert.equal(error.message, 'rule broke');
  assert.match(error.traceback, /rules\/rule_failures\.py", line 7, in rule/);
});

test('udm errors: a JSONPath matching several values is a bare Exception, as in Panther', async () => {
  const ambiguous = await ruleError({ action: 'ambiguous', resources: [{ arn: 'a' }, { arn: 'b' }] });
  assert.equal(ambiguous.errorType, 'Exception');
  assert.equal(ambiguous.message, 'JSONPath [$.resources.[*].arn] in DataModel [Semantic.Log.DataModel], matched multiple fields.');
});
