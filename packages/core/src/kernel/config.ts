import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from './errors';

export type RunMode = 'embedded' | 'kafka';
/** Configurable sandboxes; the unsandboxed negative control of the security tests is not one of them. */
export type DetectionSandbox = 'bwrap' | 'process';

export interface CaracalConfig {
  mode: RunMode;
  dataDir: string;
  /** Tenants, sources and hashed API tokens; read by ingest and query. */
  controlFile: string;
  rulesDir: string;
  logLevel: string;
  bindHost: string;
  httpPort: number;
  grpcPort: number;
  ingest: {
    /** One request body may not exceed this, on the wire and after gzip decoding. */
    maxBodyBytes: number;
    /** One normalized event may not exceed this; it must fit a Kafka message. */
    maxEventBytes: number;
    /** Requests per second a source may send when it sets no limit of its own; bursts of twice that pass. */
    defaultRateLimitPerSecond: number;
    /** A publish the bus has not acknowledged by then is answered 503. */
    publishTimeoutMs: number;
    /** Event bytes waiting for the bus in one ingest process; past it requests are answered 503 at once. */
    maxInFlightBytes: number;
    /** What a 503 asks the client to wait before retrying. */
    retryAfterSeconds: number;
  };
  kafka: {
    brokers: string[];
    clientId: string;
    /** Put before every topic and group name, so several installs (or tests) can share one cluster. */
    topicPrefix: string;
    /** How many partitions the topics Caracal creates get. */
    topicPartitions: number;
    requestTimeoutMs: number;
  };
  clickhouse: {
    /** A ClickHouse server; when absent, chDB runs in-process on `dataDir/lake`. */
    url?: string;
    username: string;
    password: string;
  };
  /** The store behind panther_detection_helpers.caching. */
  cache: {
    /** A Redis server (redis:// or rediss://); when absent, each process keeps its own store in memory. */
    redisUrl?: string;
    connectTimeoutMs: number;
  };
  batch: {
    /** Upper bound of messages in one handler call of the rules-worker and the alert stage. */
    maxEvents: number;
    /**
     * How long the alert stage and alert delivery let a batch of rule
     * outputs fill (ConsumerOptions.batchFill): a rules-worker batch spreads
     * its matches over every partition, a few each, and every batch of the
     * alert stage costs two publishes and a commit however small it is.
     */
    batchTimeoutMs: number;
    /**
     * The lake writers' batches: each is one insert, which writes a part and
     * (for events) runs one lookup of row ids already written, whatever its
     * size; so they wait up to lakeWaitMs for lakeFillBytes, up to
     * lakeMaxRows rows.
     */
    lakeMaxRows: number;
    lakeFillBytes: number;
    lakeWaitMs: number;
    /**
     * Partitions whose batches the rules-worker evaluates at once (kafka
     * mode). A batch spends most of its time waiting: on its detection
     * processes, on Redis for its seen-event claims, on the broker for its
     * outputs and its commit. One at a time, the detection processes sat
     * idle through the rest.
     */
    rulesConcurrentPartitions: number;
  };
  /** How every consumer group treats a batch its handler fails on. */
  consumer: {
    /**
     * Attempts at a batch that fails because of a message's content (a
     * non-retriable error), before its messages are tried one by one and the
     * one that still fails goes to the dead-letter topic. Failures of the
     * broker, the lake or Redis are retried without bound, never dead-lettered.
     */
    maxAttempts: number;
    /** Wait before the second attempt; doubled for each further one. */
    retryBackoffMs: number;
  };
  /** The rules-worker's guard against the same event published twice (an ingest retry after a timed-out publish). */
  dedup: {
    /**
     * How long an event's row id is remembered. A copy arriving later is
     * evaluated again. The store holds one key per event consumed in the
     * window (Redis in kafka mode, the worker's memory in embedded mode), so
     * the window is what bounds its size: events per second times this.
     */
    windowSeconds: number;
  };
  detections: {
    /**
     * The OS boundary around tenant code (decision 0013): `bwrap` (bubblewrap
     * namespaces as an unprivileged user, seccomp, Node's permission model) or
     * `process` (Node's permission model only, for pods where the pod is the boundary).
     */
    sandbox: DetectionSandbox;
    /** bubblewrap's binary; unset: the one scripts/bwrap.sh fetched, else /usr/bin/bwrap. */
    bwrapPath: string | undefined;
    /** Detection processes one tenant's large batch is spread over; 0 means one per core. */
    processesPerTenant: number;
    /** Detection processes of one rules-worker alive at once, all tenants together (idle ones go first). */
    maxProcesses: number;
    /** The longest one detection run (rule and auxiliary functions on one event) may take. */
    detectionTimeoutMs: number;
    /** A detection process whose interpreter grows past this is replaced. */
    processMemoryLimitMb: number;
  };
  query: {
    maxExecutionTimeSeconds: number;
    maxResultRows: number;
    /** The serialized result of one query may not exceed this. */
    maxResultBytes: number;
    /** The engine memory one query may use. */
    maxMemoryUsageBytes: number;
    /** Rows and bytes one query may read from the lake, before filtering. */
    maxRowsToRead: number;
    maxBytesToRead: number;
    /** Queries of one tenant running at once in one query process; more wait their turn up to queueTimeoutMs. */
    maxConcurrentQueriesPerTenant: number;
    queueTimeoutMs: number;
    /**
     * Detection test runs (TestDetection, and the Tests PutDetection runs)
     * at once in one query process, per tenant and for all tenants. Each
     * starts Python interpreters of its own, which is most of its memory;
     * a run over either limit is refused at once with RESOURCE_EXHAUSTED.
     */
    testRunsPerTenant: number;
    testRunsTotal: number;
  };
  /** Scheduled queries (decision 0025): run by every API process, each tick once through a shared ledger. */
  scheduler: {
    /** Off: this API process runs no scheduled query on its own (RunScheduledQuery still runs one). */
    enabled: boolean;
    /** The longest the scheduler sleeps between looks at tenants' schedules (it also wakes at each query's next tick). */
    pollIntervalMs: number;
    /** Ticks missed longer ago than this are not run when the scheduler comes back. */
    catchUpWindowMs: number;
    /** At most this many missed ticks of one query run when it comes back: the newest. */
    catchUpMaxTicks: number;
  };
  /**
   * Pull sources (decision 0029): S3 buckets and Kafka topics that ingest reads
   * itself, in every ingest process (kafka mode) or the one process (embedded).
   */
  pullSources: {
    /** How often ingest looks at the control store for pull sources created or deleted. */
    syncIntervalMs: number;
    /** How often an S3 source lists its bucket and prefix for new objects. */
    s3PollIntervalMs: number;
    /** How long a claim on an object holds without being renewed; the reader renews it at a third of this. */
    s3ClaimLeaseMs: number;
    /** The largest object read, after gzip decoding; a larger one is refused as a whole (a rejection). */
    s3MaxObjectBytes: number;
    /** One S3 request (a listing page, an object's bytes) may take this long. */
    s3RequestTimeoutMs: number;
    /** Events of an object published at once; each part is acknowledged by the bus before the next. */
    publishBatchEvents: number;
    /**
     * Pull sources may reach loopback, private, link-local and CGNAT
     * addresses. Off in kafka mode: a tenant admin who could point a Kafka
     * source at the cluster's own brokers would read other tenants' events.
     */
    allowPrivateNetworks: boolean;
  };
  alerts: {
    /** One HTTP request to a destination may take this long. */
    deliveryTimeoutMs: number;
    /** Tries per delivery, the first included, before it is recorded as FAILED. */
    deliveryMaxAttempts: number;
    /** Wait before the first retry; doubled for each further one. */
    deliveryBackoffMs: number;
    /** Destinations may resolve to loopback, private or link-local addresses (tests, on-premises receivers). */
    allowPrivateNetworkDestinations: boolean;
  };
  /** The operations endpoint every process serves: /livez, /readyz, /metrics. */
  ops: {
    /** 0 picks any free port (tests). Bound on bindHost. */
    port: number;
    /**
     * A graceful stop (SIGTERM) that has not finished by then ends the process
     * with a failure, naming what was still pending. Under Kubernetes' default
     * 30 s grace period, so the process reports it before it is killed.
     */
    shutdownTimeoutMs: number;
  };
  /** OpenTelemetry traces: off unless an OTLP/HTTP endpoint is set. Trace ids reach the logs either way. */
  tracing: {
    /** e.g. http://otel-collector:4318/v1/traces */
    otlpTracesUrl?: string;
    /** Share of new traces recorded (0..1); a request that arrives with a sampled traceparent is always recorded. */
    sampleRatio: number;
  };
  /** What the CLI uses to reach a running Caracal; in embedded mode it finds these in the data dir. */
  client: {
    token?: string;
    grpcEndpoint?: string;
    ingestUrl?: string;
    sourceSecret?: string;
  };
}

