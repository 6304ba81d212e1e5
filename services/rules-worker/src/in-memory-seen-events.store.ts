import type { SeenEventClaim, SeenEventsStore } from './seen-events.store';

/**
 * A 30-bit FNV-1a hash of a position: small enough to stay an unboxed
 * integer in the map. Two positions of one event that hash alike would let a
 * copy through as if it were the same message (evaluated twice, as without
 * this store), once in about a billion copies.
 */
function positionHash(position: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < position.length; i++) {
    h ^= position.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h & 0x3fffffff;
}

/**
 * The store of embedded mode: one process consumes every partition, so its
 * own memory is shared by everything that evaluates. It holds one entry per
 * event consumed in the window (an hour by default: 3.6 million entries at
 * 1,000 events/s), so an entry is a key and a small integer, not an object:
 * about half the memory of a key with its position and expiry.
 */
export class InMemorySeenEventsStore implements SeenEventsStore {
  // Entries are never refreshed and all live the same window, so insertion
  // order is expiry order: expired ones are always at the front, and the
  // expiry of each is kept once per run of claims made at the same time.
  private readonly seen = new Map<string, number>();
  private readonly runExpiresAtMs: number[] = [];
  private readonly runCounts: number[] = [];
  private runHead = 0;

  constructor(
    private readonly windowSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  claim(claims: readonly SeenEventClaim[]): Promise<boolean[]> {
    const now = this.now();
    this.evictExpired(now);
    let added = 0;
    const answers = claims.map(({ key, position }) => {
      const hash = positionHash(position);
      const found = this.seen.get(key);
      if (found !== undefined) return found === hash;
      this.seen.set(key, hash);
      added++;
      return true;
    });
    if (added > 0) this.addRun(now + this.windowSeconds * 1000, added);
    return Promise.resolve(answers);
  }

  get size(): number {
    return this.seen.size;
  }

  private addRun(expiresAtMs: number, count: number): void {
    const last = this.runExpiresAtMs.length - 1;
    if (last >= this.runHead && this.runExpiresAtMs[last] === expiresAtMs) this.runCounts[last] += count;
    else {
      this.runExpiresAtMs.push(expiresAtMs);
      this.runCounts.push(count);
    }
  }

  private evictExpired(now: number): void {
    while (this.runHead < this.runExpiresAtMs.length && this.runExpiresAtMs[this.runHead] <= now) {
      let count = this.runCounts[this.runHead++];
      for (const key of this.seen.keys()) {
        if (count-- === 0) break;
        this.seen.delete(key);
      }
    }
    // The runs consumed are dropped now and then, not on every eviction.
    if (this.runHead > 1024 && this.runHead * 2 > this.runExpiresAtMs.length) {
      this.runExpiresAtMs.splice(0, this.runHead);
      this.runCounts.splice(0, this.runHead);
      this.runHead = 0;
    }
  }

  close(): Promise<void> {
    this.seen.clear();
    this.runExpiresAtMs.length = 0;
    this.runCounts.length = 0;
    this.runHead = 0;
    return Promise.resolve();
  }
}
