// What the kafka-mode benches share: their own broker and Redis when none is
// given, `caracal serve` child processes, consumer-group progress read from
// the broker, per-process CPU from /proc, and the machine line of a result.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { Kafka, logLevel, Partitioners } = require('kafkajs');
const { wholeNumberOptions } = require('./bench-options');
const { processCpuSeconds, processTreeCpuSeconds } = require('./process-tree-cpu');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'packages', 'cli', 'bin', 'caracal.js');
// A broker of the benches' own, away from the dev broker (19092) and the
// test suite's, so a bench may start, stop and wipe it freely.
// CARACAL_BENCH_KAFKA_PORT / CARACAL_BENCH_REDIS_PORT move them, so that two
// benches can run at once without one wiping the other's broker.
const BENCH_KAFKA_PORT = Number(process.env.CARACAL_BENCH_KAFKA_PORT || 29092);
const BENCH_KAFKA = {
  CARACAL_KAFKA_RUN_DIR: path.join(ROOT, '.cache', 'kafka', BENCH_KAFKA_PORT === 29092 ? 'run-bench' : `run-bench-${BENCH_KAFKA_PORT}`),
  CARACAL_KAFKA_PORT: String(BENCH_KAFKA_PORT),
  CARACAL_KAFKA_CONTROLLER_PORT: String(BENCH_KAFKA_PORT + 1),
};
// scripts/redis.sh keeps one run dir per port, so this one never touches the dev server's files.
const BENCH_REDIS = { CARACAL_REDIS_PORT: process.env.CARACAL_BENCH_REDIS_PORT || '26379' };

/**
 * `--brokers host:port` and `--redis redis://...` (the text options) taken
 * out of argv; the rest are whole-number options over `defaults`.
 */
function benchOptions(argv, defaults, optional = []) {
  const text = { brokers: undefined, redis: undefined };
  // Numeric options without a default (absent = off).
  for (const key of optional) text[key] = undefined;
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key in text) {
      if (argv[i + 1] === undefined) throw new Error(`${argv[i]} needs a value`);
      text[key] = argv[++i];
    } else rest.push(argv[i]);
  }
  for (const key of optional) {
    if (text[key] === undefined) continue;
    text[key] = Number(text[key]);
    if (!Number.isInteger(text[key]) || text[key] < 1) throw new Error(`--${key} must be a whole number >= 1`);
  }
  return { ...wholeNumberOptions(rest, defaults), ...text };
}

