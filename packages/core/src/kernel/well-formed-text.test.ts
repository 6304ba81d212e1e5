import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isWellFormedText, MAX_REPAIR_DEPTH, repairLoneSurrogates, wellFormedText } from './well-formed-text';

test('lone surrogates in values and keys become U+FFFD; pairs are kept', () => {
  const event = { actionName: 'a\ud800b', actor: { ['k\udc00']: ['x', 'y\ud83d'] }, ok: '😀', n: 1, nothing: null };
  const { value, repaired } = repairLoneSurrogates(event);
  assert.deepEqual(value, { actionName: 'a\ufffdb', actor: { ['k\ufffd']: ['x', 'y\ufffd'] }, ok: '😀', n: 1, nothing: null });
  assert.equal(repaired, 3);
  assert.ok(!JSON.stringify(value).includes('\\ud'), 'nothing JSON would write as a surrogate escape');
  assert.equal(event.actionName, 'a\ud800b', 'the input is not changed');
});

test('a value with nothing to repair comes back as the same object', () => {
  const event = { a: ['x', { b: 'y' }], c: '😀' };
  const { value, repaired } = repairLoneSurrogates(event);
  assert.equal(value, event);
  assert.equal(repaired, 0);
});

test('a "__proto__" key stays a plain key of the copy', () => {
  const parsed = JSON.parse('{"__proto__": {"polluted": "x\\ud800"}, "a": 1}') as Record<string, unknown>;
  const { value } = repairLoneSurrogates(parsed);
  assert.deepEqual(Object.keys(value), ['__proto__', 'a']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
});

test('a value nested past the bound is refused as invalid input, not a stack overflow', () => {
  let deep: unknown = 'x';
  for (let i = 0; i <= MAX_REPAIR_DEPTH; i++) deep = [deep];
  assert.throws(() => repairLoneSurrogates(deep), (err: Error & { code?: string; retriable?: boolean }) => err.code === 'INVALID_ARGUMENT' && err.retriable === false);
});

test('the string helpers', () => {
  assert.equal(isWellFormedText('a\ud800'), false);
  assert.equal(isWellFormedText('😀'), true);
  assert.equal(wellFormedText('\udc00😀\ud83d'), '\ufffd😀\ufffd');
});
