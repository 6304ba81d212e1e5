import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkMessages } from './message-chunks';

const msg = (key: string, size: number) => ({ key, value: 'x'.repeat(size) });

test('messages are split into ordered runs under the byte bound', () => {
  const messages = Array.from({ length: 10 }, (_, i) => msg(`k${i}`, 100));
  const chunks = chunkMessages(messages, 500);
  assert.deepEqual(chunks.flat(), messages, 'every message once, in order');
  assert.ok(chunks.length > 1);
  for (const c of chunks) {
    const bytes = c.reduce((n, m) => n + m.key.length + m.value.length + 64, 0);
    assert.ok(bytes <= 500, `chunk of ${bytes} bytes`);
  }
});

test('a message larger than the bound goes alone; an empty send has no chunk', () => {
  const chunks = chunkMessages([msg('a', 10), msg('big', 2000), msg('b', 10)], 500);
  assert.deepEqual(chunks.map((c) => c.map((m) => m.key)), [['a'], ['big'], ['b']]);
  assert.deepEqual(chunkMessages([], 500), []);
});
