import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CorrelationDetection, CorrelationItem } from './content.types';
import type { CorrelationSignal } from './correlation-match';
import { correlationJoinPaths, correlationMatchKeys } from './correlation-match-keys';

const schedule = { rateMinutes: 60, timeoutMinutes: 5 };
const item = (id: string, extra: Partial<CorrelationItem> = {}): CorrelationItem => ({ id, ruleId: `Rule.${id}`, minMatchCount: 1, absence: false, ...extra });
const at = (itemId: string, minute: number, fields: CorrelationSignal['fields'] = {}): CorrelationSignal => ({ itemId, atMs: minute * 60_000, fields, id: `${itemId}@${minute}` });
const RUN = 60 * 60_000;

const deleteWithoutQuery: CorrelationDetection = {
  kind: 'group',
  items: [item('Delete'), item('Query', { absence: true })],
  matchCriteria: { actor: [{ groupId: 'Delete', match: 'p_any_emails' }, { groupId: 'Query', match: 'user' }] },
  transitions: [],
  lookbackWindowMinutes: 60,
  eventEvaluationOrder: 'Chronological',
  schedule,
};

test('a group with an absence matches per join value: the one who deleted without a query, not the one who queried first', () => {
  const signals = [at('Query', 1, { user: 'homer' }), at('Delete', 5, { p_any_emails: ['homer', 'shared'] }), at('Delete', 7, { p_any_emails: ['marge'] })];
  const matches = correlationMatchKeys(deleteWithoutQuery, signals, RUN);
  // 'shared' is on Homer's delete only and no query carries it: a match of its own.
  assert.deepEqual(matches.map((m) => m.key), ['marge', 'shared']);
  assert.deepEqual(matches[0].signals.map((s) => s.id), ['Delete@7']);
  assert.deepEqual(correlationJoinPaths(deleteWithoutQuery), new Map([['Delete', ['p_any_emails']], ['Query', ['user']]]));
});

test('a sequence joined by its transition matches per value; a rule joined on nothing matches as a whole under the key ""', () => {
  const seq: CorrelationDetection = {
    kind: 'sequence',
    items: [item('Query'), item('Delete')],
    matchCriteria: {},
    transitions: [{ from: 'Query', to: 'Delete', withinTimeFrameMinutes: 10, match: { from: 'actor', to: 'actor' } }],
    lookbackWindowMinutes: 60,
    eventEvaluationOrder: 'Chronological',
    schedule,
  };
  const signals = [at('Query', 0, { actor: 'homer' }), at('Delete', 5, { actor: 'homer' }), at('Query', 10, { actor: 'marge' }), at('Delete', 40, { actor: 'marge' })];
  assert.deepEqual(correlationMatchKeys(seq, signals, RUN).map((m) => m.key), ['homer'], "Marge's delete came past the ten minutes");

  const unjoined: CorrelationDetection = { ...seq, transitions: [{ from: 'Query', to: 'Delete', withinTimeFrameMinutes: 10 }] };
  const whole = correlationMatchKeys(unjoined, signals, RUN);
  assert.deepEqual(whole.map((m) => [m.key, m.signals.length]), [['', 4]]);
  assert.deepEqual(correlationMatchKeys(unjoined, signals.slice(2, 3), RUN), []);
});
