import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const METRICS_PREFIX = 'caracal_';

// Label values come from configuration (tenants, sources, rules, tables,
// topics), never from event contents, so every series set stays bounded.
type IngestEventLabels = 'tenant' | 'source' | 'log_type' | 'outcome';

/** A row of any lake table: the tenant and source columns, where the table has them. */
type LakeRow = Record<string, unknown>;

function labelOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Every metric a Caracal process exports, on a registry of its own: several
 * processes' worth of services may run in one Node process (tests), and each
 * must report only its own.
 */
export class CaracalMetrics {
  readonly registry = new Registry();

  readonly ingestEvents = new Counter<IngestEventLabels>({
    name: `${METRICS_PREFIX}ingest_events_total`,
    help: 'Events received by ingest, by outcome: accepted (acknowledged by the bus) or rejected (refused, sent to the dead-letter topic).',
    labelNames: ['tenant', 'source', 'log_type', 'outcome'],
    registers: [this.registry],
  });

  readonly ingestRequests = new Counter<'source' | 'status'>({
    name: `${METRICS_PREFIX}ingest_requests_total`,
    help: 'HTTP requests to ingest sources, by source (unknown sources as "unknown") and answer status.',
    labelNames: ['source', 'status'],
    registers: [this.registry],
  });

  readonly lakeRowsWritten = new Counter<'tenant' | 'source' | 'table'>({
    name: `${METRICS_PREFIX}lake_rows_written_total`,
    help: 'Rows inserted into the lake, by tenant, source (empty for tables without one) and table.',
    labelNames: ['tenant', 'source', 'table'],
    registers: [this.registry],
  });

  readonly rulesEventsEvaluated = new Counter<'tenant' | 'log_type'>({
    name: `${METRICS_PREFIX}rules_events_evaluated_total`,
    help: 'Events the rules-worker evaluated (consumed and handed to the detection engine).',
    labelNames: ['tenant', 'log_type'],
    registers: [this.registry],
  });

  readonly rulesDuplicateEvents = new Counter<'tenant'>({
    name: `${METRICS_PREFIX}rules_duplicate_events_total`,
    help: 'Events the rules-worker skipped because the same event (tenant and p_row_id) was already evaluated from another position of the log topics.',
    labelNames: ['tenant'],
    registers: [this.registry],
  });

