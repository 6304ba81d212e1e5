import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@caracal/core';
import { KafkaJSNonRetriableError } from 'kafkajs';
import { ConsumedBatch, KafkaBus } from '@caracal/bus';
import { freePort, kafkaBrokers, uniqueName } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// Against the real broker that `npm test` starts; every test has its own topics and groups.
const logger = createLogger('warn', 'kafka-bus-test');
const buses: KafkaBus[] = [];

function bus(prefix: string): KafkaBus {
  const b = new KafkaBus({ brokers: kafkaBrokers().split(','), clientId: 'caracal-test', topicPrefix: prefix, topicPartitions: 3, requestTimeoutMs: 30_000, logger });
  buses.push(b);
  return b;
}

after(async () => {
  await Promise.all(buses.map((b) => b.close()));
});

test('a send resolves after the broker acknowledged; a consumer gets every message once, keyed', async () => {
  const prefix = uniqueName('bus-basic');
  const b = bus(prefix);
  await b.ensureTopics(['events']);
  const producer = await b.producer();
  const sent = Array.from({ length: 50 }, (_, i) => ({ key: `tenant-${i % 5}`, value: JSON.stringify({ i }) }));
  await producer.send('events', sent);
  const seen: number[] = [];
  const consumer = b.consumer({ groupId: 'g', topics: ['events'] });
  await consumer.run(async (batch) => {
    assert.equal(batch.topic, 'events', 'the prefix stays inside the adapter');
    for (const m of batch.messages) seen.push((JSON.parse(m.value.toString()) as { i: number }).i);
  });
  await waitFor('all 50 messages', async () => (seen.length >= 50 ? true : undefined));
  await consumer.stop();
  assert.deepEqual([...seen].sort((a, b) => a - b), sent.map((_, i) => i));
});

test('a failed batch is delivered again; offsets are committed only after success', async () => {
  const prefix = uniqueName('bus-retry');
  const b = bus(prefix);
  await b.ensureTopics(['events']);
  const producer = await b.producer();
  await producer.send('events', [{ key: 'k', value: 'one' }]);
  let attempts = 0;
  const consumer = b.consumer({ groupId: 'g', topics: ['events'] });
  await consumer.run(async (batch: ConsumedBatch) => {
    attempts++;
    if (attempts === 1) throw new Error('downstream not ready');
    assert.equal(batch.messages[0].value.toString(), 'one');
  });
  await waitFor('the redelivery', async () => (attempts >= 2 ? true : undefined));
  await consumer.stop();

  // A new consumer of the same group starts after the committed message.
  await producer.send('events', [{ key: 'k', value: 'two' }]);
  const after: string[] = [];
  const second = b.consumer({ groupId: 'g', topics: ['events'] });
  await second.run(async (batch) => {
    for (const m of batch.messages) after.push(m.value.toString());
  });
  await waitFor('the second message', async () => (after.includes('two') ? true : undefined));
  await second.stop();
  assert.deepEqual(after, ['two']);
});

/**
 * The batch a handler failed on is handed out again; `offsets` of every
 * delivery are returned. Meanwhile more messages arrived, which a plain
 * consumer folds into the redelivered batch.
 */
async function redeliveryAfterGrowth(stableBatches: boolean): Promise<string[][]> {
  const prefix = uniqueName(stableBatches ? 'bus-stable' : 'bus-unstable');
  const b = bus(prefix);
  await b.ensureTopics(['events']);
  const producer = await b.producer();
  // One key: every message in one partition, so the deliveries are comparable.
  await producer.send('events', ['a', 'b', 'c'].map((value) => ({ key: 'k', value })));
  const deliveries: string[][] = [];
  const consumer = b.consumer({ groupId: 'g', topics: ['events'], maxBatchMessages: 100, stableBatches });
  await consumer.run(async (batch) => {
    deliveries.push(batch.messages.map((m) => m.offset));
    if (deliveries.length === 1) {
      await producer.send('events', ['d', 'e', 'f', 'g', 'h'].map((value) => ({ key: 'k', value })));
      throw new Error('insert failed after the broker took more messages');
    }
  });
  await waitFor('all 8 messages handled after the failure', async () => (deliveries.slice(1).flat().length >= 8 ? true : undefined), 60_000);
  await consumer.stop();
  return deliveries;
}

