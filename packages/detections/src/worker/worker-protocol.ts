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
  contentPayload: string;
  limits: WorkerLimits;
  memory: SupervisionMemory;
  kvPort: MessagePort;
  kvBuffer: SharedArrayBuffer;
}

/** Runs the pool refuses to repeat: key `unit:rule` (or rule index for loads) → reason. */
export type RefusedRuns = Record<string, string>;

export type WorkerRequest =
  | { kind: 'evaluate'; id: number; tenantId: string; eventsJson: string; refused: RefusedRuns; refusedRules: RefusedRuns }
  | { kind: 'tests'; id: number; tenantId: string; testsJson: string; refused: RefusedRuns; refusedRules: RefusedRuns };

export type WorkerReply =
  | { kind: 'result'; id: number; json: string; heapBytes: number; loadErrors: unknown[] }
  | { kind: 'failed'; id: number; message: string; stack?: string }
  | { kind: 'log'; level: 'debug' | 'warn'; message: string; fields: Record<string, unknown> };
