import { InvalidArgumentError } from '@caracal/core';
import { DEFAULT_KEY_TTL_SECONDS, KvCallContext, KvRequest, KvResult, KvStore, MAX_VALUE_BYTES, absoluteExpirySeconds } from './kv-store';

interface Entry {
  counter: number;
  strings: Set<string>;
  dictionary: Record<string, unknown> | undefined;
  expiresAtSeconds: number;
}

function setBytes(values: Set<string>): number {
  let bytes = 0;
  for (const v of values) bytes += Buffer.byteLength(v) + 3;
  return bytes;
}

/**
 * The store of one process: shared by all its detection processes, gone when it
 * exits. Right for embedded mode and tests; kafka mode shares Redis instead.
 */
export class InMemoryKvStore implements KvStore {
  private readonly entries = new Map<string, Entry>();
  /** The clock of the call being served (calls run one at a time: run() is synchronous). */
  private callNowMs = 0;

  /**
   * `nowMs` is the clock entries expire by; it is told where the call was
   * made, so a replay can answer with the time of the event being evaluated.
   */
  constructor(private readonly nowMs: (context: KvCallContext) => number = Date.now) {}

  private now(): number {
    return this.callNowMs / 1000;
  }

  private live(id: string): Entry | undefined {
    const entry = this.entries.get(id);
    if (entry && entry.expiresAtSeconds <= this.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }

  private forWrite(id: string, epochSeconds?: number | null): Entry {
    let entry = this.live(id);
    if (!entry) {
      entry = { counter: 0, strings: new Set(), dictionary: undefined, expiresAtSeconds: this.now() + DEFAULT_KEY_TTL_SECONDS };
      this.entries.set(id, entry);
    }
    if (epochSeconds !== undefined && epochSeconds !== null) entry.expiresAtSeconds = absoluteExpirySeconds(epochSeconds, this.now());
    return entry;
  }

  private static checkSize(values: Set<string>, op: string): void {
    const bytes = setBytes(values);
    if (bytes > MAX_VALUE_BYTES) throw new InvalidArgumentError(`${op}: the string set would be ${bytes} bytes, over the limit of ${MAX_VALUE_BYTES}`);
  }

  execute(tenantId: string, request: KvRequest, context: KvCallContext = {}): Promise<KvResult> {
    try {
      this.callNowMs = this.nowMs(context);
      return Promise.resolve(this.run(`${tenantId}\u0000${request.key}`, request));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private run(id: string, request: KvRequest): KvResult {
    switch (request.op) {
      case 'get_counter':
        return this.live(id)?.counter ?? 0;
      case 'increment_counter': {
        const entry = this.forWrite(id, request.epochSeconds);
        entry.counter += request.val;
        return entry.counter;
      }
      case 'reset_counter': {
        const entry = this.live(id);
        if (entry) entry.counter = 0;
        return null;
      }
      case 'get_string_set':
        return [...(this.live(id)?.strings ?? [])].sort();
      case 'put_string_set': {
        const values = new Set(request.values);
        InMemoryKvStore.checkSize(values, request.op);
        this.forWrite(id, request.epochSeconds).strings = values;
        return null;
      }
      case 'add_to_string_set': {
        const entry = this.live(id);
        const values = new Set([...(entry?.strings ?? []), ...request.values]);
        InMemoryKvStore.checkSize(values, request.op);
        // Checked before the write: a refused add leaves no new entry behind.
        this.forWrite(id, request.epochSeconds).strings = values;
        return [...values].sort();
      }
      case 'remove_from_string_set': {
        const entry = this.live(id);
        if (!entry) return [];
        for (const v of request.values) entry.strings.delete(v);
        if (request.epochSeconds !== undefined && request.epochSeconds !== null) {
          entry.expiresAtSeconds = absoluteExpirySeconds(request.epochSeconds, this.now());
        }
        return [...entry.strings].sort();
      }
      case 'reset_string_set': {
        const entry = this.live(id);
        if (entry) entry.strings = new Set();
        return null;
      }
      case 'get_dictionary': {
        const dictionary = this.live(id)?.dictionary;
        return dictionary === undefined ? {} : structuredClone(dictionary);
      }
      case 'put_dictionary':
        this.forWrite(id, request.epochSeconds).dictionary = structuredClone(request.value);
        return null;
      case 'set_key_expiration': {
        const entry = this.live(id);
        if (entry) entry.expiresAtSeconds = absoluteExpirySeconds(request.epochSeconds, this.now());
        return null;
      }
    }
  }

  close(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }
}
