import os from 'node:os';
import { CaracalError, DETECTION_DEFAULTS, InvalidArgumentError, Logger, describeError, truncateUtf8 } from '@caracal/core';
import { NormalizedEvent } from '@caracal/core/messages';
import { ContentSnapshot } from './content-snapshot';
import type { ContentSet, RuleSpec } from './content.types';
import { eventSpans, eventsArray } from './encoded-events';
import { DetectionRuntimeError } from './errors';
import { InMemoryKvStore } from './kv/in-memory-kv-store';
import type { KvStore } from './kv/kv-store';
import { RuleAllowance, RuleEvaluation, RuleOutcome, decodeEvaluation } from './rule-outcome';
import { DetectionProcessPool, ReplacementReason } from './sandbox/detection-process-pool';
import type { SandboxOptions } from './sandbox/sandbox-launch';

export interface DetectionEngineOptions {
  logger?: Logger;
  /** Detection processes one tenant's large batch is spread over; default: one per core. */
  processesPerTenant?: number;
  /** Detection processes alive at once, all tenants together; the least recently used idle one goes first. */
  maxProcesses?: number;
  /** The longest one detection (rule plus auxiliary functions on one event) may run. */
  detectionTimeoutMs?: number;
  /** A process whose interpreter grows past this is replaced. */
  processMemoryLimitMb?: number;
  /** The OS boundary around tenant code; default bubblewrap (decision 0013). */
  sandbox?: SandboxOptions;
  /** Backs panther_detection_helpers.caching; default: one in-memory store for the engine. */
  kvStore?: KvStore;
  /** Close `kvStore` with the engine (it was made for the engine alone). */
  closeKvStore?: boolean;
  /** Told of every detection process replaced, by reason (see DetectionProcessPool). */
  onProcessReplaced?: (reason: ReplacementReason) => void;
}

// One source of defaults: the configuration's, for an engine built without one.
export const DEFAULT_DETECTION_TIMEOUT_MS = DETECTION_DEFAULTS.timeoutMs;
export const DEFAULT_PROCESS_MEMORY_LIMIT_MB = DETECTION_DEFAULTS.processMemoryLimitMb;
export const DEFAULT_MAX_PROCESSES = DETECTION_DEFAULTS.maxProcesses;
export const DEFAULT_SANDBOX: SandboxOptions = { kind: DETECTION_DEFAULTS.sandbox };
/**
 * A tenant's batch is split across workers only in chunks of at least this
 * many events: below it, starting another interpreter for the tenant costs
 * more than the parallelism gains.
 */
export const MIN_EVENTS_PER_CHUNK = 250;

export interface DetectionEngineStats {
  /** (lane, tenant) interpreters requested so far. */
  interpreters: number;
  /** Requests sent to detection processes. */
  batches: number;
  /** Events sent to Python. */
  events: number;
  /** Detection processes started so far. */
  processesStarted: number;
  /** Detection processes replaced (a runaway detection, a crash, the memory limit, new content, room for another tenant). */
  processesReplaced: number;
  /** Batch chunks that failed as a whole for their tenant's content and became rule errors. */
  chunksFailed: number;
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
 * Evaluates enabled rules on events. Each tenant's detections run in
 * sandboxed processes of their own (one interpreter each), so neither the
 * events nor the code of different tenants ever meet, and nothing a tenant's
 * code does reaches this process but its answers. A large batch is spread over
 * a tenant's lanes to use every core. A chunk its tenant's content keeps
 * breaking becomes rule errors of that tenant, never a failed batch. Every
 * tenant runs the base content unless given its own (setTenantContent).
 */
export class DetectionEngine {
  private readonly tenantContents = new Map<string, ContentSnapshot>();
  private readonly placed = new Set<string>();
  private readonly counters = { batches: 0, events: 0, chunksFailed: 0 };
  private closed = false;

  private constructor(
    private readonly base: ContentSnapshot,
    private readonly pool: DetectionProcessPool,
    private readonly lanes: number,
    private readonly ownedKvStore: KvStore | undefined,
    private readonly logger: Logger | undefined,
  ) {}

