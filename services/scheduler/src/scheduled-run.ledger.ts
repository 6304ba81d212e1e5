/** One tick of one tenant's scheduled query. */
export interface TickRef {
  tenantId: string;
  queryName: string;
  tick: Date;
}

/**
 * What a claim found: `claimed`, the caller runs the tick now; `running`,
 * another owner's lease on it has not ended; `done`, its outputs are out.
 */
export type TickClaim = 'claimed' | 'running' | 'done';

/**
 * Which ticks of which queries ran (decision 0025). Every scheduler replica
 * asks the same ledger, so that each tick runs once whoever asks: a tick is
 * claimed for a lease before it runs, and marked done once its outputs are
 * published. A lease that ends without the mark (its owner died mid-run)
 * leaves the tick to be claimed again.
 */
export interface ScheduledRunLedger {
  /**
   * When the query was first scheduled: the `now` of the first call for it,
   * whoever made it. Ticks before it are not caught up.
   */
  scheduledSince(tenantId: string, queryName: string, now: Date): Promise<Date>;
  /** Claims the tick for `owner` for `leaseMs`, unless another lease on it holds or it is done. */
  claim(ref: TickRef, owner: string, leaseMs: number): Promise<TickClaim>;
  /** The tick's outputs are published: it is not claimed again while the mark is kept (`keepMs`). */
  markDone(ref: TickRef, keepMs: number): Promise<void>;
  /** Gives up a claim that is still `owner`'s, so that the tick may be claimed again at once (its run failed). */
  release(ref: TickRef, owner: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The ledger's name for a query of a tenant: each part URI-encoded, so that
 * no tenant id or query name can reach into another's keys through the ':'.
 */
export function queryKey(tenantId: string, queryName: string): string {
  return `${encodeURIComponent(tenantId)}:${encodeURIComponent(queryName)}`;
}

/** The ledger's name for a tick: its query's and the tick's UTC milliseconds. */
export function tickKey(ref: TickRef): string {
  return `${queryKey(ref.tenantId, ref.queryName)}:${ref.tick.getTime()}`;
}