type Env = Record<string, string | undefined>;

function otlpTracesUrl(env: Env): string | undefined {
  const url = env.CARACAL_OTEL_TRACES_URL?.trim() || undefined;
  if (url !== undefined && !/^https?:\/\/[^/]/.test(url)) {
    throw new ConfigError(`CARACAL_OTEL_TRACES_URL must be an http(s) URL of an OTLP/HTTP traces endpoint, got "${url}"`);
  }
  return url;
}

function ratio(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new ConfigError(`${name} must be a number from 0 to 1, got "${raw}"`);
  return value;
}

function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

// A Kafka consumer stops, and rejoins a rebalance, only between fetches: a
// batch may wait to fill for no longer than a fetch may wait (kafka-bus.ts).
const MAX_FILL_WAIT_MS = 1000;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  }
  const v = Number(raw);
  if (v < min || v > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${v}`);
  return v;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

/** Settings of the worker-thread engine (decision 0005) and what replaced them: a deployment that still sets one is told. */
const REPLACED_SETTINGS: Readonly<Record<string, string>> = {
  CARACAL_DETECTION_WORKER_THREADS: 'CARACAL_DETECTION_PROCESSES_PER_TENANT',
  CARACAL_DETECTION_WORKER_MEMORY_LIMIT_MB: 'CARACAL_DETECTION_PROCESS_MEMORY_LIMIT_MB',
  CARACAL_DETECTION_INTERPRETERS_PER_WORKER: 'CARACAL_DETECTION_MAX_PROCESSES',
};

/**
 * The defaults of a detection run, shared by the configuration and by the
 * engine when it is built without one (`caracal test`, benches).
 */
export const DETECTION_DEFAULTS = {
  /** The reference limit of one detection run (detections.md). */
  timeoutMs: 15_000,
  processMemoryLimitMb: 1024,
  maxProcesses: 16,
  sandbox: 'bwrap' as DetectionSandbox,
} as const;

function detectionSandbox(env: Env): DetectionSandbox {
  for (const [old, replacement] of Object.entries(REPLACED_SETTINGS)) {
    if (env[old] !== undefined) throw new ConfigError(`${old} is no longer read: detections run in sandboxed processes (decision 0013); use ${replacement}`);
  }
  const raw = str(env, 'CARACAL_DETECTION_SANDBOX', DETECTION_DEFAULTS.sandbox);
  if (raw !== 'bwrap' && raw !== 'process') {
    throw new ConfigError(`CARACAL_DETECTION_SANDBOX must be "bwrap" or "process", got "${raw}"`);
  }
  return raw;
}

function topicPrefix(env: Env): string {
  const v = str(env, 'CARACAL_KAFKA_TOPIC_PREFIX', '');
  if (!/^[A-Za-z0-9._-]{0,100}$/.test(v)) throw new ConfigError(`CARACAL_KAFKA_TOPIC_PREFIX may hold only letters, digits, '.', '_' and '-'; got "${v}"`);
  return v;
}

// The URL may carry a password, so messages describe it without quoting it.
function cacheRedisUrl(env: Env): string | undefined {
  const raw = env.CARACAL_REDIS_URL?.trim() || undefined;
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('CARACAL_REDIS_URL must be a redis:// or rediss:// URL (e.g. "redis://127.0.0.1:6379"); the value is not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError('CARACAL_REDIS_URL must be a redis:// or rediss:// URL (e.g. "redis://127.0.0.1:6379")');
  }
  if (url.hostname === '') throw new ConfigError('CARACAL_REDIS_URL must name a host (e.g. "redis://127.0.0.1:6379")');
  return raw;
}

/**
 * Parses the environment once. Nothing else in Caracal reads process.env, so
 * every setting, its default and its bounds are visible here.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): CaracalConfig {
  const modeRaw = str(env, 'CARACAL_MODE', 'embedded');
  if (modeRaw !== 'embedded' && modeRaw !== 'kafka') {
    throw new ConfigError(`CARACAL_MODE must be "embedded" or "kafka", got "${modeRaw}"`);
  }
  const mode: RunMode = modeRaw;
  const dataDir = path.resolve(cwd, str(env, 'CARACAL_DATA_DIR', '.caracal'));
  const brokers = str(env, 'CARACAL_KAFKA_BROKERS', '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (mode === 'kafka' && brokers.length === 0) {
    throw new ConfigError('CARACAL_KAFKA_BROKERS is required in kafka mode (e.g. "127.0.0.1:9092")');
  }
  for (const b of brokers) {
    if (!/^[^\s:]+:\d+$/.test(b)) throw new ConfigError(`CARACAL_KAFKA_BROKERS entry "${b}" is not host:port`);
  }
  const chUrl = env.CARACAL_CLICKHOUSE_URL?.trim() || undefined;
  if (chUrl !== undefined && !/^https?:\/\//.test(chUrl)) {
    throw new ConfigError(`CARACAL_CLICKHOUSE_URL must be an http(s) URL, got "${chUrl}"`);
  }
  const redisUrl = cacheRedisUrl(env);
  if (mode === 'kafka' && redisUrl === undefined) {
    // An in-memory store would give every rules-worker process its own
    // counters and sets, and a tenant's events are spread over all of them.
    throw new ConfigError(
      'CARACAL_REDIS_URL is required in kafka mode (e.g. "redis://127.0.0.1:6379"): detections\' caching must be shared by all rules-worker processes of a tenant',
    );
  }
  const logLevel = str(env, 'CARACAL_LOG_LEVEL', 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`CARACAL_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}"`);
  }
  return {
    mode,
    dataDir,
    controlFile: path.resolve(cwd, str(env, 'CARACAL_CONTROL_FILE', path.join(dataDir, 'control.json'))),
    rulesDir: path.resolve(cwd, str(env, 'CARACAL_RULES_DIR', 'rules')),
    logLevel,
    // A laptop install listens on loopback only; containers need every interface.
    bindHost: str(env, 'CARACAL_BIND_HOST', mode === 'kafka' ? '0.0.0.0' : '127.0.0.1'),
    httpPort: int(env, 'CARACAL_HTTP_PORT', 8080, 0, 65535),
    grpcPort: int(env, 'CARACAL_GRPC_PORT', 50051, 0, 65535),
    ingest: {
      maxBodyBytes: int(env, 'CARACAL_INGEST_MAX_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
      // Kafka's default message.max.bytes is 1 MiB; half leaves room for the p_ fields and record overhead.
      maxEventBytes: int(env, 'CARACAL_INGEST_MAX_EVENT_BYTES', 512 * 1024, 1024, 900 * 1024),
      defaultRateLimitPerSecond: int(env, 'CARACAL_INGEST_RATE_LIMIT_PER_SECOND', 100, 1, 100000),
      publishTimeoutMs: int(env, 'CARACAL_INGEST_PUBLISH_TIMEOUT_MS', 10000, 100, 600000),
      maxInFlightBytes: int(env, 'CARACAL_INGEST_MAX_IN_FLIGHT_BYTES', 64 * 1024 * 1024, 1024 * 1024, 16 * 1024 * 1024 * 1024),
      retryAfterSeconds: int(env, 'CARACAL_INGEST_RETRY_AFTER_SECONDS', 5, 1, 3600),
    },
    kafka: {
      brokers,
      clientId: str(env, 'CARACAL_KAFKA_CLIENT_ID', `caracal-${os.hostname()}`),
      topicPrefix: topicPrefix(env),
      topicPartitions: int(env, 'CARACAL_KAFKA_TOPIC_PARTITIONS', 3, 1, 1024),
      requestTimeoutMs: int(env, 'CARACAL_KAFKA_REQUEST_TIMEOUT_MS', 30000, 1000, 600000),
    },
    clickhouse: {
      url: chUrl,
      username: str(env, 'CARACAL_CLICKHOUSE_USER', 'default'),
      password: str(env, 'CARACAL_CLICKHOUSE_PASSWORD', ''),
    },
    cache: {
      redisUrl,
      connectTimeoutMs: int(env, 'CARACAL_REDIS_CONNECT_TIMEOUT_MS', 5000, 100, 120000),
    },
    batch: {
      maxEvents: int(env, 'CARACAL_BATCH_MAX_EVENTS', 1000, 1, 100000),
      batchTimeoutMs: int(env, 'CARACAL_BATCH_TIMEOUT_MS', 100, 1, MAX_FILL_WAIT_MS),
      lakeMaxRows: int(env, 'CARACAL_LAKE_BATCH_MAX_ROWS', 10000, 1, 1000000),
      lakeFillBytes: int(env, 'CARACAL_LAKE_BATCH_FILL_BYTES', 4 * 1024 * 1024, 1, 256 * 1024 * 1024),
      lakeWaitMs: int(env, 'CARACAL_LAKE_BATCH_WAIT_MS', 500, 1, MAX_FILL_WAIT_MS),
      rulesConcurrentPartitions: int(env, 'CARACAL_RULES_CONCURRENT_PARTITIONS', 4, 1, 64),
    },
    consumer: {
      maxAttempts: int(env, 'CARACAL_CONSUMER_MAX_ATTEMPTS', 3, 1, 100),
      retryBackoffMs: int(env, 'CARACAL_CONSUMER_RETRY_BACKOFF_MS', 200, 1, 60000),
    },
    dedup: {
      // An hour covers a client's retries of a timed-out request many times over; a week at most, since the store grows with it.
      windowSeconds: int(env, 'CARACAL_RULES_DEDUP_WINDOW_SECONDS', 3600, 60, 7 * 86400),
    },
    detections: {
      sandbox: detectionSandbox(env),
      bwrapPath: env.CARACAL_BWRAP_PATH === undefined || env.CARACAL_BWRAP_PATH === '' ? undefined : env.CARACAL_BWRAP_PATH,
      processesPerTenant: int(env, 'CARACAL_DETECTION_PROCESSES_PER_TENANT', 0, 0, 256),
      maxProcesses: int(env, 'CARACAL_DETECTION_MAX_PROCESSES', DETECTION_DEFAULTS.maxProcesses, 1, 4096),
      detectionTimeoutMs: int(env, 'CARACAL_DETECTION_TIMEOUT_MS', DETECTION_DEFAULTS.timeoutMs, 100, 600000),
      processMemoryLimitMb: int(env, 'CARACAL_DETECTION_PROCESS_MEMORY_LIMIT_MB', DETECTION_DEFAULTS.processMemoryLimitMb, 128, 65536),
    },
    query: {
      maxExecutionTimeSeconds: int(env, 'CARACAL_QUERY_MAX_EXECUTION_TIME_SECONDS', 60, 1, 3600),
      maxResultRows: int(env, 'CARACAL_QUERY_MAX_RESULT_ROWS', 10000, 1, 10000000),
      maxResultBytes: int(env, 'CARACAL_QUERY_MAX_RESULT_BYTES', 64 * 1024 * 1024, 1024, 16 * 1024 * 1024 * 1024),
      maxMemoryUsageBytes: int(env, 'CARACAL_QUERY_MAX_MEMORY_USAGE_BYTES', 1024 * 1024 * 1024, 16 * 1024 * 1024, 256 * 1024 * 1024 * 1024),
      maxRowsToRead: int(env, 'CARACAL_QUERY_MAX_ROWS_TO_READ', 1_000_000_000, 1, Number.MAX_SAFE_INTEGER),
      maxBytesToRead: int(env, 'CARACAL_QUERY_MAX_BYTES_TO_READ', 100 * 1024 * 1024 * 1024, 1024, Number.MAX_SAFE_INTEGER),
      maxConcurrentQueriesPerTenant: int(env, 'CARACAL_QUERY_MAX_CONCURRENT_PER_TENANT', 4, 1, 1000),
      queueTimeoutMs: int(env, 'CARACAL_QUERY_QUEUE_TIMEOUT_MS', 30000, 0, 600000),
      // About a gigabyte each at their largest: six at once once took a server from 1.1 to 6.6 GB.
      testRunsPerTenant: int(env, 'CARACAL_QUERY_TEST_RUNS_PER_TENANT', 2, 1, 100),
      testRunsTotal: int(env, 'CARACAL_QUERY_TEST_RUNS_TOTAL', 4, 1, 1000),
    },
    scheduler: {
      enabled: bool(env, 'CARACAL_SCHEDULER_ENABLED', true),
      pollIntervalMs: int(env, 'CARACAL_SCHEDULER_POLL_INTERVAL_MS', 15000, 100, 3600000),
      catchUpWindowMs: int(env, 'CARACAL_SCHEDULER_CATCH_UP_WINDOW_MS', 24 * 3600 * 1000, 0, 30 * 24 * 3600 * 1000),
      catchUpMaxTicks: int(env, 'CARACAL_SCHEDULER_CATCH_UP_MAX_TICKS', 24, 1, 10000),
    },
    pullSources: {
      syncIntervalMs: int(env, 'CARACAL_PULL_SOURCES_SYNC_INTERVAL_MS', 2000, 100, 3600000),
      s3PollIntervalMs: int(env, 'CARACAL_S3_POLL_INTERVAL_MS', 60000, 100, 24 * 3600000),
      s3ClaimLeaseMs: int(env, 'CARACAL_S3_CLAIM_LEASE_MS', 300000, 3000, 24 * 3600000),
      s3MaxObjectBytes: int(env, 'CARACAL_S3_MAX_OBJECT_BYTES', 256 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      s3RequestTimeoutMs: int(env, 'CARACAL_S3_REQUEST_TIMEOUT_MS', 30000, 100, 600000),
      publishBatchEvents: int(env, 'CARACAL_PULL_PUBLISH_BATCH_EVENTS', 500, 1, 100000),
      // A laptop install talks to a local S3 (MinIO, moto) or Kafka; a cluster's private network holds Caracal's own backends.
      allowPrivateNetworks: bool(env, 'CARACAL_SOURCE_ALLOW_PRIVATE_NETWORKS', mode === 'embedded'),
    },
    alerts: {
      deliveryTimeoutMs: int(env, 'CARACAL_ALERT_DELIVERY_TIMEOUT_MS', 10000, 100, 600000),
      deliveryMaxAttempts: int(env, 'CARACAL_ALERT_DELIVERY_MAX_ATTEMPTS', 5, 1, 100),
      deliveryBackoffMs: int(env, 'CARACAL_ALERT_DELIVERY_BACKOFF_MS', 500, 1, 600000),
      allowPrivateNetworkDestinations: bool(env, 'CARACAL_ALERT_ALLOW_PRIVATE_DESTINATIONS', false),
    },
    ops: {
      // 9464 is the OpenTelemetry Prometheus exporter's default, which scrape configs commonly expect.
      port: int(env, 'CARACAL_OPS_PORT', 9464, 0, 65535),
      shutdownTimeoutMs: int(env, 'CARACAL_SHUTDOWN_TIMEOUT_MS', 25000, 1000, 600000),
    },
    tracing: {
      otlpTracesUrl: otlpTracesUrl(env),
      sampleRatio: ratio(env, 'CARACAL_OTEL_SAMPLE_RATIO', 1),
    },
    client: {
      token: env.CARACAL_TOKEN || undefined,
      grpcEndpoint: env.CARACAL_ENDPOINT || undefined,
      ingestUrl: env.CARACAL_INGEST_URL || undefined,
      sourceSecret: env.CARACAL_SOURCE_SECRET || undefined,
    },
  };
}
