import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameDecoder, MAX_FRAME_BYTES, encodeFrame } from './frame-codec';

test('frames split anywhere across chunks decode to the messages, in order', () => {
  const messages = [{ kind: 'a', n: 1 }, { kind: 'b', text: 'é'.repeat(1000) }, { kind: 'c' }];
  const bytes = Buffer.concat(messages.map(encodeFrame));
  for (const step of [1, 3, 7, 1000, bytes.length]) {
    const decoder = new FrameDecoder();
    const out: unknown[] = [];
    for (let i = 0; i < bytes.length; i += step) out.push(...decoder.push(bytes.subarray(i, i + step)));
    assert.deepEqual(out, messages, `chunks of ${step} bytes`);
  }
});

test('a frame that announces more than the limit is refused, not buffered', () => {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(MAX_FRAME_BYTES + 1, 0);
  assert.throws(() => new FrameDecoder().push(header), /over the limit/);
});
