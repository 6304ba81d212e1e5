import { ChildProcess, spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { describeError, type Logger } from '@caracal/core';
import { DetectionRuntimeError } from '../errors';
import { parseKvRequest } from '../kv/kv-request';
import type { KvStore } from '../kv/kv-store';
import { FrameDecoder, encodeFrame } from './frame-codec';
import { HostLimits, HostMessage, LOAD_UNIT, ParentMessage, RefusedRuns } from './host-protocol';
import { SandboxOptions, hostLaunch } from './sandbox-launch';

/** How often the pool looks at busy hosts. */
const WATCH_INTERVAL_MS = 100;
/** A request is tried this many times (each time without the run that killed a host). */
const MAX_ATTEMPTS = 4;
/** Starting Pyodide in a fresh process, before any customer code runs. */
const DEFAULT_START_TIMEOUT_MS = 120_000;
/** A caching call the store does not answer in this time fails (the detection sees an error). */
const KV_TIMEOUT_MS = 10_000;
/**
 * A rule of one tenant that had to be killed for its time QUARANTINE_KILLS
 * times within QUARANTINE_MS is skipped (a rule error) on that tenant's events
 * for QUARANTINE_MS: otherwise each batch would pay the time limit and the kill
 * again, and the partition behind it would crawl. One kill only refuses that
 * (event, rule): a single crafted event must not switch a rule off.
 */
const QUARANTINE_MS = 10 * 60_000;
const QUARANTINE_KILLS = 3;
/**
 * A request may run two time limits (with their grace) plus this much per
 * event or test, all attempts together (starting processes not counted). Python reports where it is, but code
 * that reached the reporting hook could lie; this bound it cannot move. A
 * request past it is not tried again: its events get rule errors, and the
 * tenant's content is suspended (rule errors at once) for QUARANTINE_MS, so
 * that one tenant costs the partition one budget per period, not per batch.
 */
const BUDGET_PER_UNIT_MS = 250;
/** What is kept of a host's stderr for the failure message. */
const STDERR_TAIL_BYTES = 2048;

export interface DetectionProcessPoolOptions {
  /** Detection processes alive at once, all tenants together; idle ones go first (least recently used). */
  maxProcesses: number;
  limits: HostLimits;
  kvStore: KvStore;
  /** After the time limit Python is interrupted; a run still going this much later costs its process. */
  killGraceMs: number;
  sandbox: SandboxOptions;
  startTimeoutMs?: number;
  logger?: Logger;
  /** Told of every process stopped and replaced, with a reason from a fixed set (a metric's label). */
  onReplaced?: (reason: ReplacementReason) => void;
}

/**
 * Why a detection process was replaced: a fixed set, so the metric labelled
 * by it stays bounded whatever the tenant's code does.
 */
export type ReplacementReason = 'timeout' | 'stalled' | 'budget' | 'startup' | 'memory' | 'crash' | 'unanswerable' | 'content' | 'evicted';

/** The content a request runs with (a ContentSnapshot): the payload is built only when a process starts. */
export interface PoolContent {
  readonly key: string;
  payload(): string;
}

/**
 * `units`: the events or tests in the request, which set its time budget.
 * `events` / `tests`: a JSON array, UTF-8; it crosses to the process as it is.
 */
export type PoolRequest =
  /** checkTenant: the process refuses the batch (tenantMismatch) if an event names another tenant than the lane's. */
  | { kind: 'evaluate'; tenantId: string; content: PoolContent; events: Uint8Array; units: number; withTimings?: boolean; checkTenant?: boolean }
  | { kind: 'tests'; tenantId: string; content: PoolContent; tests: Uint8Array; units: number; withOutcomes?: boolean };

export interface PoolResult {
  /** The harness's answer, UTF-8 JSON (a view of the frame it came in). */
  body: Buffer;
  /** The content's load errors, on the first result of a process (once per interpreter). */
  loadErrors: unknown[];
}

interface Job {
  request: PoolRequest;
  refused: RefusedRuns;
  attempts: number;
  /** Time its attempts have run in a ready process (starts of processes not counted). */
  spentMs: number;
  /** When the current attempt was sent to its process. */
  sentAtMs?: number;
  budgetMs: number;
  resolve(result: PoolResult): void;
  reject(err: Error): void;
}

interface RunRef {
  unit: number;
  rule: number;
}

/** Why the pool killed a host, so the replay can say what happened to the run. */
type KillReason =
  | { kind: 'timeout'; run: RunRef }
  | { kind: 'budget'; budgetMs: number }
  | { kind: 'startup' }
  | { kind: 'stalled'; run?: RunRef }
  | { kind: 'broken'; message: string; heapBytes: number; run?: RunRef }
  | { kind: 'retired' };

/** Adds the attempt that just ended to the job's spent time. */
function settleAttempt(job: Job): void {
  if (job.sentAtMs !== undefined) job.spentMs += Date.now() - job.sentAtMs;
  job.sentAtMs = undefined;
}

/** Quarantines are the tenant's own: tenants on the same pack never switch each other's rules off. */
function quarantineKey(request: PoolRequest): string {
  return `${request.tenantId}\u0000${request.content.key}`;
}

/** One sandboxed child process and what the pool knows of it. */
class HostProcess {
  ready = false;
  loadErrors: unknown[] | undefined;
  lastFrameMs: number;
  lastBeat: RunRef | undefined;
  overdue: (RunRef & { atMs: number; seq: number }) | undefined;
  inKvCall = false;
  killReason: KillReason | undefined;
  exited = false;
  stderrTail = '';

  constructor(
    readonly child: ChildProcess,
    readonly contentKey: string,
    readonly startedAtMs: number,
  ) {
    this.lastFrameMs = startedAtMs;
  }

  send(message: ParentMessage): void {
    const stdin = this.child.stdin;
    if (!stdin || this.exited) return;
    stdin.write(encodeFrame(message));
  }

  kill(reason: KillReason): void {
    this.killReason ??= reason;
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

/** One tenant's lane: its queue, and the process serving it when there is one. */
class HostSlot {
  host: HostProcess | undefined;
  readonly queue: Job[] = [];
  current: { job: Job; id: number } | undefined;
  lastUsedMs = 0;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    readonly key: string,
    readonly tenantId: string,
  ) {}

  /** The request in flight is over (answered or its process lost): its time is counted, and waiters are told. */
  endCurrent(): { job: Job; id: number } | undefined {
    const current = this.current;
    this.current = undefined;
    if (current) settleAttempt(current.job);
    for (const wake of this.idleWaiters.splice(0)) wake();
    return current;
  }

  /** Resolves when no request is in flight. */
  idle(): Promise<void> {
    return this.current ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }
}

/**
 * Sandboxed detection processes, each serving one tenant's content (one
 * interpreter) on one lane. Requests to one lane run in order; a tenant's
 * large batch is spread over its lanes by the caller. The pool starts a
 * process when a lane needs one, stops the least recently used idle one when
 * at its limit, times every run from the process's own reports, kills a
 * process whose run does not stop, crashes or outgrows its memory, and runs
 * the request again without the run that killed it. The tenant's cache is
 * reached only through the pool, which binds every call to the lane's tenant.
 */
export class DetectionProcessPool {
  private readonly slots = new Map<string, HostSlot>();
  /** Lanes with work but no process, waiting for room under maxProcesses. */
  private readonly waiting = new Set<HostSlot>();
  private readonly watchTimer: NodeJS.Timeout;
  /** Per content key, rules whose module load killed a process: never loaded again by this pool. */
  private readonly refusedLoads = new Map<string, RefusedRuns>();
  /** Per tenant and content key: content that ran past a request's budget, refused until then. */
  private readonly suspended = new Map<string, { untilMs: number; reason: string }>();
  /** Per tenant and content key, kills for time by rule index, and whether the rule is skipped for now. */
  private readonly quarantined = new Map<string, Map<number, { kills: number; sinceMs: number; untilMs: number; reason: string }>>();
  private live = 0;
  private nextId = 1;
  private closed = false;
  /** Processes killed or retired so far (crash, runaway, memory, content change). */
  replacements = 0;
  /** Processes started so far. */
  started = 0;

  constructor(private readonly options: DetectionProcessPoolOptions) {
    if (!Number.isInteger(options.maxProcesses) || options.maxProcesses < 1) {
      throw new DetectionRuntimeError(`maxProcesses must be a whole number >= 1, got ${options.maxProcesses}`, { code: 'INVALID_ARGUMENT' });
    }
    // Fails here, not at the first batch, when the sandbox cannot be had (bwrap missing).
    hostLaunch(options.sandbox, options.limits.memoryLimitMb);
    this.watchTimer = setInterval(() => this.watch(), WATCH_INTERVAL_MS);
    this.watchTimer.unref();
  }

  /** Processes alive now. */
  get processes(): number {
    return this.live;
  }

  run(tenantId: string, lane: number, request: PoolRequest): Promise<PoolResult> {
    if (this.closed) return Promise.reject(new DetectionRuntimeError('the detection process pool is closed', { code: 'UNAVAILABLE' }));
    const key = `${tenantId}\u0000${lane}`;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = new HostSlot(key, tenantId);
      this.slots.set(key, slot);
    }
    const suspension = this.suspended.get(quarantineKey(request));
    if (suspension && suspension.untilMs > Date.now()) return Promise.reject(new DetectionRuntimeError(suspension.reason));
    const target = slot;
    const { detectionTimeoutMs } = this.options.limits;
    const budgetMs = 2 * (detectionTimeoutMs + this.options.killGraceMs) + request.units * BUDGET_PER_UNIT_MS;
    return new Promise<PoolResult>((resolve, reject) => {
      target.queue.push({ request, refused: {}, attempts: 0, spentMs: 0, budgetMs, resolve, reject });
      this.pump(target);
    });
  }

  private spawnHost(slot: HostSlot, content: PoolContent): HostProcess {
    const { limits, sandbox } = this.options;
    const launch = hostLaunch(sandbox, limits.memoryLimitMb);
    const child = spawn(launch.command, launch.args, {
      stdio: ['pipe', 'pipe', 'pipe', ...(launch.fd3 ? (['pipe'] as const) : [])],
      // Nothing of ours (secrets, paths) crosses: the host starts with an empty environment.
      env: {},
      ...(launch.uid !== undefined ? { uid: launch.uid, gid: launch.gid } : {}),
    });
    const host = new HostProcess(child, content.key, Date.now());
    this.live += 1;
    this.started += 1;
    if (launch.fd3) (child.stdio[3] as Writable).end(launch.fd3);
    const decoder = new FrameDecoder();
    child.stdout?.on('data', (chunk: Buffer) => {
      let messages: unknown[];
      try {
        messages = decoder.push(chunk);
      } catch (err) {
        host.kill({ kind: 'broken', message: `unreadable answer: ${describeError(err)}`, heapBytes: 0 });
        return;
      }
      for (const message of messages) this.onMessage(slot, host, message as HostMessage);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      host.stderrTail = (host.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    // A host that died leaves a broken pipe behind; its exit says what happened.
    child.stdin?.on('error', () => undefined);
    for (const stream of child.stdio.slice(3)) (stream as Writable | null)?.on?.('error', () => undefined);
    let exitHandled = false;
    const exited = (code: number | null, signal: NodeJS.Signals | null, failure?: Error): void => {
      if (exitHandled) return;
      exitHandled = true;
      host.exited = true;
      this.onExit(slot, host, code, signal, failure);
    };
    child.on('exit', (code, signal) => exited(code, signal));
    child.on('error', (err) => exited(null, null, err));
    host.send({
      kind: 'init',
      label: `tenant:${slot.tenantId}`,
      limits,
      payload: content.payload(),
      refusedLoads: this.refusedLoads.get(content.key) ?? {},
    });
    return host;
  }

  private pump(slot: HostSlot): void {
    if (slot.current || this.closed) return;
    const job = slot.queue[0];
    if (!job) return;
    const content = job.request.content;
    if (slot.host && slot.host.contentKey !== content.key) {
      // New content, new interpreter: what the old content did to its interpreter goes with the process.
      this.retire(slot, 'content');
    }
    if (!slot.host) {
      if (this.live >= this.options.maxProcesses && !this.evictIdle(slot)) {
        this.waiting.add(slot);
        return;
      }
      this.waiting.delete(slot);
      slot.host = this.spawnHost(slot, content);
    }
    slot.queue.shift();
    slot.lastUsedMs = Date.now();
    const id = this.nextId++;
    slot.current = { job, id };
    job.attempts += 1;
    if (slot.host.ready) this.sendRequest(slot, slot.host);
  }

  private sendRequest(slot: HostSlot, host: HostProcess): void {
    const current = slot.current;
    if (!current) return;
    const { request, refused } = current.job;
    host.lastFrameMs = Date.now();
    current.job.sentAtMs = host.lastFrameMs;
    if (request.kind === 'evaluate') {
      // Also on the replay of the request that reached the threshold: its later events would stall the same way.
      const quarantined: RefusedRuns = {};
      const now = Date.now();
      for (const [rule, entry] of this.quarantined.get(quarantineKey(request)) ?? []) {
        if (entry.untilMs > now) quarantined[`*:${rule}`] = entry.reason;
      }
      host.send({
        kind: 'evaluate',
        id: current.id,
        body: request.events,
        refused: { ...quarantined, ...refused },
        withTimings: request.withTimings ?? false,
        // The lane's tenant, never anything the request said.
        ...(request.checkTenant ? { tenantId: slot.tenantId } : {}),
      });
    } else {
      host.send({ kind: 'tests', id: current.id, body: request.tests, refused, withOutcomes: request.withOutcomes ?? false });
    }
  }

  /** Stops the least recently used idle process (not `except`'s); false when every process is busy. */
  private evictIdle(except: HostSlot): boolean {
    let victim: HostSlot | undefined;
    for (const slot of this.slots.values()) {
      if (slot === except || !slot.host || slot.current || slot.queue.length > 0) continue;
      if (!victim || slot.lastUsedMs < victim.lastUsedMs) victim = slot;
    }
    if (!victim) return false;
    this.retire(victim, 'evicted');
    this.slots.delete(victim.key);
    return true;
  }

  /** Stops a lane's process on purpose: its exit is not a failure. */
  private retire(slot: HostSlot, why: ReplacementReason): void {
    const host = slot.host;
    if (!host) return;
    slot.host = undefined;
    this.live -= 1;
    this.countReplacement(why);
    host.kill({ kind: 'retired' });
  }

  private onMessage(slot: HostSlot, host: HostProcess, message: HostMessage): void {
    if (slot.host !== host) return;
    host.lastFrameMs = Date.now();
    switch (message.kind) {
      case 'ready':
        host.ready = true;
        host.loadErrors = message.loadErrors;
        for (const failure of message.loadErrors as { kind: string; id: string; errorType: string; message: string }[]) {
          // Not fatal: that detection reports a rule error on each event it would see.
          this.options.logger?.warn({ tenant: slot.tenantId, kind: failure.kind, id: failure.id, errorType: failure.errorType, error: failure.message }, 'detection content failed to load');
        }
        this.sendRequest(slot, host);
        return;
      case 'beat':
        host.lastBeat = { unit: message.unit, rule: message.rule };
        return;
      case 'overdue':
        host.overdue = { unit: message.unit, rule: message.rule, seq: message.seq, atMs: Date.now() };
        return;
      case 'cleared':
        if (host.overdue?.seq === message.seq) host.overdue = undefined;
        return;
      case 'kv':
        this.serveKv(slot, host, message.requestJson, message.unit);
        return;
      case 'result':
      case 'failed':
        this.onAnswer(slot, host, message);
        return;
    }
  }

  private serveKv(slot: HostSlot, host: HostProcess, requestJson: string, unit: number | undefined): void {
    host.inKvCall = true;
    void (async () => {
      let answer: unknown;
      let timer: NodeJS.Timeout | undefined;
      try {
        const request = parseKvRequest(JSON.parse(requestJson));
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the key-value store did not answer within ${KV_TIMEOUT_MS} ms`)), KV_TIMEOUT_MS);
        });
        // The tenant is the lane's, never anything the process said; the unit is only a clock's hint.
        answer = { result: await Promise.race([this.options.kvStore.execute(slot.tenantId, request, Number.isSafeInteger(unit) ? { unit } : {}), timeout]) };
      } catch (err) {
        answer = { error: describeError(err) };
      } finally {
        clearTimeout(timer);
      }
      host.inKvCall = false;
      host.lastFrameMs = Date.now();
      host.send({ kind: 'kv-answer', answerJson: JSON.stringify(answer) });
    })();
  }

  private onAnswer(slot: HostSlot, host: HostProcess, message: Extract<HostMessage, { kind: 'result' | 'failed' }>): void {
    const current = slot.current;
    if (message.kind === 'failed' && (message.id === 0 || message.midRun)) {
      // The interpreter is unfit (or never started): handled as the loss of the process once it exits.
      const run = message.unit !== undefined && message.rule !== undefined ? { unit: message.unit, rule: message.rule } : undefined;
      host.kill({ kind: 'broken', message: message.message, heapBytes: message.heapBytes, run });
      return;
    }
    if (!current || current.id !== message.id) return;
    if (message.kind === 'result' && !(message.body instanceof Uint8Array)) {
      // Only a broken process answers without one: handled as its loss, so the request is tried again.
      host.kill({ kind: 'broken', message: 'a result without its body', heapBytes: message.heapBytes });
      return;
    }
    slot.endCurrent();
    host.overdue = undefined;
    if (message.kind === 'failed') {
      // Customer code can leave the harness unable to answer (it patched what the harness uses): a fresh interpreter next time.
      this.retire(slot, 'unanswerable');
      current.job.reject(new DetectionRuntimeError(`the detection process of tenant ${slot.tenantId} could not answer: ${message.message}`));
    } else {
      const loadErrors = host.loadErrors ?? [];
      host.loadErrors = undefined;
      current.job.resolve({ body: message.body as Buffer, loadErrors });
      if (message.heapBytes > this.options.limits.memoryLimitMb * 1024 * 1024) {
        // The batch is answered; the memory is not coming back (wasm memory never shrinks).
        this.options.logger?.warn({ tenant: slot.tenantId, heapMb: Math.round(message.heapBytes / 1048576), limitMb: this.options.limits.memoryLimitMb }, 'detection process over its memory limit: replacing it');
        this.retire(slot, 'memory');
      }
    }
    this.pump(slot);
    this.pumpWaiting();
  }

  private pumpWaiting(): void {
    for (const slot of [...this.waiting]) {
      if (this.closed) return;
      this.waiting.delete(slot);
      this.pump(slot);
      if (this.waiting.has(slot)) return;
    }
  }

  private countReplacement(why: ReplacementReason): void {
    this.replacements += 1;
    try {
      this.options.onReplaced?.(why);
    } catch (err) {
      // A metric that cannot be counted must not take the pool's bookkeeping with it.
      this.options.logger?.warn({ error: describeError(err) }, 'counting a detection process replacement failed');
    }
  }

  private describeKill(host: HostProcess, code: number | null, signal: NodeJS.Signals | null, failure: Error | undefined): { reason: string; run?: RunRef; quarantine: boolean } {
    const { limits, killGraceMs } = this.options;
    const reason = host.killReason;
    const stderr = host.stderrTail.trim().split('\n').slice(-3).join(' | ');
    switch (reason?.kind) {
      case 'timeout':
        return { reason: `did not stop within ${killGraceMs} ms of its time limit of ${limits.detectionTimeoutMs} ms; its process was replaced`, run: reason.run, quarantine: true };
      case 'stalled':
        return { reason: `stopped answering for ${limits.detectionTimeoutMs + killGraceMs} ms (stuck outside Python); its process was replaced`, run: reason.run, quarantine: true };
      case 'budget':
        return { reason: `the batch ran past its time budget of ${reason.budgetMs} ms (two time limits and ${BUDGET_PER_UNIT_MS} ms per event); the process was replaced`, quarantine: false };
      case 'startup':
        return { reason: `the detection process did not start within ${this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS} ms`, quarantine: false };
      case 'broken':
        return {
          reason:
            reason.heapBytes > limits.memoryLimitMb * 1024 * 1024
              ? `ran its interpreter out of memory past the limit of ${limits.memoryLimitMb} MB (${reason.message}); the process was replaced`
              : `broke its interpreter (${reason.message}); the process was replaced`,
          run: reason.run,
          quarantine: false,
        };
      default: {
        const how = failure ? failure.message : signal ? `signal ${signal}` : `exit code ${code}`;
        const oom = /out of memory|heap limit/i.test(stderr);
        return {
          reason: oom
            ? `ran its process out of memory (limit ${limits.memoryLimitMb} MB); the process was replaced`
            : `stopped its process (${how}${stderr ? `: ${stderr.slice(0, 500)}` : ''}); the process was replaced`,
          run: host.lastBeat,
          quarantine: false,
        };
      }
    }
  }

  private onExit(slot: HostSlot, host: HostProcess, code: number | null, signal: NodeJS.Signals | null, failure: Error | undefined): void {
    if (host.killReason?.kind === 'retired') return;
    if (slot.host !== host) return;
    slot.host = undefined;
    this.live -= 1;
    const current = slot.endCurrent();
    if (current && this.closed) {
      current.job.reject(new DetectionRuntimeError('the detection process pool closed while a request was running', { code: 'UNAVAILABLE', retriable: true }));
    } else if (current) {
      this.countReplacement(replacementReason(host, this.options.limits.memoryLimitMb));
      const { job } = current;
      const { reason, run, quarantine } = this.describeKill(host, code, signal, failure);
      if (run) this.refuseCulprit(job, run, reason, quarantine);
      this.options.logger?.warn({ tenant: slot.tenantId, attempt: job.attempts, reason }, 'detection process replaced; running its request again');
      const neverRanCustomerCode = !host.ready && !host.lastBeat;
      if (host.killReason?.kind === 'budget') {
        const untilMs = Date.now() + QUARANTINE_MS;
        this.suspended.set(quarantineKey(job.request), {
          untilMs,
          reason: `the detections of tenant ${slot.tenantId} are suspended until ${new Date(untilMs).toISOString()}: a batch ${reason}`,
        });
        this.options.logger?.error({ tenant: slot.tenantId, reason }, 'detection content suspended: a batch ran past its time budget');
        job.reject(new DetectionRuntimeError(`the detection process of tenant ${slot.tenantId} ${reason}`, { cause: failure }));
      } else if (neverRanCustomerCode && job.attempts >= MAX_ATTEMPTS) {
        // The sandbox or Pyodide cannot start: our problem, not the tenant's; the caller retries later.
        job.reject(new DetectionRuntimeError(`cannot start a detection process: ${reason}`, { code: 'UNAVAILABLE', retriable: true, cause: failure }));
      } else if (job.attempts >= MAX_ATTEMPTS) {
        job.reject(new DetectionRuntimeError(`the detection process of tenant ${slot.tenantId} failed ${job.attempts} times on one request; last: ${reason}`, { cause: failure }));
      } else {
        slot.queue.unshift(job);
      }
    }
    if (this.closed) {
      for (const job of slot.queue.splice(0)) job.reject(new DetectionRuntimeError('the detection process pool is closed', { code: 'UNAVAILABLE' }));
      return;
    }
    this.pump(slot);
    this.pumpWaiting();
  }

  /** The run in flight when a process died is not tried again; a rule killed for its time is skipped for a while. */
  private refuseCulprit(job: Job, run: RunRef, reason: string, quarantine: boolean): void {
    const key = job.request.content.key;
    if (run.unit === LOAD_UNIT) {
      // By rule index, which names a rule only within this content.
      const refused = this.refusedLoads.get(key) ?? {};
      refused[String(run.rule)] = `loading the rule module ${reason}`;
      this.refusedLoads.set(key, refused);
      return;
    }
    if (job.request.kind === 'tests') {
      job.refused[String(run.unit)] = reason;
      return;
    }
    job.refused[`${run.unit}:${run.rule}`] = reason;
    if (quarantine) {
      const now = Date.now();
      const rules = this.quarantined.get(quarantineKey(job.request)) ?? new Map();
      let entry = rules.get(run.rule);
      if (!entry || now - entry.sinceMs > QUARANTINE_MS) entry = { kills: 0, sinceMs: now, untilMs: 0, reason: '' };
      entry.kills += 1;
      if (entry.kills >= QUARANTINE_KILLS) {
        entry.untilMs = now + QUARANTINE_MS;
        entry.reason = `skipped until ${new Date(entry.untilMs).toISOString()}: this detection had to be killed ${entry.kills} times in ${QUARANTINE_MS / 60_000} minutes (last: it ${reason})`;
      }
      rules.set(run.rule, entry);
      this.quarantined.set(quarantineKey(job.request), rules);
    }
  }

  /** Runs on a timer: the only code that sees a process stuck in Python. */
  private watch(): void {
    const now = Date.now();
    const { limits, killGraceMs } = this.options;
    const startTimeoutMs = this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    for (const slot of this.slots.values()) {
      const host = slot.host;
      if (!host || host.killReason || host.exited) continue;
      if (!host.ready && !host.lastBeat) {
        if (slot.current && now - host.startedAtMs > startTimeoutMs) host.kill({ kind: 'startup' });
        continue;
      }
      if (!slot.current && host.ready) continue;
      const job = slot.current?.job;
      if (job?.sentAtMs !== undefined && job.spentMs + (now - job.sentAtMs) > job.budgetMs) {
        host.kill({ kind: 'budget', budgetMs: job.budgetMs });
      } else if (host.overdue && now - host.overdue.atMs > killGraceMs) {
        host.kill({ kind: 'timeout', run: { unit: host.overdue.unit, rule: host.overdue.rule } });
      } else if (!host.inKvCall && now - host.lastFrameMs > limits.detectionTimeoutMs + killGraceMs) {
        // Python reports every second while it runs; silence this long is a run stuck where it cannot see the clock.
        host.kill({ kind: 'stalled', run: host.lastBeat });
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watchTimer);
    const closing = new DetectionRuntimeError('the detection process pool is closed', { code: 'UNAVAILABLE' });
    this.waiting.clear();
    for (const slot of this.slots.values()) {
      for (const job of slot.queue.splice(0)) job.reject(closing);
    }
    // Requests in flight finish first: a batch that started is answered.
    await Promise.all(
      [...this.slots.values()].map(async (slot) => {
        const host = slot.host;
        if (!host) return;
        // A process lost meanwhile ends its request too (onExit).
        await slot.idle();
        if (!host.exited) {
          await new Promise<void>((resolve) => {
            host.child.once('exit', () => resolve());
            host.kill({ kind: 'retired' });
          });
        }
      }),
    );
  }
}

/** The label of a lost process's replacement, from what killed it (the same split as describeKill's messages). */
function replacementReason(host: HostProcess, memoryLimitMb: number): ReplacementReason {
  const reason = host.killReason;
  switch (reason?.kind) {
    case 'timeout':
    case 'stalled':
    case 'budget':
    case 'startup':
      return reason.kind;
    case 'broken':
      return reason.heapBytes > memoryLimitMb * 1024 * 1024 ? 'memory' : 'crash';
    default:
      return /out of memory|heap limit/i.test(host.stderrTail) ? 'memory' : 'crash';
  }
}
