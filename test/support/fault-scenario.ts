import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { CaracalClient } from '@caracal/api';
import { ControlStore } from '@caracal/core/control-plane';
import { fromClickHouseTime, toClickHouseTime } from '@caracal/core/messages';
import { Topics } from '@caracal/bus';
import { ALERT_STAGE_GROUP } from '@caracal/alert-stage';
import { ALERT_WRITER_GROUP, EVENT_WRITER_GROUP } from '@caracal/clickhouse-writer';
import { RULES_WORKER_GROUP } from '@caracal/rules-worker';
import { CaracalProcess } from './caracal-process';
import { LakeCount, SeenAlert } from './delivery-check';
import { GroupOffsets } from './group-offsets';
import { freePort, redisUrl, repoRoot, tempDir, uniqueName } from './test-env';
import { waitFor } from './wait-for';

// The fault scenario: 100,000 Panther.Audit events of 20 tenants
// (5,000 each) through ingest, every service its own process on a real
// broker. One event in ten is a deletion by one of five actors of its tenant:
// the scenario's rule opens one alert per actor, counting 100 events each.
export const TENANTS = 20;
export const EVENTS_PER_TENANT = 5_000;
export const TOTAL_EVENTS = TENANTS * EVENTS_PER_TENANT;
export const EVENTS_PER_REQUEST = 1_000;
export const REQUESTS = TOTAL_EVENTS / EVENTS_PER_REQUEST;
const SENDERS = 4;
const MATCH_EVERY = 10;
const ACTORS_PER_TENANT = 5;
// One tenant per partition: a rules-worker's first batch of a partition then
// starts one tenant interpreter, not five. Five starts in one batch take longer
// than the group's session timeout on a loaded 2-core machine, and the commit
// that follows fails with UNKNOWN_MEMBER_ID, which kafkajs does not restart
// from (reported with issue 7's fault tests).
const PARTITIONS = 20;
export const LOG_TOPIC = Topics.logs('Panther.Audit');

export type Role = 'ingest' | 'rules-worker' | 'alert-stage' | 'clickhouse-writer,query';

/** Tenant ids the producer's partitioner spreads evenly over the partitions, so each rules-worker has work. */
function spreadTenants(label: string): string[] {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: PARTITIONS }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  const byPartition: string[][] = Array.from({ length: PARTITIONS }, () => []);
  const per = TENANTS / PARTITIONS;
  for (let i = 0; byPartition.some((p) => p.length < per); i++) {
    const id = `${label}-t${i}`;
    const n = partitioner({ topic: 'logs', partitionMetadata, message: { key: id, value: null } });
    if (byPartition[n].length < per) byPartition[n].push(id);
  }
  return byPartition.flat();
}

const matches = (n: number) => n % MATCH_EVERY === 0;
const actorOf = (tenant: string, n: number) => `${tenant}-actor-${Math.floor(n / MATCH_EVERY) % ACTORS_PER_TENANT}`;

const RULE_PY = `def rule(event):
    return event.get("actionName") == "DELETE_DETECTION" and event.deep_get("actionParams", "dynamic", "input", "faultTest") is True


def title(event):
    return f"Fault test deletion by {event.deep_get('actor', 'id')}"


def dedup(event):
    return event.deep_get("actor", "id")
`;

const RULE_YML = `AnalysisType: rule
RuleID: Fault.Detection.Deleted
DisplayName: Fault test deletions per actor
Filename: fault_detection_deleted.py
Enabled: true
LogTypes:
  - Panther.Audit
Severity: Medium
DedupPeriodMinutes: 60
Description: Fires on the fault scenario's deletions and dedups by actor, so each actor has one alert counting its deletions.
Tests:
  - Name: Fault-test deletion
    ExpectedResult: true
    Log:
      actionName: DELETE_DETECTION
      actionParams: { dynamic: { input: { faultTest: true } } }
      actor: { id: t-actor-1 }
  - Name: Other event
    ExpectedResult: false
    Log:
      actionName: UPDATE_USER
      actionParams: { dynamic: { input: { faultTest: false } } }
      actor: { id: t-actor-1 }
`;

