import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CorrelationDetection, CorrelationItem } from './content.types';
import { correlationMatches, type CorrelationSignal } from './correlation-match';

const HOUR = 60;
const schedule = { rateMinutes: 60, timeoutMinutes: 5 };
const item = (id: string, extra: Partial<CorrelationItem> = {}): CorrelationItem => ({ id, ruleId: `Rule.${id}`, minMatchCount: 1, absence: false, ...extra });
// Minutes from a base, as the rules' tests write them.
const at = (itemId: string, minute: number, fields: CorrelationSignal['fields'] = {}): CorrelationSignal => ({ itemId, atMs: minute * 60_000, fields });

function group(items: CorrelationItem[], criteria: Record<string, string> | undefined, extra: Partial<CorrelationDetection> = {}): CorrelationDetection {
  return {
    kind: 'group',
    items,
    matchCriteria: criteria ? { key: Object.entries(criteria).map(([groupId, match]) => ({ groupId, match })) } : {},
    transitions: [],
    lookbackWindowMinutes: 30 * HOUR,
    eventEvaluationOrder: 'Chronological',
    schedule,
    ...extra,
  };
}

function sequence(items: CorrelationItem[], withinMinutes: number | undefined, on: string | undefined): CorrelationDetection {
  const transitions = items.slice(1).map((to, i) => ({
    from: items[i].id,
    to: to.id,
    ...(withinMinutes === undefined ? {} : { withinTimeFrameMinutes: withinMinutes }),
    ...(on === undefined ? {} : { match: { from: on, to: on } }),
  }));
  return { kind: 'sequence', items, matchCriteria: {}, transitions, lookbackWindowMinutes: 36 * HOUR, eventEvaluationOrder: 'Chronological', schedule };
}

test('group: every item with one shared value, read from each item\'s own field, in any order', () => {
  const d = group([item('Created'), item('Attached')], { Created: 'user', Attached: 'target.name' });
  assert.equal(correlationMatches(d, [at('Created', 0, { user: 'ann' }), at('Attached', 30, { 'target.name': 'ann' })]), true);
  assert.equal(correlationMatches(d, [at('Attached', 0, { 'target.name': 'ann' }), at('Created', 30, { user: 'ann' })]), true, 'order does not count in a group');
  assert.equal(correlationMatches(d, [at('Created', 0, { user: 'ann' }), at('Attached', 30, { 'target.name': 'bob' })]), false, 'two values');
  assert.equal(correlationMatches(d, [at('Created', 0, { user: 'ann' })]), false, 'an item without signals');
  assert.equal(correlationMatches(d, [at('Created', 0, { user: 'ann' }), at('Attached', 30, { other: 'ann' })]), false, 'a signal without the joined field joins nothing');
  assert.equal(correlationMatches(d, [at('Created', 0, { user: 'ann' }), at('Attached', 30, { 'target.name': ['bob', 'ann'] })]), true, 'a list field joins on any value it holds');
});

test('group: MinMatchCount of an item counts its signals of the shared value; the group\'s MinMatchCount, its items met', () => {
  const d = group([item('Failed', { minMatchCount: 3 }), item('Succeeded')], { Failed: 'ip', Succeeded: 'ip' });
  const fails = (ip: string, n: number) => Array.from({ length: n }, (_, i) => at('Failed', i, { ip }));
  assert.equal(correlationMatches(d, [...fails('1.1.1.1', 2), at('Succeeded', 5, { ip: '1.1.1.1' })]), false);
  assert.equal(correlationMatches(d, [...fails('1.1.1.1', 3), at('Succeeded', 5, { ip: '1.1.1.1' })]), true);
  assert.equal(correlationMatches(d, [...fails('1.1.1.1', 2), ...fails('2.2.2.2', 1), at('Succeeded', 5, { ip: '1.1.1.1' })]), false, 'signals of another value do not add up');
  const twoOfThree = group([item('A'), item('B'), item('C')], undefined, { minMatchCount: 2 });
  assert.equal(correlationMatches(twoOfThree, [at('A', 0), at('C', 1)]), true);
  assert.equal(correlationMatches(twoOfThree, [at('A', 0)]), false);
});

test('group: an absent item\'s signal of the shared value within the window stops the match, before or after', () => {
  const d = group([item('Redirect', { absence: true }), item('SignIn')], { Redirect: 'actor', SignIn: 'userName' });
  assert.equal(correlationMatches(d, [at('SignIn', 10, { userName: 'ann' })]), true);
  assert.equal(correlationMatches(d, [at('Redirect', 0, { actor: 'ann' }), at('SignIn', 10, { userName: 'ann' })]), false, 'before');
  assert.equal(correlationMatches(d, [at('SignIn', 10, { userName: 'ann' }), at('Redirect', 11, { actor: 'ann' })]), false, 'after');
  assert.equal(correlationMatches(d, [at('Redirect', 0, { actor: 'bob' }), at('SignIn', 10, { userName: 'ann' })]), true, 'another value');
  const unjoined = group([item('Quarantined', { absence: true }), item('Found')], undefined);
  assert.equal(correlationMatches(unjoined, [at('Quarantined', 0, { any: 'x' }), at('Found', 30, { any: 'y' })]), false, 'without MatchCriteria any signal of the absent item counts');
});

