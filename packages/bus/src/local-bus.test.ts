import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger } from '@caracal/core';
import { LocalBus } from './local-bus';
import { until } from './test-support';

const logger = createLogger('silent');

test('sent messages survive a reopen; a group resumes after its committed offset', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-bus-'));
  const first = new LocalBus({ dir, logger });
  const p = await first.producer();
  await p.send('t', [{ key: 'a', value: '1' }, { key: 'a', value: '2' }]);
  const got: string[] = [];
  const c = first.consumer({ groupId: 'g', topics: ['t'] });
  await c.run(async (b) => {
    for (const m of b.messages) got.push(m.value.toString());
  });
  await until(() => got.length === 2);
  await first.close();

  const second = new LocalBus({ dir, logger });
  await (await second.producer()).send('t', [{ key: 'a', value: '3' }]);
  const later: string[] = [];
  const c2 = second.consumer({ groupId: 'g', topics: ['t'] });
  await c2.run(async (b) => {
    for (const m of b.messages) later.push(m.value.toString());
  });
  await until(() => later.length === 1);
  await second.close();
  assert.deepEqual(got, ['1', '2']);
  assert.deepEqual(later, ['3']);
});

test('a record cut short by a crash is dropped on reopen, the acknowledged ones kept', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-bus-'));
  const bus = new LocalBus({ dir, logger });
  await (await bus.producer()).send('t', [{ key: 'k', value: 'kept' }]);
  await bus.close();
  fs.appendFileSync(path.join(dir, 'topics', 't.log'), '{"k":"k","v":"cu');
  const reopened = new LocalBus({ dir, logger });
  const got: string[] = [];
  await reopened.consumer({ groupId: 'g', topics: ['t'] }).run(async (b) => {
    for (const m of b.messages) got.push(m.value.toString());
  });
  await (await reopened.producer()).send('t', [{ key: 'k', value: 'after' }]);
  await until(() => got.length === 2);
  await reopened.close();
  assert.deepEqual(got, ['kept', 'after']);
});

test('a failing handler gets the same batch again, and nothing is skipped', async () => {
  const bus = new LocalBus({ logger });
  await (await bus.producer()).send('t', [{ key: 'k', value: 'x' }]);
  let calls = 0;
  const seen: string[] = [];
  await bus.consumer({ groupId: 'g', topics: ['t'] }).run(async (b) => {
    calls++;
    if (calls === 1) throw new Error('writer down');
    for (const m of b.messages) seen.push(m.value.toString());
  });
  await until(() => seen.length === 1);
  await bus.close();
  assert.equal(calls, 2);
  assert.deepEqual(seen, ['x']);
});

test('stableBatches: a failed batch and a batch begun before a crash come back with the same end; headers survive a reopen', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-bus-'));
  const first = new LocalBus({ dir, logger });
  const p = await first.producer();
  await p.send('t', [0, 1].map((i) => ({ key: 'k', value: String(i), headers: { traceparent: `tp-${i}` } })));
  const deliveries: string[][] = [];
  let release!: () => void;
  const stuck = new Promise<void>((resolve) => (release = resolve));
  await first.consumer({ groupId: 'g', topics: ['t'], stableBatches: true }).run(async (b) => {
    deliveries.push(b.messages.map((m) => m.offset));
    if (deliveries.length === 1) {
      await p.send('t', [{ key: 'k', value: '2' }]);
      throw new Error('insert failed');
    }
    // The second attempt never finishes: the process dies here.
    await stuck;
  });
  await until(() => deliveries.length === 2);
  assert.deepEqual(deliveries, [['0', '1'], ['0', '1']], 'the retry is cut where the failed batch ended');

  // A second process on the same directory, as after a crash: the first never committed.
  const second = new LocalBus({ dir, logger });
  await (await second.producer()).send('t', [{ key: 'k', value: '3' }]);
  const replay: { offsets: string[]; headers: (string | undefined)[] }[] = [];
  await second.consumer({ groupId: 'g', topics: ['t'], stableBatches: true }).run(async (b) => {
    replay.push({ offsets: b.messages.map((m) => m.offset), headers: b.messages.map((m) => m.headers?.traceparent) });
  });
  await until(() => replay.flatMap((r) => r.offsets).length === 4);
  assert.deepEqual(replay[0], { offsets: ['0', '1'], headers: ['tp-0', 'tp-1'] });
  assert.deepEqual(replay.slice(1).flatMap((r) => r.offsets), ['2', '3']);
  release();
  await second.close();
  await first.close();
});

test('batchFill: messages sent one by one are handed over together once they hold minBytes', async () => {
  const bus = new LocalBus({ logger });
  const batches: string[][] = [];
  // A wait far longer than the test: only the byte count can let the batch go.
  await bus.consumer({ groupId: 'g', topics: ['t'], batchFill: { minBytes: 30, maxWaitMs: 600_000 } }).run(async (b) => {
    batches.push(b.messages.map((m) => m.value.toString()));
  });
  const p = await bus.producer();
  for (const v of ['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc']) await p.send('t', [{ key: 'k', value: v }]);
  await until(() => batches.length === 1);
  await bus.close();
  assert.deepEqual(batches, [['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc']]);
});