/** A broker of the test's own (scripts/kafka.sh), for a test that stops and starts it. */
export class OwnBroker {
  readonly brokers: string;

  private constructor(private readonly env: Record<string, string>, port: number) {
    this.brokers = `127.0.0.1:${port}`;
  }

  static async create(dir: string): Promise<OwnBroker> {
    const [port, controllerPort] = [await freePort(), await freePort()];
    return new OwnBroker({ CARACAL_KAFKA_PORT: String(port), CARACAL_KAFKA_CONTROLLER_PORT: String(controllerPort), CARACAL_KAFKA_RUN_DIR: path.join(dir, 'kafka') }, port);
  }

  run(command: 'start' | 'stop', fresh = false): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [path.join(repoRoot(), 'scripts', 'kafka.sh'), command, ...(fresh ? ['--fresh'] : [])], {
        env: { ...process.env, ...this.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kafka.sh ${command} exited ${code}: ${err.slice(-2000)}`))));
    });
  }

  stopNow(): void {
    spawnSync('bash', [path.join(repoRoot(), 'scripts', 'kafka.sh'), 'stop'], { env: { ...process.env, ...this.env } });
  }
}

export interface SendStats {
  /** Events ingest answered 200 for, per tenant. */
  acknowledged: Map<string, number>;
  /** HTTP answers by status; `error` for a request that got no answer. */
  statuses: Map<string, number>;
}

export class FaultScenario {
  readonly tenants: string[];
  readonly prefix: string;
  readonly dir: string;
  readonly offsets: GroupOffsets;
  readonly processes = new Map<Role, CaracalProcess[]>();
  readonly stats: SendStats = { acknowledged: new Map(), statuses: new Map() };
  private readonly secrets = new Map<string, string>();
  private readonly tokens = new Map<string, string>();
  private readonly clients = new Map<string, CaracalClient>();
  private readonly baseMs = Date.now() - 3_600_000;
  private env: Record<string, string> = {};
  private ingestBase = '';
  private grpcEndpoint = '';
  private nextRequest = 0;

  constructor(
    label: string,
    private readonly brokers: string,
    private readonly extraEnv: Record<string, string> = {},
  ) {
    this.tenants = spreadTenants(label);
    this.prefix = uniqueName(label);
    this.dir = tempDir(label);
    this.offsets = new GroupOffsets(brokers, this.prefix);
  }

  /** The event `n` (0-based) of a tenant: deterministic, so a resent body has the same p_row_ids. */
  event(tenant: string, n: number): Record<string, unknown> {
    const match = matches(n);
    return {
      actionName: match ? 'DELETE_DETECTION' : n % 2 === 0 ? 'EXECUTE_DATA_LAKE_QUERY' : 'UPDATE_USER',
      actionParams: { dynamic: { input: { faultTest: match, n } } },
      actionResult: 'SUCCEEDED',
      actor: { id: actorOf(tenant, n), name: `${actorOf(tenant, n)}@example.com`, type: 'USER' },
      pantherVersion: '1.74.6',
      sourceIP: '203.0.113.10',
      timestamp: new Date(this.baseMs + n).toISOString(),
    };
  }

  /** Per tenant, each actor's dedup string and the deletions it made: the alerts the rule must open. */
  expectedAlerts(): Map<string, Map<string, number>> {
    const out = new Map<string, Map<string, number>>();
    for (const tenant of this.tenants) {
      const counts = new Map<string, number>();
      for (let n = 0; n < EVENTS_PER_TENANT; n++) if (matches(n)) counts.set(actorOf(tenant, n), (counts.get(actorOf(tenant, n)) ?? 0) + 1);
      out.set(tenant, counts);
    }
    return out;
  }

  get expectedMatches(): number {
    return TENANTS * Math.ceil(EVENTS_PER_TENANT / MATCH_EVERY);
  }

  async start(): Promise<void> {
    const rulesDir = path.join(this.dir, 'rules');
    fs.mkdirSync(rulesDir, { recursive: true });
    fs.writeFileSync(path.join(rulesDir, 'fault_detection_deleted.py'), RULE_PY);
    fs.writeFileSync(path.join(rulesDir, 'fault_detection_deleted.yml'), RULE_YML);
    const controlFile = path.join(this.dir, 'control.json');
    const control = ControlStore.open(controlFile);
    for (const tenant of this.tenants) {
      control.createTenant(tenant);
      this.secrets.set(tenant, control.createSource({ id: `${tenant}-audit`, tenantId: tenant, logType: 'Panther.Audit', rateLimitPerSecond: 100_000 }).secret);
      this.tokens.set(tenant, control.createToken({ tenantId: tenant, name: 'fault-test', role: 'admin' }).token);
    }
    const [httpPort, grpcPort] = [await freePort(), await freePort()];
    this.env = {
      CARACAL_MODE: 'kafka',
      CARACAL_KAFKA_BROKERS: this.brokers,
      CARACAL_REDIS_URL: redisUrl(),
      CARACAL_KAFKA_TOPIC_PREFIX: this.prefix,
      CARACAL_KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
      CARACAL_DATA_DIR: path.join(this.dir, 'data'),
      CARACAL_CONTROL_FILE: controlFile,
      CARACAL_RULES_DIR: rulesDir,
      CARACAL_BIND_HOST: '127.0.0.1',
      CARACAL_HTTP_PORT: String(httpPort),
      CARACAL_GRPC_PORT: String(grpcPort),
      CARACAL_OPS_PORT: '0',
      CARACAL_INGEST_RETRY_AFTER_SECONDS: '1',
      // One detection process per tenant (2 cores for everything); every tenant keeps its process.
      CARACAL_DETECTION_PROCESSES_PER_TENANT: '1',
      CARACAL_DETECTION_MAX_PROCESSES: String(TENANTS + 4),
      CARACAL_LOG_LEVEL: 'warn',
      ...this.extraEnv,
    };
    this.ingestBase = `http://127.0.0.1:${httpPort}/http`;
    this.grpcEndpoint = `127.0.0.1:${grpcPort}`;
    // The writer (and its topics) first: ingest's first events then find the log topic made with PARTITIONS.
    this.launch('clickhouse-writer,query');
    await this.waitServing('clickhouse-writer,query');
    this.launch('ingest');
    this.launch('alert-stage');
    this.launch('rules-worker');
    this.launch('rules-worker');
    await Promise.all(['ingest', 'alert-stage', 'rules-worker'].map((r) => this.waitServing(r as Role)));
    for (const [tenant, token] of this.tokens) this.clients.set(tenant, new CaracalClient(this.grpcEndpoint, token));
  }

  private launch(role: Role): CaracalProcess {
    const p = new CaracalProcess(['serve', role], this.env);
    this.processes.set(role, [...(this.processes.get(role) ?? []), p]);
    return p;
  }

  /** Topic creations that failed at a process's start and were retried (see serving). */
  readonly startRetries: string[] = [];

  /**
   * Resolves when `p` serves. A start that fails only because the broker had
   * not elected the new topics' leaders yet (a loaded shared broker) is
   * launched again, as an orchestrator would; anything else fails the test.
   */
  private async serving(role: Role, p: CaracalProcess, attempts = 3): Promise<void> {
    const outcome = await waitFor(
      `${role} to serve`,
      async () => (/caracal: serving/.test(p.stdout) ? 'serving' : p.child.exitCode !== null ? 'exited' : undefined),
      180_000,
      100,
    );
    if (outcome === 'serving') return;
    if (attempts > 1 && /caracal: cannot create Kafka topics/.test(p.stderr)) {
      this.startRetries.push(`${role}: ${p.stderr.split('\n').filter((l) => l.startsWith('caracal:')).pop()}`);
      this.processes.set(role, (this.processes.get(role) ?? []).filter((q) => q !== p));
      return this.serving(role, this.launch(role), attempts - 1);
    }
    throw new Error(`${role} exited with ${p.child.exitCode} before serving:\n${p.stdout.slice(-2000)}\n${p.stderr.slice(-4000)}`);
  }

  private async waitServing(role: Role): Promise<void> {
    await Promise.all((this.processes.get(role) ?? []).map((p) => this.serving(role, p)));
  }

  /**
   * kill -9 of the first live process of `role`, then a new one in its place
   * (same group). Resolves once the old one is dead and the new one launched;
   * `serving` resolves when the new one serves.
   */
  async killAndReplace(role: Role): Promise<{ killedPid: number; serving: Promise<unknown> }> {
    const victim = (this.processes.get(role) ?? []).find((p) => p.child.exitCode === null && p.child.signalCode === null);
    if (!victim) throw new Error(`no live ${role} process to kill`);
    const killedPid = victim.child.pid!;
    process.kill(killedPid, 'SIGKILL');
    await waitFor(`${role} ${killedPid} to die`, async () => (victim.child.signalCode === 'SIGKILL' ? true : undefined), 10_000, 50);
    const next = this.launch(role);
    return { killedPid, serving: this.serving(role, next) };
  }

  /** Posts the tenant's events `ns` as one NDJSON body until ingest acknowledges them (a 503, or no answer, is retried with the same body). */
  async post(tenant: string, ns: number[]): Promise<number> {
    const body = ns.map((n) => JSON.stringify(this.event(tenant, n))).join('\n');
    const deadline = Date.now() + 240_000;
    for (;;) {
      let retryAfterMs = 1000;
      try {
        const res = await fetch(`${this.ingestBase}/${tenant}-audit`, { method: 'POST', headers: { 'x-caracal-secret': this.secrets.get(tenant)! }, body });
        const text = await res.text();
        this.count(String(res.status));
        if (res.status === 200) {
          const accepted = (JSON.parse(text) as { accepted: number }).accepted;
          if (accepted !== ns.length) throw new Error(`ingest accepted ${accepted} of ${ns.length}: ${text.slice(0, 500)}`);
          return accepted;
        }
        if (res.status !== 503) throw new Error(`ingest answered ${res.status}: ${text.slice(0, 500)}`);
        retryAfterMs = Number(res.headers.get('retry-after') ?? '1') * 1000;
      } catch (err) {
        if (!(err instanceof TypeError)) throw err;
        // fetch's network failure: nothing was answered, so nothing is counted; the same body again.
        this.count('error');
      }
      if (Date.now() > deadline) throw new Error(`ingest did not acknowledge a request for ${tenant} within 240 s: ${JSON.stringify([...this.stats.statuses])}`);
      await new Promise((r) => setTimeout(r, retryAfterMs));
    }
  }

  /** Requests [from, to) of the scenario from concurrent senders; acknowledged events counted per tenant. */
  async send(from: number, to: number): Promise<void> {
    this.nextRequest = from;
    const sender = async () => {
      while (this.nextRequest < to) {
        const request = this.nextRequest++;
        const tenant = this.tenants[request % TENANTS];
        const first = Math.floor(request / TENANTS) * EVENTS_PER_REQUEST;
        const accepted = await this.post(tenant, Array.from({ length: EVENTS_PER_REQUEST }, (_, k) => first + k));
        this.stats.acknowledged.set(tenant, (this.stats.acknowledged.get(tenant) ?? 0) + accepted);
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
  }

  private count(status: string): void {
    this.stats.statuses.set(status, (this.stats.statuses.get(status) ?? 0) + 1);
  }

  get acknowledgedTotal(): number {
    return [...this.stats.acknowledged.values()].reduce((a, b) => a + b, 0);
  }

  /** Waits until `group` has committed at least `messages` of `topics`. */
  async waitCommitted(what: string, group: string, topics: string[], messages: number, timeoutMs = 300_000): Promise<number> {
    return waitFor(
      what,
      async () => {
        const { committed } = await this.offsets.progress(group, topics);
        return committed >= messages ? committed : undefined;
      },
      timeoutMs,
      200,
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}\n${await this.report()}`);
    });
  }

  /** Group lags and the tail of every process's output: what a failed wait shows. */
  async report(): Promise<string> {
    const lags = await this.lags().catch((e: Error) => e.message);
    const outputs = [...this.processes]
      .flatMap(([role, ps]) => ps.map((p, i) => `--- ${role} #${i} (pid ${p.child.pid}, exit ${p.child.exitCode ?? p.child.signalCode ?? 'running'})\n${p.stdout.slice(-1500)}\n${p.stderr.slice(-3000)}`))
      .join('\n');
    return `lags: ${JSON.stringify(lags)}\n${outputs}`;
  }

  /** Upstream first: once the stage after it shows no lag, nothing upstream had anything left to publish to it. */
  async lags(): Promise<Record<string, number>> {
    return {
      rulesWorker: (await this.offsets.progress(RULES_WORKER_GROUP, [LOG_TOPIC])).lag,
      eventWriter: (await this.offsets.progress(EVENT_WRITER_GROUP, [LOG_TOPIC])).lag,
      alertStage: (await this.offsets.progress(ALERT_STAGE_GROUP, [Topics.ruleMatches, Topics.ruleErrors])).lag,
      alertWriter: (await this.offsets.progress(ALERT_WRITER_GROUP, [Topics.alerts, Topics.alertEvents])).lag,
    };
  }

  /** Every group has handled everything published to it. */
  async settle(timeoutMs = 300_000): Promise<void> {
    await waitFor(
      'every consumer group to have no lag',
      async () => {
        const lags = await this.lags();
        return Object.values(lags).every((l) => l === 0) ? true : undefined;
      },
      timeoutMs,
      500,
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}\n${await this.report()}`);
    });
  }

  private client(tenant: string): CaracalClient {
    return this.clients.get(tenant)!;
  }

  /**
   * Each tenant's rows of its own source, through the query API with the
   * tenant's token: every row (no FINAL, so duplicates show) and distinct
   * p_row_ids. Also fails if a tenant sees any row of another tenant.
   */
  async lakeCounts(): Promise<Map<string, LakeCount>> {
    const out = new Map<string, LakeCount>();
    for (const tenant of this.tenants) {
      const { rows } = await this.client(tenant).executeQuery(
        'SELECT p_tenant_id AS tenant, p_source_id AS source, count() AS rows, uniqExact(p_row_id) AS ids FROM panther_logs.panther_audit GROUP BY p_tenant_id, p_source_id',
      );
      for (const r of rows) {
        if (r.tenant !== tenant) throw new Error(`tenant ${tenant} sees ${String(r.rows)} rows of tenant ${String(r.tenant)}`);
        if (r.source === `${tenant}-audit`) out.set(tenant, { rows: Number(r.rows), uniqueRowIds: Number(r.ids) });
      }
    }
    return out;
  }

  /** Each tenant's alerts through the alert API with the tenant's token. */
  async alerts(): Promise<Map<string, SeenAlert[]>> {
    const out = new Map<string, SeenAlert[]>();
    for (const tenant of this.tenants) {
      const list: SeenAlert[] = [];
      let pageToken = '';
      do {
        const page = await this.client(tenant).listAlerts({ pageSize: 100, pageToken });
        list.push(...page.alerts.map((a) => ({ alertId: a.alertId, dedup: a.dedup, eventCount: Number(a.eventCount) })));
        pageToken = page.nextPageToken;
      } while (pageToken);
      out.set(tenant, list);
    }
    return out;
  }

  /** Distinct matched events per tenant in panther_rule_matches (no FINAL: duplicates show as rows > ids). */
  async matchRows(): Promise<Map<string, LakeCount>> {
    const out = new Map<string, LakeCount>();
    for (const tenant of this.tenants) {
      const { rows } = await this.client(tenant).executeQuery('SELECT count() AS rows, uniqExact(p_row_id) AS ids FROM panther_rule_matches.panther_audit');
      out.set(tenant, { rows: Number(rows[0]?.rows ?? 0), uniqueRowIds: Number(rows[0]?.ids ?? 0) });
    }
    return out;
  }

  /**
   * Per tenant, the messages of its source in the log topic and their distinct
   * p_row_ids: tells a duplicate published twice (ingest) from one written
   * twice (the writer) when the lake check fails.
   */
  async logTopicCounts(tenants: string[]): Promise<Map<string, LakeCount>> {
    const kafka = new Kafka({ clientId: 'caracal-fault-diagnosis', brokers: this.brokers.split(','), logLevel: logLevel.NOTHING });
    const topic = this.prefix + LOG_TOPIC;
    const admin = kafka.admin();
    await admin.connect();
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((e) => [e.partition, BigInt(e.high)]));
    await admin.disconnect();
    const ids = new Map(tenants.map((t) => [t, { rows: 0, set: new Set<string>() }]));
    const done = new Set([...ends].filter(([, high]) => high === 0n).map(([p]) => p));
    const consumer = kafka.consumer({ groupId: `${this.prefix}fault-diagnosis-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const e = JSON.parse(message.value!.toString('utf8')) as { p_tenant_id: string; p_source_id: string; p_row_id: string };
          const seen = ids.get(e.p_tenant_id);
          if (seen && e.p_source_id === `${e.p_tenant_id}-audit`) {
            seen.rows++;
            seen.set.add(e.p_row_id);
          }
          if (BigInt(message.offset) + 1n >= ends.get(partition)!) done.add(partition);
          if (done.size === ends.size) resolve();
        },
      });
    });
    await consumer.disconnect();
    return new Map([...ids].map(([t, v]) => [t, { rows: v.rows, uniqueRowIds: v.set.size }]));
  }

  /**
   * Negative control of the lake check: `count` of a tenant's events read back
   * from the log topic and published again with their event time two hours
   * later, past the writer's look-back for copies (written-rows.filter.ts).
   * The writer cannot recognise them, so the lake holds their row ids twice,
   * as a writer without that guard would for any resent event.
   */
  async publishUnrecognisableCopies(tenant: string, count: number): Promise<void> {
    const kafka = new Kafka({ clientId: 'caracal-fault-control', brokers: this.brokers.split(','), logLevel: logLevel.NOTHING });
    const topic = this.prefix + LOG_TOPIC;
    const consumer = kafka.consumer({ groupId: `${this.prefix}fault-control-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const copies: { key: Buffer | null; value: string; partition: number }[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const e = JSON.parse(message.value!.toString('utf8')) as { p_tenant_id: string; p_event_time: string };
          if (e.p_tenant_id !== tenant || copies.length >= count) return;
          e.p_event_time = toClickHouseTime(new Date(fromClickHouseTime(e.p_event_time).getTime() + 2 * 3600 * 1000));
          copies.push({ key: message.key, value: JSON.stringify(e), partition });
          if (copies.length === count) resolve();
        },
      });
    });
    await consumer.disconnect();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: copies });
    await producer.disconnect();
  }

  /**
   * Negative control of the alert check: one rule match read back from the
   * topic and published again with its source offset raised, as a rules-worker
   * that lost track of offsets would. The stage cannot tell it from a new
   * event, so its alert counts one event more. Returns the tenant and dedup.
   */
  async publishForgedMatch(): Promise<{ tenant: string; dedup: string }> {
    const kafka = new Kafka({ clientId: 'caracal-fault-control', brokers: this.brokers.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topic = this.prefix + Topics.ruleMatches;
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    const partition = ends.find((e) => BigInt(e.high) > BigInt(e.low))!;
    const consumer = kafka.consumer({ groupId: `${this.prefix}fault-control-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const original = await new Promise<{ key: Buffer | null; value: Buffer; partition: number }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ partition: p, message }) => {
          if (p === partition.partition) resolve({ key: message.key, value: message.value!, partition: p });
        },
      });
    });
    await consumer.disconnect();
    const match = JSON.parse(original.value.toString('utf8')) as { tenantId: string; dedup: string; source: { offset: string } };
    match.source.offset = String(BigInt(match.source.offset) + 10_000_000n);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: original.key, value: JSON.stringify(match), partition: original.partition }] });
    await producer.disconnect();
    return { tenant: match.tenantId, dedup: match.dedup };
  }

  async stop(): Promise<void> {
    for (const c of this.clients.values()) c.close();
    await Promise.all([...this.processes.values()].flat().map((p) => p.stop()));
    await this.offsets.close();
  }

  removeFiles(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
