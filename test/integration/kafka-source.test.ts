import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaBus, Topics } from '@caracal/bus';
import { createLogger } from '@caracal/core';
import { kafkaSourceGroupId } from '@caracal/ingest';
import { GroupOffsets } from '../support/group-offsets';
import { githubEvents, PullSourceStack } from '../support/pull-source-stack';
import { kafkaBrokers, uniqueName } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// A Kafka source in kafka mode: a customer's topic (here on the test broker,
// outside Caracal's topic prefix) read in the group caracal-source-<id>,
// through the same ingest path and lake; a message that is no JSON is a
// rejection and the rest go on; offsets resume after a restart.
let stack: PullSourceStack;
let customer: KafkaBus;
let offsets: GroupOffsets;
let logs: GroupOffsets;

before(async () => {
  stack = await PullSourceStack.start('kafka-source');
  // The customer's own cluster as its producers see it: no prefix of Caracal's.
  customer = new KafkaBus({ brokers: kafkaBrokers().split(','), clientId: 'customer-producer', topicPrefix: '', topicPartitions: 1, requestTimeoutMs: 30_000, logger: createLogger('warn') });
  offsets = new GroupOffsets(kafkaBrokers(), '');
  logs = new GroupOffsets(kafkaBrokers(), stack.prefix);
});

after(async () => {
  await offsets?.close();
  await logs?.close();
  await customer?.close();
  await stack?.close();
});

async function produce(topic: string, values: string[]): Promise<void> {
  const producer = await customer.producer();
  try {
    await producer.send(
      topic,
      values.map((value, i) => ({ key: `k${i}`, value })),
    );
  } finally {
    await producer.disconnect();
  }
}

test('messages of a customer topic arrive in the lake; a bad message is a rejection and the rest go on; offsets resume after a restart', async () => {
  const topic = `${uniqueName('customer')}github-audit`;
  await customer.ensureTopics([topic]);
  const [one, two, three, four, five] = githubEvents('kafka', 5).map((e) => JSON.stringify(e));
  await produce(topic, [one, `${two}\n${three}`, 'this is no JSON', `[${four},{"@timestamp":1}]`]);
  const created = await stack.client.createSource({
    sourceId: 'gh-stream',
    logType: 'GitHub.Audit',
    transport: 'SOURCE_TRANSPORT_KAFKA',
    kafka: { brokers: kafkaBrokers().split(','), topic },
  });
  const sourceId = created.source!.sourceId;
  assert.equal(created.secret, '');
  assert.deepEqual(created.source?.kafka?.brokers, kafkaBrokers().split(','));
  const group = kafkaSourceGroupId(sourceId);
  assert.equal(group, `caracal-source-${sourceId}`);

  await waitFor('4 events in the lake', async () => ((await stack.lakeRows(sourceId)).rows >= 4 ? true : undefined));
  const rejections = await waitFor('2 rejections', async () => {
    const rows = await stack.rejections(sourceId);
    return rows.length >= 2 ? rows : undefined;
  });
  assert.deepEqual(
    rejections.map((r) => [r.request_id, r.event_index]),
    [
      [`kafka://${topic}/0/2`, -1],
      [`kafka://${topic}/0/3`, 1],
    ],
  );
  assert.match(rejections[0].problems, /the message is not JSON, a JSON array or NDJSON/);
  await waitFor('the group committed past every message', async () => {
    const p = await offsets.progress(group, [topic]);
    return p.committed === 4 && p.lag === 0 ? true : undefined;
  });
  const logsTopic = Topics.logs('GitHub.Audit');
  assert.equal(await logs.published(logsTopic), 4);

  // Stopped, more messages arrive; the restarted reader takes up at its committed offsets.
  await stack.stop();
  await produce(topic, [five]);
  await stack.restart();
  await waitFor('the fifth event in the lake', async () => ((await stack.lakeRows(sourceId)).rows >= 5 ? true : undefined));
  assert.deepEqual(await stack.lakeRows(sourceId), { rows: 5, ids: 5 });
  assert.equal(await logs.published(logsTopic), 5, 'nothing before the committed offset was read again');
  await waitFor('the group committed the new message', async () => ((await offsets.progress(group, [topic])).committed === 5 ? true : undefined));
  const listed = (await stack.client.listSources()).find((s) => s.sourceId === sourceId);
  assert.equal(listed?.transport, 'SOURCE_TRANSPORT_KAFKA');
  assert.equal(listed?.kafka?.topic, topic);
});

test('a Kafka source that is deleted stops being read', async () => {
  const topic = `${uniqueName('customer')}deleted`;
  await customer.ensureTopics([topic]);
  const created = await stack.client.createSource({ sourceId: 'gone', logType: 'GitHub.Audit', transport: 'SOURCE_TRANSPORT_KAFKA', kafka: { brokers: kafkaBrokers().split(','), topic } });
  const sourceId = created.source!.sourceId;
  const group = kafkaSourceGroupId(sourceId);
  await produce(topic, githubEvents('before-delete', 1).map((e) => JSON.stringify(e)));
  await waitFor('the first event', async () => ((await stack.lakeRows(sourceId)).rows >= 1 ? true : undefined));
  await stack.client.deleteSource(sourceId);
  // Once the reader has left, its group has no member.
  const admin = new Kafka({ clientId: 'caracal-test-groups', brokers: kafkaBrokers().split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await waitFor('the reader left its group', async () => ((await admin.describeGroups([group])).groups[0]?.state === 'Empty' ? true : undefined));
  } finally {
    await admin.disconnect();
  }
  await produce(topic, githubEvents('after-delete', 1).map((e) => JSON.stringify(e)));
  // The next message of the topic stays unread: the group's lag stays at one while later syncs pass.
  const marker = `${uniqueName('customer')}marker`;
  await customer.ensureTopics([marker]);
  const other = await stack.client.createSource({ sourceId: 'marker', logType: 'GitHub.Audit', transport: 'SOURCE_TRANSPORT_KAFKA', kafka: { brokers: kafkaBrokers().split(','), topic: marker } });
  await produce(marker, githubEvents('marker', 1).map((e) => JSON.stringify(e)));
  await waitFor('a source created after the delete was picked up and read', async () => ((await stack.lakeRows(other.source!.sourceId)).rows >= 1 ? true : undefined));
  assert.deepEqual(await offsets.progress(group, [topic]), { committed: 1, lag: 1 });
  assert.equal((await stack.lakeRows(sourceId)).rows, 1);
});
