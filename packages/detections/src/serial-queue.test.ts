import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { SerialQueue } from './serial-queue';

test('tasks run one at a time, in call order', async () => {
  const queue = new SerialQueue();
  const log: string[] = [];
  const task = (name: string, ms: number) => async () => {
    log.push(`start ${name}`);
    await sleep(ms);
    log.push(`end ${name}`);
    return name;
  };
  const results = await Promise.all([queue.run(task('a', 20)), queue.run(task('b', 1)), queue.run(task('c', 5))]);
  assert.deepEqual(results, ['a', 'b', 'c']);
  assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
});

test('a failing task rejects its caller only', async () => {
  const queue = new SerialQueue();
  const failing = queue.run(() => {
    throw new Error('first failed');
  });
  const next = queue.run(() => 'second ran');
  await assert.rejects(failing, /first failed/);
  assert.equal(await next, 'second ran');
});
