import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UnavailableError, writeFileDurably } from '@caracal/core';
import { queryKey, type ScheduledRunLedger, type TickClaim, type TickRef, tickKey } from './scheduled-run.ledger';

interface TickEntry {
  state: 'run' | 'done';
  /** The claim's owner and the ledger (process) that took it; for `run` only. */
  owner?: string;
  incarnation?: string;
  untilMs: number;
}

interface LedgerFile {
  since: Record<string, number>;
  ticks: Record<string, TickEntry>;
}

/**
 * The ledger of embedded mode: one JSON file in the data dir, which one
 * `caracal start` process owns. Each change is on disk (a temporary file,
 * datasync, rename) before its call returns. A claim taken by an earlier
 * process that is gone (a crash mid-run) no longer holds: its lease would
 * only delay the run that replaces it.
 */
export class LocalScheduledRunLedger implements ScheduledRunLedger {
  private readonly incarnation = randomUUID();
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly state: LedgerFile,
    private readonly now: () => number,
  ) {}

  /** `dir` holds the ledger's file; `now` is the clock of the leases and marks (tests give their own). */
  static open(dir: string, now: () => number = Date.now): LocalScheduledRunLedger {
    const file = path.join(dir, 'scheduled-runs.json');
    fs.mkdirSync(dir, { recursive: true });
    let state: LedgerFile = { since: {}, ticks: {} };
    if (fs.existsSync(file)) {
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LedgerFile>;
      state = { since: saved.since ?? {}, ticks: saved.ticks ?? {} };
    }
    return new LocalScheduledRunLedger(file, state, now);
  }

  async scheduledSince(tenantId: string, queryName: string, now: Date): Promise<Date> {
    const key = queryKey(tenantId, queryName);
    const earlier = this.state.since[key];
    if (earlier !== undefined) return new Date(earlier);
    this.state.since[key] = now.getTime();
    try {
      await this.save();
    } catch (err) {
      delete this.state.since[key];
      throw err;
    }
    return now;
  }

  async claim(ref: TickRef, owner: string, leaseMs: number): Promise<TickClaim> {
    const key = tickKey(ref);
    const entry = this.live(key);
    if (entry?.state === 'done') return 'done';
    if (entry?.state === 'run') return 'running';
    this.state.ticks[key] = { state: 'run', owner, incarnation: this.incarnation, untilMs: this.now() + leaseMs };
    try {
      await this.save();
    } catch (err) {
      // Not on disk, so not claimed: the caller does not run the tick, and a later claim may.
      delete this.state.ticks[key];
      throw err;
    }
    return 'claimed';
  }

  async markDone(ref: TickRef, keepMs: number): Promise<void> {
    this.state.ticks[tickKey(ref)] = { state: 'done', untilMs: this.now() + keepMs };
    await this.save();
  }

  async release(ref: TickRef, owner: string): Promise<void> {
    const key = tickKey(ref);
    const entry = this.live(key);
    if (entry?.state !== 'run' || entry.owner !== owner) return;
    delete this.state.ticks[key];
    await this.save();
  }

  async close(): Promise<void> {
    await this.writes;
  }

  /** The tick's entry if it still holds: not past its time, and for a claim, taken by this process. */
  private live(key: string): TickEntry | undefined {
    const entry = this.state.ticks[key];
    if (!entry || entry.untilMs <= this.now()) return undefined;
    if (entry.state === 'run' && entry.incarnation !== this.incarnation) return undefined;
    return entry;
  }

  /** Writes the ledger, one write at a time and in order, leaving out what no longer holds. */
  private save(): Promise<void> {
    const write = this.writes.then(async () => {
      for (const key of Object.keys(this.state.ticks)) if (!this.live(key)) delete this.state.ticks[key];
      try {
        await writeFileDurably(this.file, JSON.stringify(this.state));
      } catch (err) {
        throw new UnavailableError(`scheduled runs: cannot write ${this.file}`, { cause: err });
      }
    });
    // The next write waits for this one, whether or not it failed; this call reports its failure.
    this.writes = write.catch(() => undefined);
    return write;
  }
}
