import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createProgress } from './progress-line';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (d: Buffer) => (out += d.toString()));
  return { stream, text: () => out };
}

test('disabled, it writes nothing at all', () => {
  const { stream, text } = capture();
  const progress = createProgress(stream, false);
  progress.update('1 event');
  progress.done('done');
  assert.equal(text(), '');
});

test('enabled, it redraws one line at most every 100 ms; done() wipes it, done(text) keeps a last text', () => {
  const { stream, text } = capture();
  let now = 1000;
  const progress = createProgress(stream, true, () => now);
  progress.update('a');
  progress.update('b');
  now += 50;
  progress.update('c');
  assert.equal(text(), '\r\x1b[2Ka');
  now += 60;
  progress.update('d');
  progress.update('e');
  progress.done();
  assert.equal(text(), '\r\x1b[2Ka\r\x1b[2Kd\r\x1b[2K');
  progress.update('late');
  assert.equal(text(), '\r\x1b[2Ka\r\x1b[2Kd\r\x1b[2K');
  const kept = capture();
  const tally = createProgress(kept.stream, true, () => now);
  tally.update('1 event');
  tally.done('300 events sent');
  assert.equal(kept.text(), '\r\x1b[2K1 event\r\x1b[2K300 events sent\n');
});

test('done with nothing ever shown leaves no empty line', () => {
  const { stream, text } = capture();
  createProgress(stream, true).done();
  assert.equal(text(), '');
});
