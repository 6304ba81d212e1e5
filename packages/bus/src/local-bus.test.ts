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