test('with stableBatches a batch handed out again has the same messages, however many arrived since', async () => {
  const stable = await redeliveryAfterGrowth(true);
  assert.deepEqual(stable[0], ['0', '1', '2']);
  assert.deepEqual(stable[1], ['0', '1', '2'], 'the redelivery is cut where the failed batch ended');
  assert.deepEqual(stable.slice(2).flat(), ['3', '4', '5', '6', '7']);

  // The control: without the option the redelivery takes in what arrived since,
  // so a per-batch insert token would differ from the first attempt's.
  const plain = await redeliveryAfterGrowth(false);
  assert.deepEqual(plain[0], ['0', '1', '2']);
  assert.deepEqual(plain[1], ['0', '1', '2', '3', '4', '5', '6', '7']);
});

test('a new consumer of the group replays the interrupted batch with its boundaries, and headers travel with messages', async () => {
  const prefix = uniqueName('bus-stable-restart');
  const first = bus(prefix);
  await first.ensureTopics(['events']);
  const producer = await first.producer();
  await producer.send('events', [0, 1, 2, 3].map((i) => ({ key: 'k', value: String(i), headers: { traceparent: `00-${'a'.repeat(31)}${i}-${'b'.repeat(16)}-01` } })));
  let seenHeaders: (string | undefined)[] = [];
  let release!: () => void;
  const stuck = new Promise<void>((resolve) => (release = resolve));
  const got = new Promise<string[]>((resolve) => {
    void first.consumer({ groupId: 'g', topics: ['events'], maxBatchMessages: 100, stableBatches: true }).run(async (batch) => {
      seenHeaders = batch.messages.map((m) => m.headers?.traceparent);
      resolve(batch.messages.map((m) => m.offset));
      // The process "dies" inside the handler: nothing after this point runs until the test releases it.
      await stuck;
      throw new Error('crashed');
    });
  });
  assert.deepEqual(await got, ['0', '1', '2', '3']);
  assert.deepEqual(seenHeaders, [0, 1, 2, 3].map((i) => `00-${'a'.repeat(31)}${i}-${'b'.repeat(16)}-01`));
  await producer.send('events', [4, 5, 6].map((i) => ({ key: 'k', value: String(i) })));

  // Another process of the group: it gets the partition only once the first
  // member leaves, which a crashed member does when its session expires; here it leaves on release.
  const second = bus(prefix);
  const deliveries: string[][] = [];
  await second.consumer({ groupId: 'g', topics: ['events'], maxBatchMessages: 100, stableBatches: true }).run(async (batch) => {
    deliveries.push(batch.messages.map((m) => m.offset));
  });
  release();
  await waitFor('the second member handled every message', async () => (deliveries.flat().length >= 7 ? true : undefined), 90_000);
  assert.deepEqual(deliveries[0], ['0', '1', '2', '3'], 'the replay ends where the interrupted batch ended');
  assert.deepEqual(deliveries.slice(1).flat(), ['4', '5', '6']);
});

test('ping answers for a live broker and fails in time, naming the address, for a closed port', async () => {
  await bus(uniqueName('bus-ping')).ping(5_000);
  const port = await freePort();
  const dead = new KafkaBus({ brokers: [`127.0.0.1:${port}`], clientId: 'caracal-test', topicPrefix: 'x-', topicPartitions: 1, requestTimeoutMs: 1_000, logger: createLogger('silent') });
  buses.push(dead);
  const started = Date.now();
  await assert.rejects(dead.ping(1_500), (err: Error) => err.message.includes(`127.0.0.1:${port}`));
  assert.ok(Date.now() - started < 5_000, 'a dead broker fails the ping within its bound, not after the client retries');
  // A consumer is running only between run() and stop().
  const consumer = bus(uniqueName('bus-running')).consumer({ groupId: 'g', topics: ['events'] });
  assert.equal(consumer.isRunning(), false);
});

test('a consumer that kafkajs gives up on is replaced by a new one in the group, which gets the batch again', async () => {
  const prefix = uniqueName('bus-revive');
  const b = bus(prefix);
  await b.ensureTopics(['events']);
  const producer = await b.producer();
  await producer.send('events', [{ key: 'k', value: 'one' }]);
  const seen: string[] = [];
  let running: boolean[] = [];
  const consumer = b.consumer({ groupId: 'g', topics: ['events'] });
  await consumer.run(async (batch) => {
    seen.push(...batch.messages.map((m) => m.value.toString()));
    if (seen.length === 1) {
      // An error kafkajs does not restart from, like a commit refused after the group moved on.
      throw new KafkaJSNonRetriableError('the group has moved on');
    }
  });
  await waitFor('the batch handled again by the new consumer', async () => (seen.length >= 2 ? true : undefined), 60_000);
  running = [consumer.isRunning()];
  await producer.send('events', [{ key: 'k', value: 'two' }]);
  await waitFor('the new consumer keeps consuming', async () => (seen.includes('two') ? true : undefined), 60_000);
  await consumer.stop();
  assert.deepEqual(seen, ['one', 'one', 'two']);
  assert.deepEqual(running, [true]);
});

