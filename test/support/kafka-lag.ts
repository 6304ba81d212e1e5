import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers } from './test-env';

/**
 * How many messages of `topics` the group has not committed yet, summed over
 * partitions: zero means everything published so far was fully handled. The
 * test waits on it instead of sleeping "long enough".
 */
export async function groupLag(prefix: string, groupId: string, topics: string[]): Promise<number> {
  const kafka = new Kafka({ clientId: 'caracal-test-lag', brokers: kafkaBrokers().split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    let lag = 0;
    const committed = await admin.fetchOffsets({ groupId: prefix + groupId, topics: topics.map((t) => prefix + t) });
    for (const t of committed) {
      const ends = await admin.fetchTopicOffsets(t.topic);
      for (const p of t.partitions) {
        const end = BigInt(ends.find((e) => e.partition === p.partition)!.high);
        const low = BigInt(ends.find((e) => e.partition === p.partition)!.low);
        const at = BigInt(p.offset) < 0n ? low : BigInt(p.offset);
        lag += Number(end - at);
      }
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}

/** Every message ever published to a topic, summed over its partitions. */
export async function topicMessageCount(prefix: string, topic: string): Promise<number> {
  const kafka = new Kafka({ clientId: 'caracal-test-count', brokers: kafkaBrokers().split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(prefix + topic);
    return ends.reduce((n, e) => n + Number(BigInt(e.high) - BigInt(e.low)), 0);
  } finally {
    await admin.disconnect();
  }
}
