import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@caracal/core';
import { DetectionRuntimeError } from '../errors';
import type { KvStore } from '../kv/kv-store';
import { KvBridgeEnds, serveKvBridge } from './kv-bridge';
import { Phase, Slot, SUPERVISION_SIGNAL, SupervisionMemory, createSupervisionMemory } from './supervision-memory';
import type { RefusedRuns, WorkerInit, WorkerLimits, WorkerReply, WorkerRequest } from './worker-protocol';

/** The unit a module load reports (see LOAD_UNIT in loaded_content.py). */
const LOAD_UNIT = -1;
/** How often the pool looks at busy workers (and lets Python check its memory). */
const WATCH_INTERVAL_MS = 100;
/** A request is tried this many times (each time without the run that killed a worker). */
const MAX_ATTEMPTS = 4;

export interface DetectionWorkerPoolOptions {
  threads: number;
  limits: WorkerLimits;
  kvStore: KvStore;
  /** After the time limit Python is interrupted; a run still going this much later costs its worker. */
  killGraceMs: number;
  logger?: Logger;
}

/** The content a request runs with (a ContentSnapshot): the payload is built only when a worker needs it. */
export interface PoolContent {
  readonly key: string;
  payload(): string;
}

export type PoolRequest =
  | { kind: 'evaluate'; tenantId: string; content: PoolContent; eventsJson: string; withTimings?: boolean }
  | { kind: 'tests'; tenantId: string; content: PoolContent; testsJson: string; withOutcomes?: boolean };

export interface PoolResult {
  json: string;
  loadErrors: unknown[];
}

interface Job {
  request: PoolRequest;
  refused: RefusedRuns;
  attempts: number;
  resolve(result: PoolResult): void;
  reject(err: Error): void;
}

/** Why the pool killed a worker, so the replay can say what happened to the run. */
type KillReason = { kind: 'timeout' } | { kind: 'startup' } | { kind: 'broken'; message: string; heapBytes: number };

/** One thread and its supervision state. */
class WorkerSlot {
  worker: Worker | undefined;
  bridge: KvBridgeEnds | undefined;
  memory: SupervisionMemory = createSupervisionMemory();
  readonly queue: Job[] = [];
  current: { job: Job; id: number; settled: Promise<void>; settle(): void } | undefined;
  watchedSeq = -1;
  watchedSinceMs = 0;
  interruptedAtMs: number | undefined;
  killReason: KillReason | undefined;
  /** Retired after a result, with nothing in flight: its exit is not a failure. */
  retiring = false;
  /**
   * Content keys the worker holds an interpreter of, as of its last answer:
   * requests for other content carry the payload. Exact, because a worker
   * has one request at a time and says what it holds in each answer.
   */
  heldContent = new Set<string>();

  constructor(readonly index: number) {}
}

/**
 * Detection worker threads, each hosting the interpreters of the tenants it is
 * given. Requests to one worker run in order; the caller picks the worker (a
 * tenant's chunks go to a stable set of workers so their interpreters are
 * reused). The pool times every detection run, interrupts one that is over its
 * limit, replaces a worker that does not stop or that crashes or exceeds its
 * memory limit, and runs the request again without the run that killed it.
 */
export class DetectionWorkerPool {
  private readonly slots: WorkerSlot[];
  private readonly watchTimer: NodeJS.Timeout;
  /** Per content key, rules whose module load killed a worker: never loaded again by this pool. */
  private readonly refusedLoads = new Map<string, RefusedRuns>();
  private nextId = 1;
  private closed = false;
  /** Workers killed or retired so far (crash, runaway, memory). */
  replacements = 0;

  constructor(private readonly options: DetectionWorkerPoolOptions) {
    this.slots = Array.from({ length: options.threads }, (_, i) => new WorkerSlot(i));
    this.watchTimer = setInterval(() => this.watch(), WATCH_INTERVAL_MS);
    this.watchTimer.unref();
  }

  get size(): number {
    return this.slots.length;
  }

  run(workerIndex: number, request: PoolRequest): Promise<PoolResult> {
    if (this.closed) return Promise.reject(new DetectionRuntimeError('the detection worker pool is closed', { code: 'UNAVAILABLE' }));
    const slot = this.slots[workerIndex % this.slots.length];
    return new Promise<PoolResult>((resolve, reject) => {
      slot.queue.push({ request, refused: {}, attempts: 0, resolve, reject });
      this.pump(slot);
    });
  }

