// kafkajs (the product's client) against the candidates @platformatic/kafka
// and @confluentinc/kafka-javascript (librdkafka) on the same workload, each
// run in a child process of its own (so its RSS and CPU are its own):
// produce N normalized Panther.Audit events (~1 KiB, keyed by one of 20
// tenants) in sends of B messages, one send in flight, idempotent producer,
// acks=all, as the bus adapter does; then consume them back from the
// beginning in a new consumer group, committing by hand after every B
// messages. Each run has a new topic of P partitions; the clients take turns
// at going first. CPU per message is the measure that matters (the pipeline
// is CPU-bound on 2 cores shared with the broker): the client process's
// (all its threads, librdkafka's included) and the broker's, over each phase.
// Usage: npm run bench -- kafka-clients [--messages N] [--batch N] [--partitions N] [--runs N] [--brokers host:port]
//   The candidates are not project dependencies: the first run installs them
//   (pinned, in bench/kafka-clients-install.js) into .cache/kafka-clients-bench,
//   building librdkafka from source where no prebuilt binary can be fetched
//   (about 100 s on 2 cores); later runs reuse that install. Without
//   --brokers it starts a broker of its own (bench/kafka-clients-broker.js,
//   127.0.0.1:29192) and measures its CPU; a broker given by address is not
//   measured.
'use strict';
const { execFileSync } = require('node:child_process');
const { Kafka, logLevel } = require('kafkajs');
// As the bus adapter runs it: with its fix of kafkajs' idle 1 ms poll per connection.
require('../packages/bus/dist').fixKafkajsRequestQueue();
const { percentile } = require('./bench-options');
const { benchOptions, machineLine } = require('./pipeline-processes');
const { kafkaClientsBroker } = require('./kafka-clients-broker');
const { auditEvents } = require('./audit-event-generator');
const { processTreeCpuSeconds } = require('./process-tree-cpu');
const { ensureCandidateClients, requireCandidate } = require('./kafka-clients-install');

const CLIENTS = ['kafkajs', '@platformatic/kafka', '@confluentinc/kafka-javascript'];
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
    return { seconds, latencies, close: () => producer.disconnect() };
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
    return { seconds: (end - first) / 1000, toFirstSeconds: (first - t0) / 1000, received, bytes, close: () => consumer.disconnect() };
  },
};

const platformaticClient = {
  async produce({ brokers, topic, messages, batch }) {
    const { Producer, ProduceAcks, compatibilityPartitioner } = requireCandidate('@platformatic/kafka');
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
    return { seconds, latencies, close: () => producer.close() };
  },

  async consume({ brokers, topic, count, batch, groupId }) {
    const { Consumer, MessagesStreamModes } = requireCandidate('@platformatic/kafka');
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
    const close = async () => {
      await stream.close();
      await consumer.close();
    };
    return { seconds: (end - first) / 1000, toFirstSeconds: (first - t0) / 1000, received, bytes, close };
  },
};

// Its KafkaJS-compatible API, the one a kafkajs adapter would move to.
const confluentClient = {
  kafka(brokers) {
    const { KafkaJS } = requireCandidate('@confluentinc/kafka-javascript');
    return new KafkaJS.Kafka({ kafkaJS: { clientId: 'bench-confluent', brokers: [brokers], logLevel: KafkaJS.logLevel.NOTHING } });
  },

  async produce({ brokers, topic, messages, batch }) {
    // acks is per producer here, not per send; its default partitioner
    // (murmur2_random) is the Java client's for keyed messages.
    const producer = this.kafka(brokers).producer({ kafkaJS: { idempotent: true, maxInFlightRequests: 1, acks: -1, allowAutoTopicCreation: false } });
    await producer.connect();
    const latencies = [];
    const t0 = performance.now();
    for (let i = 0; i < messages.length; i += batch) {
      const t = performance.now();
      await producer.send({ topic, messages: messages.slice(i, i + batch) });
      latencies.push(performance.now() - t);
    }
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, latencies, close: () => producer.disconnect() };
  },

  async consume({ brokers, topic, count, batch, groupId }) {
    const consumer = this.kafka(brokers).consumer({
      kafkaJS: { groupId, fromBeginning: true, autoCommit: false, maxBytesPerPartition: MAX_BYTES_PER_PARTITION, maxWaitTimeInMs: 1000 },
      // Its eachBatch hands at most 32 messages by default; the bench's batch, as the others get.
      'js.consumer.max.batch.size': batch,
    });
    const t0 = performance.now();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    let received = 0;
    let bytes = 0;
    let first;
    let finish;
    const done = new Promise((resolve) => (finish = resolve));
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch: b, resolveOffset }) => {
        first ??= performance.now();
        for (const m of b.messages) bytes += m.value.length;
        received += b.messages.length;
        const last = b.messages[b.messages.length - 1].offset;
        resolveOffset(last);
        await consumer.commitOffsets([{ topic: b.topic, partition: b.partition, offset: (BigInt(last) + 1n).toString() }]);
        if (received >= count) finish(performance.now());
      },
    });
    const end = await done;
    return { seconds: (end - first) / 1000, toFirstSeconds: (first - t0) / 1000, received, bytes, close: () => consumer.disconnect() };
  },
};

