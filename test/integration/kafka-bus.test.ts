import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@caracal/core';
import { ConsumedBatch, KafkaBus } from '@caracal/bus';
import { kafkaBrokers, uniqueName } from '../support/test-env';
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