  private spawn(slot: WorkerSlot): Worker {
    const bridge = serveKvBridge(this.options.kvStore);
    slot.memory = createSupervisionMemory();
    const init: WorkerInit = {
      workerId: slot.index,
      limits: this.options.limits,
      memory: slot.memory,
      kvPort: bridge.workerPort,
      kvBuffer: bridge.buffer,
    };
    const worker = new Worker(path.join(__dirname, 'detection-worker.js'), {
      workerData: init,
      transferList: [bridge.workerPort],
      // Even code that escaped Python would find no secrets in this thread's environment.
      env: {},
      resourceLimits: { maxOldGenerationSizeMb: this.options.limits.memoryLimitMb },
    });
    worker.on('message', (reply: WorkerReply) => this.onReply(slot, reply));
    let failure: Error | undefined;
    worker.on('error', (err) => (failure = err));
    worker.on('exit', (code) => this.onExit(slot, worker, code, failure));
    slot.worker = worker;
    slot.bridge = bridge;
    slot.retiring = false;
    slot.killReason = undefined;
    slot.heldContent = new Set();
    return worker;
  }

  private pump(slot: WorkerSlot): void {
    if (slot.current || slot.retiring || this.closed) return;
    const job = slot.queue.shift();
    if (!job) return;
    const worker = slot.worker ?? this.spawn(slot);
    const id = this.nextId++;
    let settle = (): void => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    slot.current = { job, id, settled, settle };
    slot.watchedSeq = -1;
    slot.interruptedAtMs = undefined;
    job.attempts += 1;
    const { request } = job;
    const content = request.content;
    const base = {
      id,
      tenantId: request.tenantId,
      contentKey: content.key,
      // Payloads are large (the whole content); most requests go to a worker that already has it.
      ...(slot.heldContent.has(content.key) ? {} : { payload: content.payload() }),
      refused: job.refused,
      refusedLoads: this.refusedLoads.get(content.key) ?? {},
    };
    const message: WorkerRequest =
      request.kind === 'evaluate'
        ? { kind: 'evaluate', eventsJson: request.eventsJson, withTimings: request.withTimings, ...base }
        : { kind: 'tests', testsJson: request.testsJson, withOutcomes: request.withOutcomes ?? false, ...base };
    worker.postMessage(message);
  }

  private onReply(slot: WorkerSlot, reply: WorkerReply): void {
    if (reply.kind === 'log') {
      this.options.logger?.[reply.level]({ worker: slot.index, ...reply.fields }, reply.message);
      return;
    }
    const current = slot.current;
    if (!current || current.id !== reply.id) return;
    if (reply.kind === 'failed' && reply.midRun) {
      // Handled as the loss of the worker once it exits: that run is refused and the request sent again.
      slot.killReason = { kind: 'broken', message: reply.message, heapBytes: reply.heapBytes };
      void slot.worker?.terminate();
      return;
    }
    slot.current = undefined;
    current.settle();
    if (reply.kind === 'failed') {
      // What the worker holds after a failure is unknown; sending a payload again is harmless.
      slot.heldContent = new Set();
      current.job.reject(new DetectionRuntimeError(`detection worker ${slot.index}: ${reply.message}`));
    } else {
      slot.heldContent = new Set(reply.heldContent);
      current.job.resolve({ json: reply.json, loadErrors: reply.loadErrors });
      const limitBytes = this.options.limits.memoryLimitMb * 1024 * 1024;
      if (reply.heapBytes > limitBytes) {
        // The batch is answered; the memory is not coming back (wasm memory never shrinks).
        this.options.logger?.warn({ worker: slot.index, heapMb: Math.round(reply.heapBytes / 1048576), limitMb: this.options.limits.memoryLimitMb }, 'detection worker over its memory limit: replacing it');
        this.retire(slot);
        return;
      }
    }
    this.pump(slot);
  }

  private retire(slot: WorkerSlot): void {
    slot.retiring = true;
    this.replacements += 1;
    void slot.worker?.terminate();
  }

  /** The run in flight when a worker died, and what to tell about it. */
  private refuseCulprit(slot: WorkerSlot, job: Job, reason: string): void {
    const progress = slot.memory.progress;
    if (Atomics.load(progress, Slot.PHASE) !== Phase.RUNNING) return;
    const unit = Atomics.load(progress, Slot.UNIT);
    const rule = Atomics.load(progress, Slot.RULE);
    if (unit === LOAD_UNIT) {
      // By rule index, which names a rule only within this content.
      const key = job.request.content.key;
      const refused = this.refusedLoads.get(key) ?? {};
      refused[String(rule)] = `loading the rule module ${reason}`;
      this.refusedLoads.set(key, refused);
    } else {
      job.refused[job.request.kind === 'tests' ? String(unit) : `${unit}:${rule}`] = reason;
    }
  }