const RUNNERS = { kafkajs: kafkajsClient, '@platformatic/kafka': platformaticClient, '@confluentinc/kafka-javascript': confluentClient };

/** CPU seconds so far of this process (all threads: librdkafka's too) and of the broker's process tree. */
function cpuNow(brokerPid) {
  const own = process.cpuUsage();
  return { at: performance.now(), client: (own.user + own.system) / 1e6, broker: brokerPid === undefined ? undefined : processTreeCpuSeconds(brokerPid) };
}

function cpuSince(before, count) {
  const after = cpuNow(before.brokerPid);
  const us = (seconds) => (seconds * 1e6) / count;
  return {
    wallSeconds: (after.at - before.at) / 1000,
    clientUsPerMessage: us(after.client - before.client),
    brokerUsPerMessage: before.broker === undefined ? undefined : us(after.broker - before.broker),
  };
}

/** One client's produce and consume, in this (child) process. */
async function child(cfg) {
  const client = RUNNERS[cfg.client];
  // Loaded before any CPU is counted: module loading is not per message.
  if (cfg.client !== 'kafkajs') requireCandidate(cfg.client);
  const messages = workload(cfg.messages);
  const bytes = messages.reduce((n, m) => n + m.value.length, 0);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const peakRss = rssSampler();
  // Each phase's CPU from the client's creation to its last acknowledged
  // send / last commit; closing is left out (a service closes once).
  let mark = { ...cpuNow(cfg.brokerPid), brokerPid: cfg.brokerPid };
  const produced = await client.produce({ ...cfg, messages });
  const produceCpu = cpuSince(mark, messages.length);
  await produced.close();
  const rssAfterProduce = process.memoryUsage().rss;
  mark = { ...cpuNow(cfg.brokerPid), brokerPid: cfg.brokerPid };
  const consumed = await client.consume({ ...cfg, count: messages.length });
  const consumeCpu = cpuSince(mark, messages.length);
  await consumed.close();
  if (consumed.received !== messages.length) throw new Error(`${cfg.client}: consumed ${consumed.received} of ${messages.length}`);
  const lat = [...produced.latencies].sort((a, b) => a - b);
  return {
    client: cfg.client,
    bytes,
    produce: { seconds: produced.seconds, p50: percentile(lat, 50), p99: percentile(lat, 99), ...produceCpu },
    consume: { seconds: consumed.seconds, toFirstSeconds: consumed.toFirstSeconds, received: consumed.received, ...consumeCpu },
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

/** The broker's CPU while no client is connected, in cores: its own background work, in every per-message figure. */
async function brokerIdleCores(pid, seconds = 5) {
  if (pid === undefined) return undefined;
  const before = processTreeCpuSeconds(pid);
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return (processTreeCpuSeconds(pid) - before) / ((performance.now() - t0) / 1000);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const fmt = (x, digits = 0) => (x === undefined ? 'n/a' : x.toFixed(digits));

async function main(argv) {
  const opts = benchOptions(argv, { messages: 50_000, batch: 500, partitions: 4, runs: 3 });
  const install = ensureCandidateClients();
  const loadAtStart = require('node:os').loadavg().map((x) => x.toFixed(1)).join(' ');
  const wall = performance.now();
  const broker = kafkaClientsBroker(opts.brokers);
  try {
    const runChild = async (client, label, messages) => {
      const topic = `bench-kafka-clients-${process.pid}-${label}-${client.replace(/\W/g, '')}`;
      await createTopic(broker.brokers, topic, opts.partitions);
      const cfg = { client, brokers: broker.brokers, brokerPid: broker.pid, topic, groupId: `${topic}-group`, messages, batch: opts.batch };
      const out = execFileSync(process.execPath, ['--expose-gc', __filename, '--child', JSON.stringify(cfg)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
      return JSON.parse(out.trim().split('\n').pop());
    };
    // A fresh broker's JVM is still compiling its hot paths: one short
    // unreported round of every client first, so the first measured client
    // does not pay for the broker's warm-up.
    for (const client of CLIENTS) await runChild(client, 'warmup', Math.max(opts.batch, Math.round(opts.messages / 5)));
    const idleCores = await brokerIdleCores(broker.pid);
    const results = [];
    for (let run = 0; run < opts.runs; run++) {
      // Each client goes first in turn.
      const order = CLIENTS.map((_, i) => CLIENTS[(i + run) % CLIENTS.length]);
      for (const client of order) results.push({ run: run + 1, ...(await runChild(client, run, opts.messages)) });
    }
    const mib = results[0].bytes / 1048576;
    console.log(`\n### kafka-clients: kafkajs vs @platformatic/kafka vs @confluentinc/kafka-javascript — ${new Date().toISOString().slice(0, 10)}\n`);
    console.log(`command: npm run bench -- kafka-clients ${argv.join(' ')}`.trimEnd());
    console.log(`${machineLine()} (at the end; at the start ${loadAtStart})`);
    const confluent = requireCandidate('@confluentinc/kafka-javascript');
    console.log(
      `clients: kafkajs ${require('kafkajs/package.json').version} (the project's dependency); from .cache/kafka-clients-bench: @platformatic/kafka ${install.versions['@platformatic/kafka']}, ` +
        `@confluentinc/kafka-javascript ${install.versions['@confluentinc/kafka-javascript']} (librdkafka ${confluent.librdkafkaVersion}; ${install.confluentBuild}; install took ${install.seconds} s on ${install.at.slice(0, 10)})`,
    );
    console.log(`broker: ${broker.started ? `this bench's own broker ${broker.brokers} (scripts/kafka.sh, fresh, pid ${broker.pid})` : broker.brokers}; its CPU with no client connected (after a warm-up round): ${idleCores === undefined ? 'not measured (broker given by address)' : `${idleCores.toFixed(3)} cores`}`);
    console.log(`workload: ${opts.messages} normalized Panther.Audit events (${Math.round(results[0].bytes / opts.messages)} B each, ${mib.toFixed(1)} MiB), keys: ${TENANTS} tenants, a new topic of ${opts.partitions} partitions per run; produce: sends of ${opts.batch}, one in flight, idempotent, acks=all; consume: a new group from the beginning, commit by hand every ${opts.batch} messages, fetch 1 MiB per partition; each run a child process`);
    console.log('CPU: user+system of the client process (all threads) and of the broker process tree, from creating the client to the last acknowledged send (produce) or the last commit (consume, the group join included), divided by the messages; closing the client is not counted. msg/s: produce over the sends, consume from the first message to the last.\n');
    console.log('| run | client | produce msg/s | send p50 ms | send p99 ms | produce client µs/msg | produce broker µs/msg | consume msg/s | join to first message s | consume client µs/msg | consume broker µs/msg | RSS before the client MiB | peak RSS MiB |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of results) {
      console.log(
        `| ${r.run} | ${r.client} | ${Math.round(opts.messages / r.produce.seconds)} | ${r.produce.p50.toFixed(1)} | ${r.produce.p99.toFixed(1)} | ${fmt(r.produce.clientUsPerMessage, 1)} | ${fmt(r.produce.brokerUsPerMessage, 1)} | ` +
          `${Math.round(opts.messages / r.consume.seconds)} | ${r.consume.toFirstSeconds.toFixed(2)} | ${fmt(r.consume.clientUsPerMessage, 1)} | ${fmt(r.consume.brokerUsPerMessage, 1)} | ${Math.round(r.rssBefore / 1048576)} | ${Math.round(r.peakRss / 1048576)} |`,
      );
    }
    console.log('\nmedians over the runs (µs per message; "both phases" is the median of each run\'s produce + consume, client + broker):\n');
    console.log('| client | produce msg/s | produce client µs | produce broker µs | consume msg/s | consume client µs | consume broker µs | both phases, client + broker µs | peak RSS minus RSS before, MiB |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const client of CLIENTS) {
      const rs = results.filter((r) => r.client === client);
      const m = (f) => (rs.some((r) => f(r) === undefined) ? undefined : median(rs.map(f)));
      console.log(
        `| ${client} | ${Math.round(m((r) => opts.messages / r.produce.seconds))} | ${fmt(m((r) => r.produce.clientUsPerMessage), 1)} | ${fmt(m((r) => r.produce.brokerUsPerMessage), 1)} | ` +
          `${Math.round(m((r) => opts.messages / r.consume.seconds))} | ${fmt(m((r) => r.consume.clientUsPerMessage), 1)} | ${fmt(m((r) => r.consume.brokerUsPerMessage), 1)} | ` +
          `${fmt(m((r) => r.produce.clientUsPerMessage + r.produce.brokerUsPerMessage + r.consume.clientUsPerMessage + r.consume.brokerUsPerMessage), 1)} | ${Math.round(m((r) => (r.peakRss - r.rssBefore) / 1048576))} |`,
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
