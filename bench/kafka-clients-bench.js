// kafkajs (the product's client) against @platformatic/kafka on the same
// workload, each run in a child process of its own (so its RSS is its own):
// produce N normalized Panther.Audit events (~1 KiB, keyed by one of 20
// tenants) in sends of B messages, one send in flight, idempotent producer,
// acks=all, as the bus adapter does; then consume them back from the
// beginning in a new consumer group, committing by hand after every B
// messages. Each run has a new topic of P partitions; the clients alternate
// which goes first.
// Usage: npm run bench -- kafka-clients [--messages N] [--batch N] [--partitions N] [--runs N] [--brokers host:port]
'use strict';
const { execFileSync } = require('node:child_process');
const { Kafka, logLevel } = require('kafkajs');
// As the bus adapter runs it: with its fix of kafkajs' idle 1 ms poll per connection.
require('../packages/bus/dist').fixKafkajsRequestQueue();
const { percentile } = require('./bench-options');
const { benchBroker, benchOptions, machineLine } = require('./pipeline-processes');
const { auditEvents } = require('./audit-event-generator');

const CLIENTS = ['kafkajs', '@platformatic/kafka'];
const TENANTS = 20;
const MAX_BYTES_PER_PARTITION = 1024 * 1024; // the bus adapter's fetch size

function workload(count) {
  const perTenant = Math.ceil(count / TENANTS);
  const byTenant = Array.from({ length: TENANTS }, (_, t) =>
    auditEvents(perTenant, { tenantId: `tenant-${t}`, seed: 300 + t }).map((e) => ({ key: Buffer.from(e.p_tenant_id), value: Buffer.from(JSON.stringify(e)) })),
  );
  // Tenants interleaved, as their requests reach an ingest.
  const messages = [];
  for (let i = 0; messages.length < count; i++) messages.push(byTenant[i % TENANTS][Math.floor(i / TENANTS)]);
  return messages;
}

/** Peak RSS, sampled: process.memoryUsage().rss every 50 ms. */
function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

const kafkajsClient = {
  async produce({ brokers, topic, messages, batch }) {
    const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: [brokers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    const latencies = [];
    const t0 = performance.now();
    for (let i = 0; i < messages.length; i += batch) {
      const t = performance.now();
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + batch) });
      latencies.push(performance.now() - t);
    }
    const seconds = (performance.now() - t0) / 1000;
    await producer.disconnect();
    return { seconds, latencies };
  },

  async consume({ brokers, topic, count, batch, groupId }) {
    const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: [brokers], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxBytesPerPartition: MAX_BYTES_PER_PARTITION, maxWaitTimeInMs: 1000 });
    const t0 = performance.now();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let received = 0;
    let bytes = 0;
    let first;
    let finish;
    const done = new Promise((resolve) => (finish = resolve));
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch: b, resolveOffset, heartbeat }) => {
        first ??= performance.now();
        for (let i = 0; i < b.messages.length; i += batch) {
          const slice = b.messages.slice(i, i + batch);
          for (const m of slice) bytes += m.value.length;
          received += slice.length;
          const last = slice[slice.length - 1].offset;
          resolveOffset(last);
          await consumer.commitOffsets([{ topic: b.topic, partition: b.partition, offset: (BigInt(last) + 1n).toString() }]);
          await heartbeat();
        }
        if (received >= count) finish(performance.now());
      },
    });
    const end = await done;
    await consumer.disconnect();
    return { seconds: (end - first) / 1000, toFirstSeconds: (first - t0) / 1000, received, bytes };
  },
};

const platformaticClient = {
  async produce({ brokers, topic, messages, batch }) {
    const { Producer, ProduceAcks, compatibilityPartitioner } = require('@platformatic/kafka');
    // The Java client's partitioner, as kafkajs' default is: the same tenant lands on the same partition.
    const producer = new Producer({ clientId: 'bench-platformatic', bootstrapBrokers: [brokers], idempotent: true, acks: ProduceAcks.ALL, partitioner: compatibilityPartitioner, autocreateTopics: false });
    const latencies = [];
    const t0 = performance.now();
    for (let i = 0; i < messages.length; i += batch) {
      const t = performance.now();
      await producer.send({ messages: messages.slice(i, i + batch).map((m) => ({ topic, key: m.key, value: m.value })) });
      latencies.push(performance.now() - t);
    }
    const seconds = (performance.now() - t0) / 1000;
    await producer.close();
    return { seconds, latencies };
  },

  async consume({ brokers, topic, count, batch, groupId }) {
    const { Consumer, MessagesStreamModes } = require('@platformatic/kafka');
    const t0 = performance.now();
    const consumer = new Consumer({ groupId, clientId: 'bench-platformatic', bootstrapBrokers: [brokers], maxBytesPerPartition: MAX_BYTES_PER_PARTITION, maxWaitTime: 1000, autocommit: false });
    const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false });
    let received = 0;
    let bytes = 0;
    let first;
    const lastOf = new Map();
    const commit = async () => {
      const pending = [...lastOf.values()];
      lastOf.clear();
      // message.commit() commits the offset after the message, for its partition.
      await Promise.all(pending.map((m) => m.commit()));
    };
    for await (const m of stream) {
      first ??= performance.now();
      received++;
      bytes += m.value.length;
      lastOf.set(m.partition, m);
      if (received % batch === 0 || received >= count) await commit();
      if (received >= count) break;
    }
    const end = performance.now();
    await stream.close();
    await consumer.close();
    return { seconds: (end - first) / 1000, toFirstSeconds: (first - t0) / 1000, received, bytes };
  },
};