  /** Refuses content with errors: a half-loaded rule set would silently miss detections. */
  static async create(content: ContentSet, options: DetectionEngineOptions = {}): Promise<DetectionEngine> {
    // Every tenant without content of its own builds from it: kept, not rebuilt each time.
    const base = ContentSnapshot.of(content, { keepPayload: true, withScheduledRules: true });
    const ownedKvStore = options.kvStore === undefined ? new InMemoryKvStore() : options.closeKvStore ? options.kvStore : undefined;
    const lanes = options.processesPerTenant ?? os.availableParallelism();
    if (!Number.isInteger(lanes) || lanes < 1) throw new InvalidArgumentError(`processesPerTenant must be a whole number >= 1, got ${lanes}`);
    const pool = new DetectionProcessPool({
      maxProcesses: options.maxProcesses ?? Math.max(DEFAULT_MAX_PROCESSES, lanes),
      limits: {
        detectionTimeoutMs: options.detectionTimeoutMs ?? DEFAULT_DETECTION_TIMEOUT_MS,
        memoryLimitMb: options.processMemoryLimitMb ?? DEFAULT_PROCESS_MEMORY_LIMIT_MB,
      },
      kvStore: options.kvStore ?? (ownedKvStore as KvStore),
      killGraceMs: killGraceMs(options.detectionTimeoutMs ?? DEFAULT_DETECTION_TIMEOUT_MS),
      sandbox: options.sandbox ?? DEFAULT_SANDBOX,
      logger: options.logger,
      onReplaced: options.onProcessReplaced,
    });
    return new DetectionEngine(base, pool, lanes, ownedKvStore, options.logger);
  }

  /** The rules of the base content, its scheduled rules among them (`scheduled`, of their queries' log types). */
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
    const snapshot = ContentSnapshot.of(content, { withScheduledRules: true });
    if (snapshot.key === this.base.key) this.tenantContents.delete(tenantId);
    else if (snapshot.key !== this.tenantContents.get(tenantId)?.key) this.tenantContents.set(tenantId, snapshot);
    this.logger?.debug({ tenant: tenantId, contentKey: snapshot.key, rules: snapshot.rules.length }, 'tenant detection content set');
  }

  private contentOf(tenantId: string): ContentSnapshot {
    return this.tenantContents.get(tenantId) ?? this.base;
  }

  stats(): DetectionEngineStats {
    return { interpreters: this.placed.size, ...this.counters, processesStarted: this.pool.started, processesReplaced: this.pool.replacements };
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
    const parts = Math.min(this.lanes, Math.ceil(batch.length / MIN_EVENTS_PER_CHUNK));
    const chunks = splitEvenly(batch, parts).map((chunk) => ({
      events: Buffer.from(JSON.stringify(chunk.map((c) => c.event))),
      indexes: chunk.map((c) => c.index),
      errors: (message: string) => chunkErrors(content.rules, chunk, message),
    }));
    const allowed: RuleAllowance = (ruleId, eventIndex) => content.enabledRuleIds(events[eventIndex].p_log_type).has(ruleId);
    return this.runChunks(tenantId, content, chunks, allowed, false);
  }

  /**
   * As evaluateTimed, for events already encoded: `events` is a UTF-8 JSON
   * array of normalized events (what evaluate takes, serialised), sent to
   * Python as it is, without being parsed or serialised here. Outcomes come in
   * event order, with `eventIndex` the position in that array. The same
   * checks as evaluate's, made where the events are read: the array's
   * structure here (InvalidArgumentError), each event's tenant in the
   * interpreter before any detection runs (InvalidArgumentError, nothing
   * evaluated). Unlike evaluate, events without a rule for their log type
   * also cross into Python (it skips them), and an answer's rule is checked
   * against the tenant's enabled rules of every log type, not of the event's.
   */
  async evaluateEncodedTimed(tenantId: string, events: Uint8Array): Promise<RuleEvaluation> {
    if (this.closed) throw new DetectionRuntimeError('the detection engine is closed', { code: 'UNAVAILABLE' });
    if (typeof tenantId !== 'string' || tenantId === '') throw new InvalidArgumentError('tenantId is required');
    if (!(events instanceof Uint8Array)) throw new InvalidArgumentError('events must be a Buffer of a UTF-8 JSON array');
    const content = this.contentOf(tenantId);
    const spans = eventSpans(events);
    if (spans.length === 0 || content.logTypes.size === 0) return { outcomes: [], ruleSeconds: {} };
    const parts = Math.min(this.lanes, Math.ceil(spans.length / MIN_EVENTS_PER_CHUNK));
    const chunks: { events: Buffer; indexes: number[]; errors(message: string): RuleOutcome[] }[] = [];
    let from = 0;
    for (let i = 0; i < parts; i++) {
      const to = from + Math.ceil((spans.length - from) / (parts - i));
      const indexes = Array.from({ length: to - from }, (_, k) => from + k);
      const chunk = eventsArray(events, spans, from, to);
      chunks.push({ events: chunk, indexes, errors: (message) => encodedChunkErrors(content.rules, chunk, indexes, message) });
      from = to;
    }
    const enabled = new Set(content.rules.filter((r) => r.enabled).map((r) => r.ruleId));
    return this.runChunks(tenantId, content, chunks, (ruleId) => enabled.has(ruleId), true);
  }