function runScript(script, args, env) {
  return execFileSync('bash', [path.join(ROOT, 'scripts', script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** The given brokers, or a fresh bench broker that `stop` stops again. */
function benchBroker(given) {
  if (given) return { brokers: given, started: false, stop: () => undefined };
  const out = runScript('kafka.sh', ['start', '--fresh'], BENCH_KAFKA);
  const brokers = /CARACAL_KAFKA_BROKERS=(\S+)/.exec(out)?.[1];
  if (!brokers) throw new Error(`scripts/kafka.sh start printed no broker address: ${out}`);
  const pid = pidFile(path.join(BENCH_KAFKA.CARACAL_KAFKA_RUN_DIR, 'kafka.pid'));
  return { brokers, started: true, pid, stop: () => runScript('kafka.sh', ['stop'], BENCH_KAFKA) };
}

/** The given Redis URL, or a bench Redis on port 26379 that `stop` stops again. */
function benchRedis(given) {
  if (given) return { url: given, started: false, stop: () => undefined };
  const out = runScript('redis.sh', ['start', '--fresh'], BENCH_REDIS);
  const url = /CARACAL_REDIS_URL=(\S+)/.exec(out)?.[1];
  if (!url) throw new Error(`scripts/redis.sh start printed no URL: ${out}`);
  const pid = pidFile(path.join(ROOT, '.cache', 'redis', `run-${BENCH_REDIS.CARACAL_REDIS_PORT}`, 'redis.pid'));
  return { url, started: true, pid, stop: () => runScript('redis.sh', ['stop'], BENCH_REDIS) };
}

/** The pid a start script wrote, or undefined (a server given by address is not ours to measure). */
function pidFile(file) {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** One `caracal serve <services>` in kafka mode, its output kept (the tail) for failure messages. */
class ServeProcess {
  constructor(services, env) {
    this.services = services;
    this.out = '';
    this.child = spawn(process.execPath, [CLI, 'serve', services], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d) => (this.out = (this.out + d.toString()).slice(-20_000));
    this.child.stdout.on('data', keep);
    this.child.stderr.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
  }

  get pid() {
    return this.child.pid;
  }

  async ready(timeoutMs = 180_000, intervalMs = 100) {
    await waitUntil(`${this.services} to serve`, () => {
      if (this.child.exitCode !== null) throw new Error(`caracal serve ${this.services} exited with ${this.child.exitCode}:\n${this.out.slice(-4000)}`);
      return /caracal: serving/.test(this.out);
    }, timeoutMs);
  }

  /** SIGSTOP / SIGCONT: holds a consumer still while its input piles up, for less than the session timeout. */
  pause() {
    process.kill(this.child.pid, 'SIGSTOP');
  }

  resume() {
    process.kill(this.child.pid, 'SIGCONT');
  }

  async stop() {
    await stopChild(this.child, this.exited, 20_000);
  }
}

/** SIGTERM, then SIGKILL if the child has not exited after graceMs; resolves once it has exited. */
async function stopChild(child, exited, graceMs) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Polls `check` until it returns a truthy value; fails after `timeoutMs` with `what`. */
async function waitUntil(what, check, timeoutMs = 120_000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * CPU used by named processes (each with its descendants: the sandboxed
 * detection hosts are grandchildren of the rules-worker) between `start` and
 * `stop`, for the per-process accounting of a pipeline bench. The bench's own
 * load generator is measured with process.cpuUsage, its tree holding the
 * services.
 */
class CpuLedger {
  constructor(named) {
    this.named = named.filter(([, pid]) => pid !== undefined);
  }

  snapshot() {
    const self = process.cpuUsage();
    return { at: performance.now(), self: (self.user + self.system) / 1e6, each: this.named.map(([, pid]) => processTreeCpuSeconds(pid)) };
  }

  start() {
    this.begin = this.snapshot();
  }

  stop() {
    this.end = this.snapshot();
  }

  /** Rows of { name, cpuSeconds, cores (share over the window), usPerEvent }, the total last. */
  rows(events) {
    const wall = (this.end.at - this.begin.at) / 1000;
    const rows = this.named.map(([name], i) => ({ name, cpuSeconds: this.end.each[i] - this.begin.each[i] }));
    rows.push({ name: 'bench load generator (HTTP client, watchers)', cpuSeconds: this.end.self - this.begin.self });
    const total = rows.reduce((n, r) => n + r.cpuSeconds, 0);
    rows.push({ name: '**all**', cpuSeconds: total });
    return rows.map((r) => ({ ...r, cores: r.cpuSeconds / wall, usPerEvent: (r.cpuSeconds * 1e6) / events }));
  }

  /** The accounting as a markdown table. */
  table(events) {
    const wall = (this.end.at - this.begin.at) / 1000;
    const lines = [`CPU per process over the timed run (${wall.toFixed(1)} s wall, ${events} events; each process with its children):`, '', '| process | CPU s | cores busy | CPU µs per event |', '|---|---|---|---|'];
    for (const r of this.rows(events)) lines.push(`| ${r.name} | ${r.cpuSeconds.toFixed(1)} | ${r.cores.toFixed(2)} | ${r.usPerEvent.toFixed(0)} |`);
    return lines.join('\n');
  }
}

/** Broker-side progress of groups and topics, for waiting on conditions rather than sleeping. */
class BrokerWatch {
  constructor(brokers, prefix) {
    this.prefix = prefix;
    this.kafka = new Kafka({ clientId: 'caracal-bench-watch', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    this.admin = this.kafka.admin();
  }

  connect() {
    return this.admin.connect();
  }

  /** Messages ever published to a topic (sum of its partitions' end offsets). */
  async published(topic) {
    const ends = await this.admin.fetchTopicOffsets(this.prefix + topic);
    return ends.reduce((n, e) => n + Number(BigInt(e.high) - BigInt(e.low)), 0);
  }

  /** Messages of `topic` the group has committed (sum over partitions; nothing committed counts 0). */
  async committed(group, topic) {
    const [t] = await this.admin.fetchOffsets({ groupId: this.prefix + group, topics: [this.prefix + topic] });
    return t.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  }

  async lag(group, topics) {
    let lag = 0;
    for (const topic of topics) lag += (await this.published(topic)) - (await this.committed(group, topic));
    return lag;
  }

  /** The group's members once it is stable with `count` of them, each holding partitions. */
  async stableMembers(group, count) {
    const { groups } = await this.admin.describeGroups([this.prefix + group]);
    const g = groups[0];
    return g && g.state === 'Stable' && g.members.length === count && g.members.every((m) => m.memberAssignment.length > 0);
  }

  disconnect() {
    return this.admin.disconnect();
  }
}

/**
 * `count` tenant ids that the producer's default partitioner (the one
 * ingest's kafkajs producer uses; events are keyed by tenant) spreads evenly
 * over `partitions`, so every partition, and every consumer, gets work.
 */
function spreadTenants(count, partitions, label = 'bench') {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  const perPartition = new Array(partitions).fill(0);
  const cap = Math.ceil(count / partitions);
  const out = [];
  for (let i = 0; out.length < count; i++) {
    const id = `${label}-${i}`;
    const p = partitioner({ topic: 'logs', partitionMetadata, message: { key: id, value: null } });
    if (perPartition[p] < cap) {
      perPartition[p]++;
      out.push(id);
    }
  }
  return out;
}

function machine() {
  const run = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  };
  const memGiB = /Mem:\s+(\d+)/.exec(run('free', ['-g']))?.[1] ?? String(Math.round(os.totalmem() / 2 ** 30));
  return {
    cores: run('nproc', []),
    memGiB,
    cpu: os.cpus()[0]?.model ?? '?',
    node: process.version,
    load: os.loadavg().map((l) => l.toFixed(1)).join(' '),
  };
}

function machineLine() {
  const m = machine();
  return `machine: nproc ${m.cores}, ${m.memGiB} GiB (free -g), ${m.cpu}, Node ${m.node}, load average ${m.load}`;
}

/** The environment of a kafka-mode `caracal serve` for the benches. */
function serveEnv({ brokers, redisUrl, prefix, partitions, dataDir, rulesDir, httpPort = 0, grpcPort = 0, extra = {} }) {
  return {
    CARACAL_MODE: 'kafka',
    CARACAL_KAFKA_BROKERS: brokers,
    CARACAL_REDIS_URL: redisUrl,
    CARACAL_KAFKA_TOPIC_PREFIX: prefix,
    CARACAL_KAFKA_TOPIC_PARTITIONS: String(partitions),
    CARACAL_DATA_DIR: dataDir,
    CARACAL_CONTROL_FILE: path.join(dataDir, 'control.json'),
    CARACAL_RULES_DIR: rulesDir,
    CARACAL_BIND_HOST: '127.0.0.1',
    CARACAL_HTTP_PORT: String(httpPort),
    CARACAL_GRPC_PORT: String(grpcPort),
    CARACAL_OPS_PORT: '0',
    CARACAL_INGEST_RATE_LIMIT_PER_SECOND: '100000',
    CARACAL_LOG_LEVEL: 'warn',
    ...extra,
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function tempDir(label) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `caracal-${label}-`));
}

/** VmRSS (bytes) of a process and of each of its descendants, from /proc. */
function treeRss(root) {
  const children = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let text;
    try {
      text = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const rss = (pid) => {
    try {
      const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return kb === undefined ? 0 : Number(kb) * 1024;
    } catch {
      return 0;
    }
  };
  const main = rss(root);
  let rest = 0;
  let processes = 0;
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop();
    rest += rss(pid);
    processes++;
    stack.push(...(children.get(pid) ?? []));
  }
  return { main, rest, total: main + rest, processes };
}

/** `caracal start`, its output kept (the tail) for failure messages and in full in `logFile`. */
class StartProcess {
  constructor(env, logFile) {
    this.out = '';
    this.child = spawn(process.execPath, [path.join(ROOT, 'packages', 'cli', 'bin', 'caracal.js'), 'start'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = fs.createWriteStream(logFile);
    const keep = (d) => {
      log.write(d);
      this.out = (this.out + d.toString()).slice(-20_000);
    };
    this.child.stdout.on('data', keep);
    this.child.stderr.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
  }

  get pid() {
    return this.child.pid;
  }

  async ready(timeoutMs = 180_000, intervalMs = 100) {
    await waitUntil('caracal start to run', () => {
      if (this.child.exitCode !== null) throw new Error(`caracal start exited with ${this.child.exitCode}:\n${this.out.slice(-4000)}`);
      return /Caracal is running/.test(this.out);
    }, timeoutMs, intervalMs);
  }

  async stop() {
    await stopChild(this.child, this.exited, 40_000);
  }
}

module.exports = {
  ROOT,
  StartProcess,
  treeRss,
  BrokerWatch,
  CpuLedger,
  ServeProcess,
  benchBroker,
  benchOptions,
  benchRedis,
  cpuSeconds: processCpuSeconds,
  freePort,
  machine,
  machineLine,
  serveEnv,
  spreadTenants,
  stopChild,
  tempDir,
  waitUntil,
};
