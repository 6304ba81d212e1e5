import type { MessagePort } from 'node:worker_threads';
import type { SupervisionMemory } from './supervision-memory';

export interface WorkerLimits {
  detectionTimeoutMs: number;
  memoryLimitMb: number;
  interpretersPerWorker: number;
}

/** What a worker thread is started with (workerData). */
export interface WorkerInit {
  workerId: number;
  limits: WorkerLimits;
  memory: SupervisionMemory;
  kvPort: MessagePort;
  kvBuffer: SharedArrayBuffer;
}

/**
 * Runs the pool refuses to repeat → reason. Keys are indexes into one
 * content's payload (`unit:rule` for a run, the test index for a test, the
 * rule index for a module load), so they are only ever sent with the content
 * they were recorded for.
 */
export type RefusedRuns = Record<string, string>;

/**
 * The content a request runs with. `payload` is sent only when the worker
 * holds no interpreter built from `contentKey` (see WorkerResult.heldContent).
 */
interface RequestBase {
  id: number;
  tenantId: string;
  contentKey: string;
  payload?: string;
  refused: RefusedRuns;
  /** Rules of this content whose module load killed a worker. */
  refusedLoads: RefusedRuns;
}

export type WorkerRequest =
  /** withTimings: the reply is `{outcomes, ruleSeconds}` instead of the outcome list. */
  | (RequestBase & { kind: 'evaluate'; eventsJson: string; withTimings?: boolean })
  | (RequestBase & { kind: 'tests'; testsJson: string; withOutcomes: boolean });

export type WorkerReply =
  | {
      kind: 'result';
      id: number;
      json: string;
      heapBytes: number;
      loadErrors: unknown[];
      /** Content keys of the interpreters the worker holds after this request: it has their payloads. */
      heldContent: string[];
    }
  /**
   * midRun: the failure came out of Python while a customer run was going
   * (a fatal interpreter error, memory exhausted before the supervisor
   * looked): the interpreter is not fit to use again.
   */
  | { kind: 'failed'; id: number; message: string; stack?: string; midRun: boolean; heapBytes: number }
  | { kind: 'log'; level: 'debug' | 'warn'; message: string; fields: Record<string, unknown> };
