import os from 'node:os';
import { InvalidArgumentError, Logger, NormalizedEvent } from '@caracal/core';
import { ContentSnapshot } from './content-snapshot';
import type { ContentSet, RuleSpec } from './content.types';
import { DetectionRuntimeError } from './errors';
import { InMemoryKvStore } from './kv/in-memory-kv-store';
import type { KvStore } from './kv/kv-store';
import { RuleEvaluation, RuleOutcome, decodeEvaluation } from './rule-outcome';
import { DetectionWorkerPool } from './worker/detection-worker-pool';
import { tenantWorkerIndex } from './worker/tenant-placement';

export interface DetectionEngineOptions {
  logger?: Logger;
  /** Worker threads evaluating detections; default: one per core. */
  workerThreads?: number;
  /** The longest one detection (rule plus auxiliary functions on one event) may run. */
  detectionTimeoutMs?: number;
  /** A worker whose interpreters grow past this is replaced. */
  workerMemoryLimitMb?: number;
  /** Tenant interpreters one worker keeps; the least recently used goes first. */
  interpretersPerWorker?: number;
  /** Backs panther_detection_helpers.caching; default: one in-memory store for the engine. */
  kvStore?: KvStore;
  /** Close `kvStore` with the engine (it was made for the engine alone). */
  closeKvStore?: boolean;
}

/** The reference limit of one detection run (detections.md). */
export const DEFAULT_DETECTION_TIMEOUT_MS = 15_000;
export const DEFAULT_WORKER_MEMORY_LIMIT_MB = 1024;
export const DEFAULT_INTERPRETERS_PER_WORKER = 8;
/**
 * A tenant's batch is split across workers only in chunks of at least this
 * many events: below it, starting another interpreter for the tenant costs
 * more than the parallelism gains.
 */
export const MIN_EVENTS_PER_CHUNK = 250;

export interface DetectionEngineStats {
  /** (worker, tenant) interpreters requested so far. */
  interpreters: number;
  /** Requests sent to workers. */
  batches: number;
  /** Events sent to Python. */
  events: number;
  /** Worker threads replaced (a runaway detection, a crash, the memory limit). */
  workersReplaced: number;
}

/** Splits `items` into `parts` runs of nearly equal length, keeping order. */
export function splitEvenly<T>(items: readonly T[], parts: number): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const end = start + Math.ceil((items.length - start) / (parts - i));
    chunks.push(items.slice(start, end));
    start = end;
  }
  return chunks.filter((c) => c.length > 0);
}

/**
 * Evaluates enabled rules on events. Each tenant has its own interpreter in
 * each worker thread it uses, so events of different tenants never meet in
 * one interpreter; a large batch is spread over the workers to use every core.
 * Every tenant runs the base content unless given its own (setTenantContent).
 */
export class DetectionEngine {
  private readonly tenantContents = new Map<string, ContentSnapshot>();
  private readonly placed = new Set<string>();
  private readonly counters = { batches: 0, events: 0 };
  private closed = false;

  private constructor(
    private readonly base: ContentSnapshot,
    private readonly pool: DetectionWorkerPool,
    private readonly ownedKvStore: KvStore | undefined,
    private readonly logger: Logger | undefined,
  ) {}

