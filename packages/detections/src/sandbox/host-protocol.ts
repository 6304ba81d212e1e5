/**
 * What crosses the pipe between a detection process pool (parent) and one
 * sandboxed detection host (child). The child serves one tenant and one
 * content for its whole life; everything it learns comes over this pipe.
 */

export interface HostLimits {
  detectionTimeoutMs: number;
  memoryLimitMb: number;
}

/**
 * Runs the pool refuses to repeat → reason. Keys are indexes into one
 * content's payload (`unit:rule` for a run, `*:rule` for a rule refused on
 * every unit, the test index for a test, the rule index for a module load), so
 * they are only ever sent with the content they were recorded for.
 */
export type RefusedRuns = Record<string, string>;

export type ParentMessage =
  | { kind: 'init'; label: string; limits: HostLimits; payload: string; refusedLoads: RefusedRuns }
  /**
   * body: the events, a UTF-8 JSON array (crosses as raw bytes, see frame-codec.ts).
   * withTimings: the reply is `{outcomes, ruleSeconds}` instead of the outcome list.
   * tenantId: the events' own tenant is checked before anything runs (the
   * parent did not read them).
   */
  | { kind: 'evaluate'; id: number; body: Uint8Array; refused: RefusedRuns; withTimings: boolean; tenantId?: string }
  /** body: the tests, a UTF-8 JSON array. */
  | { kind: 'tests'; id: number; body: Uint8Array; refused: RefusedRuns; withOutcomes: boolean }
  /** The answer to the child's last `kv` request. */
  | { kind: 'kv-answer'; answerJson: string };

export type HostMessage =
  | { kind: 'ready'; loadErrors: unknown[]; heapBytes: number }
  /** body: the harness's answer, UTF-8 JSON. */
  | { kind: 'result'; id: number; body: Uint8Array; heapBytes: number }
  /**
   * midRun: the failure came out of Python while a customer run was going (a
   * fatal interpreter error, memory exhausted before the check saw it): the
   * interpreter is not fit to use again. id 0: the start or the content load.
   */
  | { kind: 'failed'; id: number; message: string; midRun: boolean; heapBytes: number; unit?: number; rule?: number }
  /** A caching call, made by the detection of `unit` when one runs; the child blocks until the parent answers with kv-answer. */
  | { kind: 'kv'; requestJson: string; unit?: number }
  /** Sent at most once a second while Python runs: the run in progress. */
  | { kind: 'beat'; unit: number; rule: number; seq: number }
  /** The run passed its time limit and was interrupted. */
  | { kind: 'overdue'; unit: number; rule: number; seq: number }
  /** The overdue run ended (it obeyed the interrupt). */
  | { kind: 'cleared'; seq: number };

/** The unit a module load reports (see LOAD_UNIT in loaded_content.py). */
export const LOAD_UNIT = -1;

/** SIGUSR1: what the Python supervision handler listens to. */
export const SUPERVISION_SIGNAL = 10;