/** One client's produce and consume, in this (child) process. */
async function child(cfg) {
  const client = cfg.client === 'kafkajs' ? kafkajsClient : platformaticClient;
  const messages = workload(cfg.messages);
  const bytes = messages.reduce((n, m) => n + m.value.length, 0);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const peakRss = rssSampler();
  const produced = await client.produce({ ...cfg, messages });
  const rssAfterProduce = process.memoryUsage().rss;
  const consumed = await client.consume({ ...cfg, count: messages.length });
  if (consumed.received !== messages.length) throw new Error(`${cfg.client}: consumed ${consumed.received} of ${messages.length}`);
  const lat = [...produced.latencies].sort((a, b) => a - b);
  return {
    client: cfg.client,
    bytes,
    produce: { seconds: produced.seconds, p50: percentile(lat, 50), p99: percentile(lat, 99) },
    consume: consumed,
    rssBefore,
    rssAfterProduce,
    peakRss: peakRss(),
  };
}

async function createTopic(brokers, topic, partitions) {
  const kafka = new Kafka({ clientId: 'bench-kafka-clients-admin', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, replicationFactor: -1 }] });
  } finally {
    await admin.disconnect();
  }
}

async function main(argv) {
  const opts = benchOptions(argv, { messages: 50_000, batch: 500, partitions: 4, runs: 3 });
  const wall = performance.now();
  const broker = benchBroker(opts.brokers);
  try {
    const results = [];
    for (let run = 0; run < opts.runs; run++) {
      const order = run % 2 === 0 ? CLIENTS : [...CLIENTS].reverse();
      for (const client of order) {
        const topic = `bench-kafka-clients-${process.pid}-${run}-${client.replace(/\W/g, '')}`;
        await createTopic(broker.brokers, topic, opts.partitions);
        const cfg = { client, brokers: broker.brokers, topic, groupId: `${topic}-group`, messages: opts.messages, batch: opts.batch };
        const out = execFileSync(process.execPath, ['--expose-gc', __filename, '--child', JSON.stringify(cfg)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
        results.push({ run: run + 1, ...JSON.parse(out.trim().split('\n').pop()) });
      }
    }
    const mib = results[0].bytes / 1048576;
    console.log(`\n### kafka-clients: kafkajs vs @platformatic/kafka — ${new Date().toISOString().slice(0, 10)}\n`);
    console.log(`command: npm run bench -- kafka-clients ${argv.join(' ')}`.trimEnd());
    console.log(machineLine());
    console.log(`broker: ${broker.started ? `bench broker ${broker.brokers} (scripts/kafka.sh, fresh)` : broker.brokers}; kafkajs ${require('kafkajs/package.json').version}, @platformatic/kafka ${require('@platformatic/kafka').clientSoftwareVersion}`);
    console.log(`workload: ${opts.messages} normalized Panther.Audit events (${Math.round(results[0].bytes / opts.messages)} B each, ${mib.toFixed(1)} MiB), keys: ${TENANTS} tenants, a new topic of ${opts.partitions} partitions per run; produce: sends of ${opts.batch}, one in flight, idempotent, acks=all; consume: a new group from the beginning, commit by hand every ${opts.batch} messages, fetch 1 MiB per partition; each run a child process\n`);
    console.log('| run | client | produce msg/s | produce MiB/s | send p50 ms | send p99 ms | consume msg/s | consume MiB/s | join to first message s | RSS before the client MiB | RSS after produce MiB | peak RSS MiB |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of results) {
      console.log(
        `| ${r.run} | ${r.client} | ${Math.round(opts.messages / r.produce.seconds)} | ${(mib / r.produce.seconds).toFixed(1)} | ${r.produce.p50.toFixed(1)} | ${r.produce.p99.toFixed(1)} | ` +
          `${Math.round(opts.messages / r.consume.seconds)} | ${(mib / r.consume.seconds).toFixed(1)} | ${r.consume.toFirstSeconds.toFixed(2)} | ${Math.round(r.rssBefore / 1048576)} | ${Math.round(r.rssAfterProduce / 1048576)} | ${Math.round(r.peakRss / 1048576)} |`,
      );
    }
    console.log('\nmedians over the runs:\n');
    console.log('| client | produce msg/s | send p50 ms | send p99 ms | consume msg/s | peak RSS minus RSS before, MiB |');
    console.log('|---|---|---|---|---|---|');
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    for (const client of CLIENTS) {
      const rs = results.filter((r) => r.client === client);
      console.log(
        `| ${client} | ${Math.round(median(rs.map((r) => opts.messages / r.produce.seconds)))} | ${median(rs.map((r) => r.produce.p50)).toFixed(1)} | ${median(rs.map((r) => r.produce.p99)).toFixed(1)} | ` +
          `${Math.round(median(rs.map((r) => opts.messages / r.consume.seconds)))} | ${Math.round(median(rs.map((r) => (r.peakRss - r.rssBefore) / 1048576)))} |`,
      );
    }
    console.log(`\nbench wall time ${((performance.now() - wall) / 1000).toFixed(0)} s`);
  } finally {
    broker.stop();
  }
}

module.exports = { main };

if (require.main === module && process.argv[2] === '--child') {
  child(JSON.parse(process.argv[3])).then(
    // Exits at once: a client's lingering sockets or timers must not hold the parent.
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`, () => process.exit(0)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
