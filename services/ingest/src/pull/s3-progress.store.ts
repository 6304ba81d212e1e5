/** One version of one object of an S3 source: a key rewritten with new content has a new ETag, and is read again. */
export interface S3ObjectRef {
  sourceId: string;
  key: string;
  etag: string;
}

/**
 * What a claim found: `claimed`, the caller reads the object now; `running`,
 * another reader's lease on it has not ended; `done`, this version's events
 * are all published.
 */
export type ObjectClaim = 'claimed' | 'running' | 'done';

/**
 * Which objects of each S3 source were read (decision 0029), in the shape of
 * the scheduler's run ledger (decision 0025): an object is claimed for a
 * lease before it is read, so that several ingest replicas do not each read
 * it, and marked done only once all its events are acknowledged by the bus.
 * A reader that dies mid-object leaves a lease that ends; the object is then
 * claimed and read again, whole, and its events get the same row ids.
 */
export interface S3ProgressStore {
  /** Of `keys`, those with a done mark, and the ETag each was marked with. */
  doneEtags(sourceId: string, keys: string[]): Promise<Map<string, string>>;
  /** Claims the object for `owner` for `leaseMs`, unless this version is done or another lease on the key holds. */
  claim(ref: S3ObjectRef, owner: string, leaseMs: number): Promise<ObjectClaim>;
  /** Extends a claim that is still `owner`'s; false when it is not (it ended and another reader took it). */
  renew(ref: S3ObjectRef, owner: string, leaseMs: number): Promise<boolean>;
  /** Every event of this version of the object is published: it is not claimed again. */
  markDone(ref: S3ObjectRef): Promise<void>;
  /** Gives up a claim that is still `owner`'s, so that the object may be claimed again at once. */
  release(ref: S3ObjectRef, owner: string): Promise<void>;
  /**
   * Forgets the done marks of keys that a complete listing, begun at
   * `listedSince` (epoch ms), no longer found (the objects were deleted or
   * expired): the marks would otherwise grow for ever. A mark made after the
   * listing began is kept, since the listing may have passed its key before
   * the object existed. Returns how many were forgotten.
   */
  prune(sourceId: string, listed: ReadonlySet<string>, listedSince: number): Promise<number>;
  close(): Promise<void>;
}

/** How a done mark is kept: the ETag and when it was marked, so that prune can tell a mark newer than its listing. */
export function doneMark(etag: string, atMs: number): string {
  return `${atMs}|${etag}`;
}

export function readDoneMark(mark: string): { etag: string; atMs: number } {
  const bar = mark.indexOf('|');
  return { atMs: Number(mark.slice(0, bar)), etag: mark.slice(bar + 1) };
}