test('batchFill: a batch short of minBytes is still handed over once the wait is over, every message once', async () => {
  const prefix = uniqueName('bus-fill');
  const b = bus(prefix);
  await b.ensureTopics(['events']);
  const producer = await b.producer();
  const seen: number[] = [];
  const consumer = b.consumer({ groupId: 'g', topics: ['events'], batchFill: { minBytes: 4 * 1024 * 1024, maxWaitMs: 300 } });
  await consumer.run(async (batch) => {
    for (const m of batch.messages) seen.push((JSON.parse(m.value.toString()) as { i: number }).i);
  });
  // A few bytes at a time, far below minBytes: only the wait can let them go.
  for (let i = 0; i < 5; i++) await producer.send('events', [{ key: 'tenant', value: JSON.stringify({ i }) }]);
  await waitFor('all 5 messages', async () => (seen.length >= 5 ? true : undefined));
  await consumer.stop();
  assert.deepEqual([...seen].sort((a, b) => a - b), [0, 1, 2, 3, 4]);
});

test('batchFill: a filling consumer gets several record batches of a partition in one batch, not one per fetch cap', async () => {
  const prefix = uniqueName('bus-fill-large');
  const b = bus(prefix);
  await b.ensureTopics(['events']);
  const producer = await b.producer();
  // Three sends of ~400 KiB to one partition: three record batches, 1.2 MiB together, more
  // than the 1 MiB a partition got per fetch before, so the first batch held one send.
  const padding = 'x'.repeat(1000);
  for (let send = 0; send < 3; send++) {
    await producer.send('events', Array.from({ length: 400 }, (_, i) => ({ key: 'tenant', value: JSON.stringify({ i: send * 400 + i, padding }) })));
  }
  const sizes: number[] = [];
  let seen = 0;
  const consumer = b.consumer({ groupId: 'g', topics: ['events'], maxBatchMessages: 10_000, batchFill: { minBytes: 4 * 1024 * 1024, maxWaitMs: 300 } });
  await consumer.run(async (batch) => {
    sizes.push(batch.messages.length);
    seen += batch.messages.length;
  });
  await waitFor('all 1200 messages', async () => (seen >= 1200 ? true : undefined));
  await consumer.stop();
  assert.equal(seen, 1200);
  assert.equal(sizes[0], 1200, `batches were ${sizes.join(', ')}`);
});

test('concurrentPartitions: batches of two partitions are in the handler at once, each partition still in order', async () => {
  const prefix = uniqueName('bus-concurrent');
  const b = bus(prefix);
  await b.ensureTopics(['events']);
  const producer = await b.producer();
  // Ten keys spread over the three partitions.
  await producer.send('events', Array.from({ length: 100 }, (_, i) => ({ key: `tenant-${i % 10}`, value: JSON.stringify({ i }) })));
  let inside = 0;
  let most = 0;
  let deadline: number | undefined;
  const byPartition = new Map<number, number[]>();
  let seen = 0;
  const consumer = b.consumer({ groupId: 'g', topics: ['events'], maxBatchMessages: 5, concurrentPartitions: 2 });
  await consumer.run(async (batch) => {
    inside++;
    most = Math.max(most, inside);
    try {
      // Held until another partition's batch is in too, or a deadline shared by all batches (so a
      // consumer without the option fails the assertion below instead of hanging).
      deadline ??= Date.now() + 10_000;
      while (most < 2 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      const list = byPartition.get(batch.partition) ?? [];
      for (const m of batch.messages) list.push((JSON.parse(m.value.toString()) as { i: number }).i);
      byPartition.set(batch.partition, list);
      seen += batch.messages.length;
    } finally {
      inside--;
    }
  });
  await waitFor('all 100 messages', async () => (seen >= 100 ? true : undefined));
  await consumer.stop();
  assert.equal(most, 2, 'two partitions handled at once');
  assert.ok(byPartition.size >= 2);
  for (const [partition, list] of byPartition) assert.deepEqual(list, [...list].sort((x, y) => x - y), `partition ${partition} in order`);
  assert.deepEqual([...byPartition.values()].flat().sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
});
