import { hash } from 'node:crypto';
import type { SeenEventClaim, SeenEventsStore } from './seen-events.store';

/**
 * A 30-bit FNV-1a hash of a position. Two positions of one event that hash
 * alike would let a copy through as if it were the same message (evaluated
 * twice, as without this store), once in about a billion copies.
 */
function positionHash(position: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < position.length; i++) {
    h ^= position.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h & 0x3fffffff;
}

// A slot's mark word: empty, a tombstone (an expired entry, so probes go on
// past it), or the position hash with the top bit set.
const EMPTY = 0;
const TOMBSTONE = 1;
const HELD = 0x80000000;
const POSITION_BITS = 0x3fffffff;
const MIN_SLOTS = 1024;
const MAX_LOAD = 0.75;

/**
 * The store of embedded mode: one process consumes every partition, so its
 * own memory is shared by everything that evaluates. It holds one entry per
 * event consumed in the window (an hour by default: 36 million entries at
 * 10,000 events/s), so entries live in typed arrays, outside the V8 heap's
 * objects: 96 bits of the key's SHA-256 and the position hash in an
 * open-addressed table, and a queue of slots in claim order for expiry. That
 * is about 38 bytes an entry at a million, where a Map of strings took 93.
 *
 * Why 96 bits of a cryptographic hash: two keys that share a digest would
 * make the second event a "copy" and skip its evaluation. With 96 bits that
 * is once in about 2^96 / (entries held) claims, and no tenant can aim a
 * collision at another tenant's event.
 */
export class InMemorySeenEventsStore implements SeenEventsStore {
  private digests = new Uint32Array(MIN_SLOTS * 3);
  private marks = new Uint32Array(MIN_SLOTS);
  private mask = MIN_SLOTS - 1;
  private live = 0;
  private tombstones = 0;

  // Entries are never refreshed and all live the same window, so claim order
  // is expiry order: the queue's head is always the next to expire, and the
  // expiry is kept once per run of claims made at the same time.
  private queue = new Uint32Array(MIN_SLOTS);
  private queueHead = 0;
  private queueLength = 0;
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
    const answers = new Array<boolean>(claims.length);
    for (let c = 0; c < claims.length; c++) {
      const digest = hash('sha256', claims[c].key, 'buffer');
      const d0 = digest.readUInt32LE(0);
      const d1 = digest.readUInt32LE(4);
      const d2 = digest.readUInt32LE(8);
      const position = positionHash(claims[c].position);
      const slot = this.probe(d0, d1, d2);
      if (slot >= 0) {
        answers[c] = (this.marks[slot] & POSITION_BITS) === position;
        continue;
      }
      this.put(-1 - slot, d0, d1, d2, position);
      this.enqueue(-1 - slot);
      added++;
      answers[c] = true;
      if (this.live + this.tombstones > (this.mask + 1) * MAX_LOAD) this.rehash();
    }
    if (added > 0) this.addRun(now + this.windowSeconds * 1000, added);
    return Promise.resolve(answers);
  }

  get size(): number {
    return this.live;
  }

  /** The slot holding the digest, or -1 - the slot to put it in. */
  private probe(d0: number, d1: number, d2: number): number {
    const { digests, marks, mask } = this;
    let free = -1;
    for (let i = d0 & mask; ; i = (i + 1) & mask) {
      const mark = marks[i];
      if (mark === EMPTY) return -1 - (free >= 0 ? free : i);
      if (mark === TOMBSTONE) {
        if (free < 0) free = i;
      } else if (digests[i * 3] === d0 && digests[i * 3 + 1] === d1 && digests[i * 3 + 2] === d2) {
        return i;
      }
    }
  }

  private put(slot: number, d0: number, d1: number, d2: number, position: number): void {
    if (this.marks[slot] === TOMBSTONE) this.tombstones--;
    this.digests[slot * 3] = d0;
    this.digests[slot * 3 + 1] = d1;
    this.digests[slot * 3 + 2] = d2;
    this.marks[slot] = (HELD | position) >>> 0;
    this.live++;
  }

  private enqueue(slot: number): void {
    if (this.queueLength === this.queue.length) {
      const grown = new Uint32Array(this.queue.length * 2);
      for (let k = 0; k < this.queueLength; k++) grown[k] = this.queue[(this.queueHead + k) & (this.queue.length - 1)];
      this.queue = grown;
      this.queueHead = 0;
    }
    this.queue[(this.queueHead + this.queueLength) & (this.queue.length - 1)] = slot;
    this.queueLength++;
  }

  /**
   * A new table sized for the entries held (at most half full), filled in
   * claim order, and a new queue of their new slots in the same order.
   */
  private rehash(): void {
    let slots = MIN_SLOTS;
    while (slots * 0.5 < this.live) slots *= 2;
    let queueSlots = MIN_SLOTS;
    while (queueSlots < this.queueLength) queueSlots *= 2;
    const old = { digests: this.digests, marks: this.marks, queue: this.queue, queueMask: this.queue.length - 1, head: this.queueHead, length: this.queueLength };
    this.allocate(slots, queueSlots);
    for (let k = 0; k < old.length; k++) {
      const from = old.queue[(old.head + k) & old.queueMask];
      const d0 = old.digests[from * 3];
      const d1 = old.digests[from * 3 + 1];
      const d2 = old.digests[from * 3 + 2];
      const to = -1 - this.probe(d0, d1, d2);
      this.put(to, d0, d1, d2, old.marks[from] & POSITION_BITS);
      this.queue[k] = to;
    }
    this.queueLength = old.length;
  }

  /** Empty arrays of these sizes: nothing held, nothing queued. */
  private allocate(slots: number, queueSlots: number): void {
    this.digests = new Uint32Array(slots * 3);
    this.marks = new Uint32Array(slots);
    this.mask = slots - 1;
    this.queue = new Uint32Array(queueSlots);
    this.queueHead = 0;
    this.queueLength = 0;
    this.live = 0;
    this.tombstones = 0;
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
    let evicted = 0;
    while (this.runHead < this.runExpiresAtMs.length && this.runExpiresAtMs[this.runHead] <= now) {
      const count = this.runCounts[this.runHead++];
      const queueMask = this.queue.length - 1;
      for (let k = 0; k < count; k++) {
        this.marks[this.queue[this.queueHead]] = TOMBSTONE;
        this.queueHead = (this.queueHead + 1) & queueMask;
      }
      this.queueLength -= count;
      this.live -= count;
      this.tombstones += count;
      evicted += count;
    }
    // The runs consumed are dropped now and then, not on every eviction.
    if (this.runHead > 1024 && this.runHead * 2 > this.runExpiresAtMs.length) {
      this.runExpiresAtMs.splice(0, this.runHead);
      this.runCounts.splice(0, this.runHead);
      this.runHead = 0;
    }
    // After a burst has expired the table gives its memory back.
    if (evicted > 0 && this.mask + 1 > MIN_SLOTS && this.live * 8 < this.mask + 1) this.rehash();
  }

  close(): Promise<void> {
    this.allocate(MIN_SLOTS, MIN_SLOTS);
    this.runExpiresAtMs.length = 0;
    this.runCounts.length = 0;
    this.runHead = 0;
    return Promise.resolve();
  }
}