  private onExit(slot: WorkerSlot, worker: Worker, code: number, failure: Error | undefined): void {
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    slot.bridge?.close();
    slot.bridge = undefined;
    const current = slot.current;
    slot.current = undefined;
    current?.settle();
    if (current && this.closed) {
      current.job.reject(new DetectionRuntimeError('the detection worker pool closed while a request was running', { code: 'UNAVAILABLE', retriable: true }));
    } else if (current) {
      this.replacements += 1;
      const { job } = current;
      const limits = this.options.limits;
      const killReason = slot.killReason;
      const reason =
        killReason?.kind === 'timeout'
          ? `did not stop within ${this.options.killGraceMs} ms of its time limit of ${limits.detectionTimeoutMs} ms; its worker was replaced`
          : killReason?.kind === 'broken'
            ? killReason.heapBytes > limits.memoryLimitMb * 1024 * 1024
              ? `ran its interpreter out of memory past the limit of ${limits.memoryLimitMb} MB (${killReason.message}); the worker was replaced`
              : `broke its interpreter (${killReason.message}); the worker was replaced`
          : failure && /out of memory|ERR_WORKER_OUT_OF_MEMORY/i.test(`${failure.message} ${(failure as NodeJS.ErrnoException).code ?? ''}`)
            ? `ran its worker out of memory (limit ${limits.memoryLimitMb} MB); the worker was replaced`
            : `stopped its worker (exit code ${code}${failure ? `: ${failure.message}` : ''}); the worker was replaced`;
      this.refuseCulprit(slot, job, reason);
      this.options.logger?.warn({ worker: slot.index, tenant: job.request.tenantId, attempt: job.attempts, reason }, 'detection worker replaced; running its request again');
      if (job.attempts >= MAX_ATTEMPTS) {
        job.reject(new DetectionRuntimeError(`detection worker ${slot.index} failed ${job.attempts} times on one request; last: ${reason}`, { code: 'UNAVAILABLE', retriable: true, cause: failure }));
      } else {
        slot.queue.unshift(job);
      }
    }
    slot.killReason = undefined;
    slot.retiring = false;
    if (this.closed) {
      for (const job of slot.queue.splice(0)) job.reject(new DetectionRuntimeError('the detection worker pool is closed', { code: 'UNAVAILABLE' }));
    } else {
      this.pump(slot);
    }
  }

  /** Runs on a timer: the only code that sees a worker stuck in Python. */
  private watch(): void {
    const now = Date.now();
    const timeoutMs = this.options.limits.detectionTimeoutMs;
    for (const slot of this.slots) {
      if (!slot.current || !slot.worker || slot.killReason) continue;
      const { progress, interrupt } = slot.memory;
      if (Atomics.load(progress, Slot.PHASE) !== Phase.RUNNING) continue;
      const seq = Atomics.load(progress, Slot.SEQ);
      if (seq !== slot.watchedSeq) {
        slot.watchedSeq = seq;
        slot.watchedSinceMs = now;
        slot.interruptedAtMs = undefined;
      } else if (slot.interruptedAtMs !== undefined && now - slot.interruptedAtMs > this.options.killGraceMs) {
        slot.killReason = { kind: 'timeout' };
        void slot.worker.terminate();
        continue;
      } else if (slot.interruptedAtMs === undefined && now - slot.watchedSinceMs > timeoutMs) {
        Atomics.store(progress, Slot.OVERDUE_SEQ, seq);
        slot.interruptedAtMs = now;
      }
      // Every tick, not only when overdue: the same signal lets Python check its memory.
      Atomics.compareExchange(interrupt, 0, 0, SUPERVISION_SIGNAL);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watchTimer);
    const closing = new DetectionRuntimeError('the detection worker pool is closed', { code: 'UNAVAILABLE' });
    for (const slot of this.slots) {
      for (const job of slot.queue.splice(0)) job.reject(closing);
    }
    // Requests in flight finish first: a batch that started is answered.
    await Promise.all(
      this.slots.map(async (slot) => {
        await slot.current?.settled;
        const worker = slot.worker;
        slot.worker = undefined;
        slot.bridge?.close();
        if (worker) await worker.terminate();
      }),
    );
  }
}
