import { SUPERVISION_SIGNAL } from './host-protocol';

/**
 * Times the runs of the one interpreter in a detection host, from inside it.
 *
 * Pyodide reads `buffer[0]` of its interrupt buffer every few bytecodes to
 * learn of a signal; it does not have to be shared memory. This object answers
 * that read: every TICK_MS it delivers the supervision signal, so Python's
 * handler can check the run's time and the interpreter's memory, exactly as
 * it did when a watchdog thread wrote the signal. Nothing else runs in the
 * host while Python does, so the read is the only moment to look.
 *
 * Python does not call the host when a run begins (that call cost more than
 * many rules): it writes the run into a word of wasm memory, and the clock
 * reads it at each tick (`follow`). A run is thus first seen up to one tick
 * after it began, and is timed from then: it gets its limit and at most a
 * tick more, never less.
 */
const TICK_MS = 100;
const BEAT_MS = 1_000;

export interface RunReport {
  unit: number;
  rule: number;
  seq: number;
}

/** What verdict() answers Python's signal handler (VERDICT_* in supervision.py). */
export const VERDICT_NONE = 0;
export const VERDICT_TIMEOUT = 1;
export const VERDICT_MEMORY = 2;

/** Where Python is: the run it wrote last, or undefined between runs. */
export type RunLocator = () => { unit: number; rule: number } | undefined;

export interface SupervisionClockOptions {
  timeLimitMs: number;
  memoryLimitBytes: number;
  heapBytes(): number;
  /** Told of the run in progress at most once a second, so the parent can name it if it has to kill us. */
  beat(run: RunReport): void;
  overdue(run: RunReport): void;
  cleared(seq: number): void;
  now?: () => number;
}

export class SupervisionClock {
  private seq = 0;
  private run: RunReport | undefined;
  private runStartMs = 0;
  private runStartHeapBytes = 0;
  private overdueSeq = 0;
  private lastTickMs = 0;
  private lastBeatMs = 0;
  private locate: RunLocator | undefined;
  private readonly now: () => number;

  /** What Pyodide is given as its interrupt buffer. */
  readonly interruptBuffer: { [index: number]: number };

  constructor(private readonly options: SupervisionClockOptions) {
    this.now = options.now ?? Date.now;
    const clock = this;
    this.interruptBuffer = Object.defineProperty(Object.create(null) as { [index: number]: number }, 0, {
      get: () => clock.poll(),
      // Pyodide clears the word after reading a signal; there is nothing to clear.
      set: () => undefined,
    });
  }

  /** From now on the run in progress is read with `locate` at each tick, instead of being told with begin and end. */
  follow(locate: RunLocator): void {
    this.locate = locate;
  }

  /** Brings the current run up to date with where Python is (when following it). */
  observe(): void {
    const locate = this.locate;
    if (!locate) return;
    const where = locate();
    if (where) this.begin(where.unit, where.rule);
    else this.end();
  }

  /**
   * Python's signal handler asks whether its run must stop. Looked at afresh:
   * a signal handled after its run ended must not stop the next one.
   */
  verdict(): number {
    this.observe();
    const run = this.run;
    if (!run) return VERDICT_NONE;
    if (this.overdueSeq === run.seq) return VERDICT_TIMEOUT;
    return this.memoryExceeded() ? VERDICT_MEMORY : VERDICT_NONE;
  }

  /**
   * A run starts (read from Python, or told); answers its sequence number.
   * The harness's runs only move forward ((unit, rule) grows within a
   * request); a call that does not is customer code that found the hook and
   * wants a fresh clock, and is the same run still.
   */
  begin(unit: number, rule: number): number {
    const run = this.run;
    if (run && (unit < run.unit || (unit === run.unit && rule <= run.rule))) return run.seq;
    this.end();
    this.seq = this.seq >= 0x7fffffff ? 1 : this.seq + 1;
    this.run = { unit, rule, seq: this.seq };
    this.runStartMs = this.now();
    this.runStartHeapBytes = this.options.heapBytes();
    return this.seq;
  }

  /** Between runs (and after a request): an overdue run that ended is no longer a reason to kill. */
  end(): void {
    if (this.run && this.overdueSeq === this.run.seq) this.options.cleared(this.run.seq);
    this.run = undefined;
  }

  currentRun(): RunReport | undefined {
    return this.run;
  }

  overdue(): number {
    return this.overdueSeq;
  }

  /** Only a run that is itself growing the memory is stopped: memory never shrinks. */
  memoryExceeded(): boolean {
    const bytes = this.options.heapBytes();
    return bytes > this.options.memoryLimitBytes && bytes > this.runStartHeapBytes;
  }

  private poll(): number {
    const now = this.now();
    if (now - this.lastTickMs < TICK_MS) return 0;
    this.lastTickMs = now;
    this.observe();
    const run = this.run;
    if (!run) return 0;
    if (now - this.lastBeatMs >= BEAT_MS) {
      this.lastBeatMs = now;
      this.options.beat(run);
    }
    if (this.overdueSeq !== run.seq && now - this.runStartMs > this.options.timeLimitMs) {
      this.overdueSeq = run.seq;
      this.options.overdue(run);
    }
    return SUPERVISION_SIGNAL;
  }
}