test('the lookback window ends at the newest signal: what came earlier than the window does not count', () => {
  const d = group([item('Login'), item('Change')], { Login: 'id', Change: 'id' });
  assert.equal(correlationMatches(d, [at('Login', 0, { id: 'a' }), at('Change', 30 * HOUR, { id: 'a' })]), true, 'at the window\'s edge');
  assert.equal(correlationMatches(d, [at('Login', 0, { id: 'a' }), at('Change', 30 * HOUR + 1, { id: 'a' })]), false, 'past it');
  assert.equal(correlationMatches(d, [at('Login', 0, { id: 'a' }), at('Change', 60, { id: 'a' })], 60 * HOUR), false, 'a run long after the signals');
});

test('sequence: in order, within the time frame, on one value', () => {
  const d = sequence([item('Created'), item('Deleted')], 12 * HOUR, 'target');
  const created = at('Created', 0, { target: 'svc' });
  assert.equal(correlationMatches(d, [created, at('Deleted', 11 * HOUR, { target: 'svc' })]), true);
  assert.equal(correlationMatches(d, [created, at('Deleted', 13 * HOUR, { target: 'svc' })]), false, 'past the time frame');
  assert.equal(correlationMatches(d, [at('Deleted', 0, { target: 'svc' }), at('Created', 10, { target: 'svc' })]), false, 'out of order');
  assert.equal(correlationMatches(d, [created, at('Deleted', 60, { target: 'other' })]), false, 'another value');
  assert.equal(correlationMatches(d, [created]), false);
  const noJoin = sequence([item('A'), item('B')], undefined, undefined);
  assert.equal(correlationMatches(noJoin, [at('A', 0, { x: '1' }), at('B', 5, { x: '2' })]), true, 'no Match: order and time only');
});

test('sequence: a step needing several signals is reached by the signal that completes its count', () => {
  const d = sequence([item('Failed', { minMatchCount: 3 }), item('Succeeded')], 30, 'ip');
  const fail = (m: number) => at('Failed', m, { ip: 'x' });
  assert.equal(correlationMatches(d, [fail(0), fail(10), fail(40), at('Succeeded', 65, { ip: 'x' })]), true, '30 minutes from the third failure');
  assert.equal(correlationMatches(d, [fail(0), fail(10), fail(40), at('Succeeded', 75, { ip: 'x' })]), false);
});

test('sequence: an absent last step is "not followed by" within its time frame; an absent first step, "not preceded by"', () => {
  const notFollowed = sequence([item('Changed'), item('Archived', { absence: true })], 60, 'repo');
  assert.equal(correlationMatches(notFollowed, [at('Changed', 0, { repo: 'r' })]), true);
  assert.equal(correlationMatches(notFollowed, [at('Changed', 0, { repo: 'r' }), at('Archived', 30, { repo: 'r' })]), false);
  assert.equal(correlationMatches(notFollowed, [at('Changed', 0, { repo: 'r' }), at('Archived', 90, { repo: 'r' })]), true, 'later than the time frame');
  assert.equal(correlationMatches(notFollowed, [at('Archived', 0, { repo: 'r' }), at('Changed', 5, { repo: 'r' })]), true, 'before is not after');
  assert.equal(correlationMatches(notFollowed, [at('Changed', 0, { repo: 'r' }), at('Archived', 30, { repo: 'q' })]), true, 'another repository');

  const notPreceded = sequence([item('Redirect', { absence: true }), item('SignIn')], 60, 'user');
  assert.equal(correlationMatches(notPreceded, [at('SignIn', 100, { user: 'u' })]), true);
  assert.equal(correlationMatches(notPreceded, [at('Redirect', 50, { user: 'u' }), at('SignIn', 100, { user: 'u' })]), false);
  assert.equal(correlationMatches(notPreceded, [at('Redirect', 10, { user: 'u' }), at('SignIn', 100, { user: 'u' })]), true, 'earlier than the time frame');
  assert.equal(correlationMatches(notPreceded, [at('Redirect', 50, { user: 'v' }), at('SignIn', 100, { user: 'u' })]), true, 'another user');
  assert.equal(
    correlationMatches(notPreceded, [at('Redirect', 50, { user: 'u' }), at('SignIn', 100, { user: 'u' }), at('SignIn', 101, { user: 'w' })]),
    true,
    'one user\'s sign-in was preceded, another\'s was not',
  );
});
