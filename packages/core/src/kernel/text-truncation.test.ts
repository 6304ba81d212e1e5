import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { truncateUtf8, truncationMarker, utf8Bytes } from './text-truncation';

test('text that fits is returned as it is', () => {
  assert.equal(truncateUtf8('', 0), '');
  assert.equal(truncateUtf8('hello', 5), 'hello');
  assert.equal(truncateUtf8('é'.repeat(10), 20), 'é'.repeat(10), '20 bytes of two-byte characters fit exactly');
});

test('a cut value keeps its start, ends with the marker naming its size, and fits the limit', () => {
  const big = 'x'.repeat(52_428_800);
  const cut = truncateUtf8(big, 1000);
  assert.equal(utf8Bytes(cut), 1000);
  assert.ok(cut.endsWith('… [truncated, 52428800 bytes]'), cut.slice(-40));
  assert.ok(cut.startsWith('xxxx'));
  assert.equal(truncationMarker(7), '… [truncated, 7 bytes]');
});

test('bytes are counted in UTF-8 and no character is split', () => {
  // Four-byte characters (surrogate pairs in JavaScript): the cut lands between two of them.
  const emoji = '😀'.repeat(100);
  const cut = truncateUtf8(emoji, 50);
  const head = cut.slice(0, cut.indexOf('…'));
  assert.equal(head, '😀'.repeat(head.length / 2));
  assert.ok(utf8Bytes(cut) <= 50);
  assert.match(cut, /… \[truncated, 400 bytes\]$/);
  // Three-byte characters.
  const cjk = truncateUtf8('漢'.repeat(1000), 100);
  assert.ok(utf8Bytes(cjk) <= 100);
  assert.match(cjk, /^漢+… \[truncated, 3000 bytes\]$/);
});

test('a limit below the marker size cuts the start bare', () => {
  assert.equal(truncateUtf8('abcdefghij', 4), 'abcd');
  assert.equal(truncateUtf8('😀😀', 3), '');
});

test('for any text and limit: within the limit, a start of the text, whole characters', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 0, max: 400 }), (text, max) => {
      const out = truncateUtf8(text, max);
      assert.ok(utf8Bytes(out) <= max || out === text);
      if (utf8Bytes(text) <= max) return assert.equal(out, text);
      const i = out.indexOf('… [truncated, ');
      const head = i >= 0 ? out.slice(0, i) : out;
      assert.ok(text.startsWith(head));
      // Never half of a surrogate pair at the end of what was kept.
      const last = head.charCodeAt(head.length - 1);
      assert.ok(!(last >= 0xd800 && last <= 0xdbff && text.charCodeAt(head.length) >= 0xdc00 && text.charCodeAt(head.length) <= 0xdfff));
    }),
  );
});