  readonly ruleEvalSeconds = new Histogram<'rule_id'>({
    name: `${METRICS_PREFIX}rule_eval_seconds`,
    help: "Time spent in one rule's functions (rule and auxiliary functions) over one tenant batch.",
    labelNames: ['rule_id'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [this.registry],
  });

  readonly ruleMatches = new Counter<'tenant' | 'rule_id'>({
    name: `${METRICS_PREFIX}rule_matches_total`,
    help: 'Events a rule matched.',
    labelNames: ['tenant', 'rule_id'],
    registers: [this.registry],
  });

  readonly ruleErrors = new Counter<'tenant' | 'rule_id'>({
    name: `${METRICS_PREFIX}rule_errors_total`,
    help: 'Runs of a rule that raised (or ran over its limits).',
    labelNames: ['tenant', 'rule_id'],
    registers: [this.registry],
  });

  readonly consumerLag = new Gauge<'group' | 'topic' | 'partition'>({
    name: `${METRICS_PREFIX}consumer_lag_messages`,
    help: "Messages of a partition after the consumer group's last handled batch (the end offset when the batch was fetched, minus the next offset).",
    labelNames: ['group', 'topic', 'partition'],
    registers: [this.registry],
  });

  readonly consumerBatch = new Histogram<'group' | 'topic'>({
    name: `${METRICS_PREFIX}consumer_batch_messages`,
    help: 'Messages in one batch handed to a consumer group.',
    labelNames: ['group', 'topic'],
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    registers: [this.registry],
  });

  readonly clickhouseInsertSeconds = new Histogram<'table'>({
    name: `${METRICS_PREFIX}clickhouse_insert_seconds`,
    help: 'Duration of one insert into a lake table.',
    labelNames: ['table'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly clickhouseInsertRows = new Histogram<'table'>({
    name: `${METRICS_PREFIX}clickhouse_insert_rows`,
    help: 'Rows in one insert into a lake table.',
    labelNames: ['table'],
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    registers: [this.registry],
  });

  readonly consumerDeadLetters = new Counter<'group' | 'reason'>({
    name: `${METRICS_PREFIX}consumer_dead_letters_total`,
    help: 'Messages a consumer group set aside on the dead-letter topic after bounded attempts, by group and reason (the error code).',
    labelNames: ['group', 'reason'],
    registers: [this.registry],
  });

  readonly ingestRepairedEvents = new Counter<'tenant' | 'source' | 'log_type'>({
    name: `${METRICS_PREFIX}ingest_repaired_events_total`,
    help: 'Accepted events whose text held lone UTF-16 surrogates, each replaced by U+FFFD before publishing (the lake cannot store them).',
    labelNames: ['tenant', 'source', 'log_type'],
    registers: [this.registry],
  });

  readonly alertsRaised = new Counter<'tenant' | 'rule_id' | 'severity'>({
    name: `${METRICS_PREFIX}alerts_raised_total`,
    help: "Alerts raised: an alert whose event count reached its rule's threshold (once per alert; updates are not counted).",
    labelNames: ['tenant', 'rule_id', 'severity'],
    registers: [this.registry],
  });

  readonly querySeconds = new Histogram<'outcome'>({
    name: `${METRICS_PREFIX}query_seconds`,
    help: "Duration of one tenant's SQL query through the API, from the call to its last row, by outcome: ok, cancelled or error.",
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  readonly detectionWorkerReplacements = new Counter<'reason'>({
    name: `${METRICS_PREFIX}detection_worker_replacements_total`,
    help: "Sandboxed detection processes stopped and replaced, by reason (timeout, stalled, budget, startup, memory, crash, unanswerable, content, evicted).",
    labelNames: ['reason'],
    registers: [this.registry],
  });

  /** `defaultMetrics: false` leaves out the Node and process metrics (unit tests that make many registries). */
  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: METRICS_PREFIX });
  }

  /** The Content-Type of `exposition()`. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text format. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  /** Events one ingest request published (accepted) and refused. */
  countIngestedEvents(origin: { tenantId: string; sourceId: string; logType: string }, accepted: number, rejected: number): void {
    const labels = { tenant: origin.tenantId, source: origin.sourceId, log_type: origin.logType };
    if (accepted > 0) this.ingestEvents.inc({ ...labels, outcome: 'accepted' }, accepted);
    if (rejected > 0) this.ingestEvents.inc({ ...labels, outcome: 'rejected' }, rejected);
  }

  /** One insert that succeeded: its duration, its size, and its rows per tenant and source. */
  observeLakeInsert(table: string, rows: readonly LakeRow[], seconds: number): void {
    this.clickhouseInsertSeconds.observe({ table }, seconds);
    this.clickhouseInsertRows.observe({ table }, rows.length);
    const counts = new Map<string, { tenant: string; source: string; n: number }>();
    for (const row of rows) {
      const tenant = labelOf(row.p_tenant_id ?? row.tenant_id);
      const source = labelOf(row.p_source_id);
      const key = `${tenant}\u0000${source}`;
      const entry = counts.get(key) ?? { tenant, source, n: 0 };
      entry.n += 1;
      counts.set(key, entry);
    }
    for (const { tenant, source, n } of counts.values()) this.lakeRowsWritten.inc({ tenant, source, table }, n);
  }

  /**
   * One batch a consumer group handled: its size, and how far the partition's
   * end (as fetched with the batch) is past it. Without an end offset
   * (a bus that does not report it) the lag is left as it was.
   */
  observeConsumedBatch(group: string, batch: { topic: string; partition: number; messages: readonly { offset: string }[]; highWatermark?: string }): void {
    this.consumerBatch.observe({ group, topic: batch.topic }, batch.messages.length);
    const last = batch.messages[batch.messages.length - 1];
    if (batch.highWatermark === undefined || last === undefined) return;
    const lag = BigInt(batch.highWatermark) - (BigInt(last.offset) + 1n);
    this.consumerLag.set({ group, topic: batch.topic, partition: String(batch.partition) }, Number(lag < 0n ? 0n : lag));
  }

  /** Per-rule time of one evaluation call, in seconds by RuleID. */
  observeRuleTimes(ruleSeconds: Readonly<Record<string, number>>): void {
    for (const [ruleId, seconds] of Object.entries(ruleSeconds)) this.ruleEvalSeconds.observe({ rule_id: ruleId }, seconds);
  }
}