  /** evaluateEncodedTimed's outcomes alone. */
  async evaluateEncoded(tenantId: string, events: Uint8Array): Promise<RuleOutcome[]> {
    return (await this.evaluateEncodedTimed(tenantId, events)).outcomes;
  }

  private async runChunks(
    tenantId: string,
    content: ContentSnapshot,
    chunks: { events: Buffer; indexes: number[]; errors(message: string): RuleOutcome[] }[],
    allowed: RuleAllowance,
    checkTenant: boolean,
  ): Promise<RuleEvaluation> {
    const results = await Promise.all(
      chunks.map(async (chunk, lane) => {
        this.placed.add(`${lane}\u0000${tenantId}`);
        try {
          const result = await this.pool.run(tenantId, lane, {
            kind: 'evaluate',
            tenantId,
            content,
            events: chunk.events,
            units: chunk.indexes.length,
            withTimings: true,
            checkTenant,
          });
          return decodeEvaluation(result.body.toString('utf8'), chunk.indexes, allowed);
        } catch (err) {
          if (this.closed || (err instanceof CaracalError && err.retriable)) throw err;
          // An event of another tenant in encoded events is the caller's error, but the answer that
          // says so comes from the tenant's process: it is believed only if the chunk does hold such
          // an event. Otherwise the tenant's code forged it, and its own events get rule errors.
          if (checkTenant && err instanceof InvalidArgumentError && holdsOtherTenant(chunk.events, tenantId)) throw err;
          // The tenant's own content broke its interpreter on this chunk, again and again: its events
          // get rule errors and the batch (and every other tenant in it) goes on.
          this.counters.chunksFailed += 1;
          this.logger?.warn({ tenant: tenantId, events: chunk.indexes.length, err: describeError(err) }, 'detection chunk failed for its tenant content: reporting rule errors');
          return { outcomes: chunk.errors(describeError(err)), ruleSeconds: {} };
        }
      }),
    );
    this.counters.batches += chunks.length;
    this.counters.events += chunks.reduce((n, c) => n + c.indexes.length, 0);
    const ruleSeconds: Record<string, number> = {};
    // Keys come from the tenant's process and become metric labels: only the content's own RuleIDs.
    const known = content.ruleIds;
    for (const r of results) {
      for (const [ruleId, seconds] of Object.entries(r.ruleSeconds)) if (known.has(ruleId)) ruleSeconds[ruleId] = (ruleSeconds[ruleId] ?? 0) + seconds;
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

/** As the harness bounds a rule error's message (MAX_MESSAGE_BYTES in failures.py). */
const MAX_RULE_ERROR_MESSAGE_BYTES = 4096;

/** Every enabled rule of each event's log type errs with `message`: what the tenant sees of a chunk its content broke. */
function chunkErrors(rules: readonly RuleSpec[], chunk: readonly { event: NormalizedEvent; index: number }[], message: string): RuleOutcome[] {
  const outcomes: RuleOutcome[] = [];
  for (const { event, index } of chunk) {
    for (const rule of rules) {
      if (!rule.enabled || !rule.logTypes.includes(event.p_log_type)) continue;
      outcomes.push({ kind: 'error', ruleId: rule.ruleId, eventIndex: index, errorType: 'DetectionAborted', message: truncateUtf8(`the detections of this tenant could not be evaluated on this event: ${message}`, MAX_RULE_ERROR_MESSAGE_BYTES), traceback: '' });
    }
  }
  return outcomes;
}

/** Whether encoded events name a tenant other than `tenantId` (read on the rare path where the interpreter said so). */
function holdsOtherTenant(events: Buffer, tenantId: string): boolean {
  let list: unknown;
  try {
    list = JSON.parse(events.toString('utf8'));
  } catch {
    return false;
  }
  return Array.isArray(list) && list.some((e) => typeof e === 'object' && e !== null && 'p_tenant_id' in e && (e as { p_tenant_id: unknown }).p_tenant_id !== tenantId);
}

/**
 * chunkErrors for encoded events: which rules an event has depends on its log
 * type, read here for the events of a failed chunk only (a rare path).
 */
function encodedChunkErrors(rules: readonly RuleSpec[], chunk: Buffer, indexes: readonly number[], message: string): RuleOutcome[] {
  let events: unknown;
  try {
    events = JSON.parse(chunk.toString('utf8'));
  } catch {
    events = undefined;
  }
  const list = Array.isArray(events) ? events : [];
  return chunkErrors(rules, indexes.map((index, i) => ({ event: (list[i] ?? {}) as NormalizedEvent, index })), message);
}

/** Past its time limit a run is interrupted; if it is still going after this, its process goes. */
export function killGraceMs(detectionTimeoutMs: number): number {
  return Math.min(5_000, Math.max(1_000, detectionTimeoutMs));
}