  /** Refuses content with errors: a half-loaded rule set would silently miss detections. */
  static async create(content: ContentSet, options: DetectionEngineOptions = {}): Promise<DetectionEngine> {
    // Every tenant without content of its own builds from it: kept, not rebuilt each time.
    const base = ContentSnapshot.of(content, { keepPayload: true });
    const ownedKvStore = options.kvStore === undefined ? new InMemoryKvStore() : options.closeKvStore ? options.kvStore : undefined;
    const threads = options.workerThreads ?? os.availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) throw new InvalidArgumentError(`workerThreads must be a whole number >= 1, got ${threads}`);
    const pool = new DetectionWorkerPool({
      threads,
      limits: {
        detectionTimeoutMs: options.detectionTimeoutMs ?? DEFAULT_DETECTION_TIMEOUT_MS,
        memoryLimitMb: options.workerMemoryLimitMb ?? DEFAULT_WORKER_MEMORY_LIMIT_MB,
        interpretersPerWorker: options.interpretersPerWorker ?? DEFAULT_INTERPRETERS_PER_WORKER,
      },
      kvStore: options.kvStore ?? (ownedKvStore as KvStore),
      killGraceMs: killGraceMs(options.detectionTimeoutMs ?? DEFAULT_DETECTION_TIMEOUT_MS),
      logger: options.logger,
    });
    return new DetectionEngine(base, pool, ownedKvStore, options.logger);
  }

  /** The rules of the base content. */
  rules(): readonly RuleSpec[] {
    return this.base.rules;
  }

  /** The rules `tenantId` runs now; the same array until the tenant's content changes. */
  rulesFor(tenantId: string): readonly RuleSpec[] {
    return this.contentOf(tenantId).rules;
  }

  /**
   * Gives a tenant content of its own (e.g. tenantContent of the base), or
   * with undefined, the base content again. Evaluations that started keep the
   * content they started with; the next ones use this, and each worker
   * rebuilds the tenant's interpreter when it next serves it. Content equal
   * to what the tenant has changes nothing. Refuses content with errors.
   */
  setTenantContent(tenantId: string, content: ContentSet | undefined): void {
    if (typeof tenantId !== 'string' || tenantId === '') throw new InvalidArgumentError('tenantId is required');
    if (content === undefined) {
      this.tenantContents.delete(tenantId);
      return;
    }
    const snapshot = ContentSnapshot.of(content);
    if (snapshot.key === this.base.key) this.tenantContents.delete(tenantId);
    else if (snapshot.key !== this.tenantContents.get(tenantId)?.key) this.tenantContents.set(tenantId, snapshot);
    this.logger?.debug({ tenant: tenantId, contentKey: snapshot.key, rules: snapshot.rules.length }, 'tenant detection content set');
  }

  private contentOf(tenantId: string): ContentSnapshot {
    return this.tenantContents.get(tenantId) ?? this.base;
  }

  stats(): DetectionEngineStats {
    return { interpreters: this.placed.size, ...this.counters, workersReplaced: this.pool.replacements };
  }

  /**
   * Events of one tenant; outcomes in event order, `eventIndex` into `events`.
   * Runs the tenant's content as of the call: `rulesFor(tenantId)` read just
   * before it names the rules of the outcomes.
   */
  async evaluate(tenantId: string, events: NormalizedEvent[]): Promise<RuleOutcome[]> {
    return (await this.evaluateTimed(tenantId, events)).outcomes;
  }

  /**
   * As evaluate, with the time each rule's functions took over the batch
   * (summed over the workers a large batch was spread on): what a caller
   * needs for per-rule metrics, measured in Python around each run.
   */
  async evaluateTimed(tenantId: string, events: NormalizedEvent[]): Promise<RuleEvaluation> {
    if (this.closed) throw new DetectionRuntimeError('the detection engine is closed', { code: 'UNAVAILABLE' });
    if (typeof tenantId !== 'string' || tenantId === '') throw new InvalidArgumentError('tenantId is required');
    const content = this.contentOf(tenantId);
    // Events without a rule for their log type never cross into Python.
    const batch: { event: NormalizedEvent; index: number }[] = [];
    events.forEach((event, index) => {
      if (event.p_tenant_id !== undefined && event.p_tenant_id !== tenantId) {
        throw new InvalidArgumentError(`event ${index} belongs to tenant ${event.p_tenant_id}, not ${tenantId}`);
      }
      if (content.logTypes.has(event.p_log_type)) batch.push({ event, index });
    });
    if (batch.length === 0) return { outcomes: [], ruleSeconds: {} };
    const parts = Math.min(this.pool.size, Math.ceil(batch.length / MIN_EVENTS_PER_CHUNK));
    const home = tenantWorkerIndex(tenantId, this.pool.size);
    const chunks = splitEvenly(batch, parts);
    const results = await Promise.all(
      chunks.map(async (chunk, i) => {
        const worker = (home + i) % this.pool.size;
        this.placed.add(`${worker}\u0000${tenantId}`);
        const result = await this.pool.run(worker, {
          kind: 'evaluate',
          tenantId,
          content,
          eventsJson: JSON.stringify(chunk.map((c) => c.event)),
          withTimings: true,
        });
        for (const failure of result.loadErrors as { kind: string; id: string; errorType: string; message: string }[]) {
          // Not fatal: that detection reports a rule error on each event it would see.
          this.logger?.warn({ tenant: tenantId, worker, kind: failure.kind, id: failure.id, errorType: failure.errorType, error: failure.message }, 'detection content failed to load');
        }
        return decodeEvaluation(result.json, chunk.map((c) => c.index));
      }),
    );
    this.counters.batches += chunks.length;
    this.counters.events += batch.length;
    const ruleSeconds: Record<string, number> = {};
    for (const r of results) {
      for (const [ruleId, seconds] of Object.entries(r.ruleSeconds)) ruleSeconds[ruleId] = (ruleSeconds[ruleId] ?? 0) + seconds;
    }
    return { outcomes: results.flatMap((r) => r.outcomes), ruleSeconds };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.close();
    await this.ownedKvStore?.close();
  }
}

/** Past its time limit a run is interrupted; if it is still going after this, its worker goes. */
export function killGraceMs(detectionTimeoutMs: number): number {
  return Math.min(5_000, Math.max(1_000, detectionTimeoutMs));
}
