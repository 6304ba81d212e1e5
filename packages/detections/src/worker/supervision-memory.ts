/**
 * Memory shared between the pool (main thread) and one worker thread: the only
 * way to watch and stop a worker whose thread is busy running Python.
 */

/** SIGUSR1: what the Python supervision handler listens to. */
export const SUPERVISION_SIGNAL = 10;

/** Slots of the progress array. */
export const Slot = {
  /** Sequence number of the current (or last) run, written by Python at its start. */
  SEQ: 0,
  /** Its unit (event or test index; -1 while loading a module). */
  UNIT: 1,
  /** Its rule index in the content payload. */
  RULE: 2,
  /** The run the pool declared overdue; Python stops it if it is still the current one. */
  OVERDUE_SEQ: 3,
  /** Phase of the worker, see Phase. */
  PHASE: 4,
} as const;

export const Phase = {
  IDLE: 0,
  /** Starting an interpreter (Pyodide itself): slow, not customer code. */
  STARTING: 1,
  /** Python is running customer code: runs are timed. */
  RUNNING: 2,
} as const;

export interface SupervisionMemory {
  /** Pyodide's interrupt buffer: a signal number, cleared by Python when seen. */
  interrupt: Int32Array;
  progress: Int32Array;
}

export function createSupervisionMemory(): SupervisionMemory {
  return {
    interrupt: new Int32Array(new SharedArrayBuffer(4)),
    progress: new Int32Array(new SharedArrayBuffer(8 * 4)),
  };
}
