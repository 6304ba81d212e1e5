import type { SeenEventClaim, SeenEventsStore } from './seen-events.store';

interface Seen {
  position: string;
  expiresAtMs: number;
}

/**
 * The store of embedded mode: one process consumes every partition, so its
 * own memory is shared by everything that evaluates. One entry per event
 * consumed in the window.
 */
export class InMemorySeenEventsStore implements SeenEventsStore {
  // Entries are never refreshed and all live the same window, so insertion
  // order is expiry order: expired ones are always at the front.
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly windowSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  claim(claims: readonly SeenEventClaim[]): Promise<boolean[]> {
    const now = this.now();
    this.evictExpired(now);
    const answers = claims.map(({ key, position }) => {
      const found = this.seen.get(key);
      if (found && found.expiresAtMs > now) return found.position === position;
      // Deleted first so that the entry moves to the back (the order of expiry).
      this.seen.delete(key);
      this.seen.set(key, { position, expiresAtMs: now + this.windowSeconds * 1000 });
      return true;
    });
    return Promise.resolve(answers);
  }

  get size(): number {
    return this.seen.size;
  }

  private evictExpired(now: number): void {
    for (const [key, entry] of this.seen) {
      if (entry.expiresAtMs > now) return;
      this.seen.delete(key);
    }
  }

  close(): Promise<void> {
    this.seen.clear();
    return Promise.resolve();
  }
}