test('batchFill: a batch short of minBytes goes once its first message has waited maxWaitMs', async () => {
  const bus = new LocalBus({ logger });
  const handed: { values: string[]; waitedMs: number }[] = [];
  let sentAt = 0;
  await bus.consumer({ groupId: 'g', topics: ['t'], batchFill: { minBytes: 1024 * 1024, maxWaitMs: 150 } }).run(async (b) => {
    handed.push({ values: b.messages.map((m) => m.value.toString()), waitedMs: Date.now() - sentAt });
  });
  sentAt = Date.now();
  await (await bus.producer()).send('t', [{ key: 'k', value: 'one' }, { key: 'k', value: 'two' }]);
  await until(() => handed.length === 1);
  await bus.close();
  assert.deepEqual(handed[0].values, ['one', 'two']);
  assert.ok(handed[0].waitedMs >= 140, `handed over after ${handed[0].waitedMs} ms, before the wait was over`);
});

test('batchFill: a full batch (maxBatchMessages) does not wait', async () => {
  const bus = new LocalBus({ logger });
  const batches: number[] = [];
  await bus.consumer({ groupId: 'g', topics: ['t'], maxBatchMessages: 2, batchFill: { minBytes: 1024 * 1024, maxWaitMs: 600_000 } }).run(async (b) => {
    batches.push(b.messages.length);
  });
  await (await bus.producer()).send('t', [{ key: 'k', value: 'a' }, { key: 'k', value: 'b' }, { key: 'k', value: 'c' }, { key: 'k', value: 'd' }]);
  await until(() => batches.length === 2);
  await bus.close();
  assert.deepEqual(batches, [2, 2]);
});

test('a reopened log holds no message in memory; a group and a reader get the old ones from the file and the new from memory, in one batch', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-bus-'));
  // Values of many sizes and multi-byte text, so lines straddle the file reads.
  const value = (i: number) => `${i}:${'é'.repeat(i % 50)}${'x'.repeat((i * 37) % 9000)}`;
  const sent = (from: number, to: number) => Array.from({ length: to - from }, (_, j) => ({ key: `k${from + j}`, value: value(from + j), headers: (from + j) % 3 === 0 ? { traceparent: `tp-${from + j}` } : undefined }));
  const first = new LocalBus({ dir, logger });
  const p = await first.producer();
  for (let i = 0; i < 700; i += 100) await p.send('t', sent(i, i + 100));
  let committed = 0;
  await first.consumer({ groupId: 'g', topics: ['t'] }).run(async (b) => {
    committed += b.messages.length;
  });
  await until(() => committed === 700);
  await first.close();

  const second = new LocalBus({ dir, logger });
  assert.equal(second.topic('t').end, 700);
  assert.equal(second.topic('t').held, 0, 'nothing read into memory on reopen');
  await (await second.producer()).send('t', sent(700, 1000));
  const batches: { offset: string; key: string; value: string; tp?: string }[][] = [];
  await second.consumer({ groupId: 'late', topics: ['t'], maxBatchMessages: 1000 }).run(async (b) => {
    batches.push(b.messages.map((m) => ({ offset: m.offset, key: m.key!, value: m.value.toString(), tp: m.headers?.traceparent })));
  });
  const resumed: string[] = [];
  await second.consumer({ groupId: 'g', topics: ['t'] }).run(async (b) => {
    for (const m of b.messages) resumed.push(m.offset);
  });
  const read: string[] = [];
  const reader = second.reader('t');
  await reader.run((_partition, messages) => {
    for (const m of messages) read.push(m.value.toString());
  });
  await until(() => batches.flat().length === 1000 && resumed.length === 300 && read.length === 1000);
  await second.close();
  assert.equal(batches[0].length, 1000, 'one batch across the file and memory');
  const expected = sent(0, 1000).map((m, i) => ({ offset: String(i), key: m.key, value: m.value, tp: m.headers?.traceparent }));
  assert.deepEqual(batches.flat(), expected);
  assert.deepEqual(resumed, expected.slice(700).map((m) => m.offset), 'the committed group resumes where it was');
  assert.deepEqual(read, expected.map((m) => m.value));
});

test('messages trimmed from memory are still read from the file by a group that starts later', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-bus-'));
  const bus = new LocalBus({ dir, logger });
  const p = await bus.producer();
  for (let i = 0; i < 25_000; i += 1000) await p.send('t', Array.from({ length: 1000 }, (_, j) => ({ key: 'k', value: String(i + j) })));
  let done = 0;
  await bus.consumer({ groupId: 'fast', topics: ['t'] }).run(async (b) => {
    done += b.messages.length;
  });
  await until(() => done === 25_000);
  assert.ok(bus.topic('t').held < 25_000, `the log trimmed what every group had read (holds ${bus.topic('t').held})`);
  const late: number[] = [];
  await bus.consumer({ groupId: 'late', topics: ['t'] }).run(async (b) => {
    for (const m of b.messages) late.push(Number(m.value.toString()));
  });
  await until(() => late.length === 25_000);
  await bus.close();
  assert.deepEqual(late, Array.from({ length: 25_000 }, (_, i) => i));
});

test('a reopened log reads back a message longer than its read chunk, between short ones', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-bus-'));
  const first = new LocalBus({ dir, logger });
  // 3 MiB of value is 4 MiB of base64 on its line: four times the 1 MiB the log reads at once.
  const long = 'y'.repeat(3 * 1024 * 1024);
  await (await first.producer()).send('t', [{ key: 'k', value: 'short-0' }, { key: 'k', value: long }, { key: 'k', value: 'short-2' }]);
  await first.close();
  const second = new LocalBus({ dir, logger });
  assert.equal(second.topic('t').end, 3);
  const got: string[] = [];
  await second.consumer({ groupId: 'g', topics: ['t'] }).run(async (b) => {
    for (const m of b.messages) got.push(m.value.toString());
  });
  await until(() => got.length === 3);
  await second.close();
  assert.deepEqual(got, ['short-0', long, 'short-2']);
});
