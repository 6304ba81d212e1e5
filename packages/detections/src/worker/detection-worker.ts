import { parentPort, workerData } from 'node:worker_threads';
import { PyodideRuntime, RuntimeHostHooks } from '../pyodide-runtime';
import { kvBridgeClient } from './kv-bridge';
import { blockPyodideNetwork } from './network-block';
import { Phase, Slot } from './supervision-memory';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker-protocol';

/**
 * The body of one detection worker thread: the interpreters of the tenants it
 * serves (one each, never shared), run one request at a time.
 */

/** A caching call waits at most this long for the store (then the detection fails). */
const KV_TIMEOUT_MS = 10_000;

const init = workerData as WorkerInit;
const port = parentPort;
if (!port) throw new Error('detection-worker must run in a worker thread');

blockPyodideNetwork();

const { progress, interrupt } = init.memory;
const kvCall = kvBridgeClient(init.kvPort, init.kvBuffer, KV_TIMEOUT_MS);
const limitBytes = init.limits.memoryLimitMb * 1024 * 1024;

/** A tenant's interpreter and the content it was built from. */
interface TenantInterpreter {
  runtime: PyodideRuntime;
  contentKey: string;
  /** Kept so that another tenant on the same content is built without the pool sending it again. */
  payload: string;
}

/** Insertion order is recency: the first entry is the least recently used. */
const interpreters = new Map<string, TenantInterpreter>();
let seq = 0;
let runStartHeapBytes = 0;

function heapBytes(): number {
  let total = 0;
  for (const { runtime } of interpreters.values()) total += runtime.heapBytes();
  return total;
}

function hooksFor(tenantId: string): RuntimeHostHooks {
  return {
    reportProgress: (unit, rule) => {
      // One sequence for the whole worker: the pool watches runs, whatever interpreter.
      seq = seq >= 0x7fffffff ? 1 : seq + 1;
      runStartHeapBytes = heapBytes();
      Atomics.store(progress, Slot.UNIT, unit);
      Atomics.store(progress, Slot.RULE, rule);
      Atomics.store(progress, Slot.SEQ, seq);
      return seq;
    },
    overdueSeq: () => Atomics.load(progress, Slot.OVERDUE_SEQ),
    // Only a run that is itself growing the memory is stopped: memory never
    // shrinks, and the runs after it in the batch are not to blame.
    memoryExceeded: () => {
      const now = heapBytes();
      return now > limitBytes && now > runStartHeapBytes;
    },
    kvCall: (requestJson) => kvCall(tenantId, requestJson),
    timeLimitMs: init.limits.detectionTimeoutMs,
    memoryLimitMb: init.limits.memoryLimitMb,
  };
}

function drop(tenantId: string): void {
  const entry = interpreters.get(tenantId);
  if (!entry) return;
  interpreters.delete(tenantId);
  entry.runtime.close();
}

function payloadOf(request: WorkerRequest): string {
  if (request.payload !== undefined) return request.payload;
  for (const entry of interpreters.values()) if (entry.contentKey === request.contentKey) return entry.payload;
  // The pool sends the payload unless this worker said it holds it: a protocol bug, not customer content.
  throw new Error(`content ${request.contentKey} was neither sent nor held by worker ${init.workerId}`);
}

/**
 * The tenant's interpreter for the request's content. A tenant whose content
 * changed gets a new interpreter, not a reload into the old one: modules of
 * rules it no longer has, and whatever they changed in the interpreter, go
 * with it.
 */
async function interpreterFor(request: WorkerRequest): Promise<{ runtime: PyodideRuntime; loadErrors: unknown[] }> {
  const { tenantId, contentKey } = request;
  const existing = interpreters.get(tenantId);
  if (existing && existing.contentKey === contentKey) {
    interpreters.delete(tenantId);
    interpreters.set(tenantId, existing);
    return { runtime: existing.runtime, loadErrors: [] };
  }
  const payload = payloadOf(request);
  drop(tenantId);
  if (interpreters.size >= init.limits.interpretersPerWorker) {
    drop(interpreters.keys().next().value as string);
  }
  Atomics.store(progress, Slot.PHASE, Phase.STARTING);
  const runtime = await PyodideRuntime.start({
    label: `worker-${init.workerId}:tenant:${tenantId}`,
    interruptBuffer: interrupt,
    host: hooksFor(tenantId),
  });
  Atomics.store(progress, Slot.PHASE, Phase.RUNNING);
  const report = runtime.loadContent(payload, JSON.stringify(request.refusedLoads));
  interpreters.set(tenantId, { runtime, contentKey, payload });
  return { runtime, loadErrors: report.loadErrors };
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  let midRun = false;
  try {
    const { runtime, loadErrors } = await interpreterFor(request);
    Atomics.store(progress, Slot.PHASE, Phase.RUNNING);
    const refused = JSON.stringify(request.refused);
    const json =
      request.kind === 'evaluate'
        ? runtime.evaluateBatch(request.eventsJson, refused, request.withTimings ?? false)
        : runtime.runRuleTests(request.testsJson, refused, request.withOutcomes);
    const heldContent = [...new Set([...interpreters.values()].map((entry) => entry.contentKey))];
    return { kind: 'result', id: request.id, json, heapBytes: heapBytes(), loadErrors, heldContent };
  } catch (err) {
    const error = err as Error;
    midRun = Atomics.load(progress, Slot.PHASE) === Phase.RUNNING;
    return { kind: 'failed', id: request.id, message: error.message, stack: error.stack, midRun, heapBytes: heapBytes() };
  } finally {
    // A run that broke its interpreter stays marked as running, so the pool can tell which run it was.
    if (!midRun) Atomics.store(progress, Slot.PHASE, Phase.IDLE);
  }
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  queue = queue.then(async () => port.postMessage(await handle(request)));
});
