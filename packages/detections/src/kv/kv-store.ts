/**
 * The store behind `panther_detection_helpers.caching`. Every detection process
 * and every rules-worker process of a tenant must see the same values, so the
 * store lives outside the interpreters: in the rules process (embedded mode,
 * tests) or in Redis (kafka mode). Python reaches it over its process's pipe,
 * and the parent names the tenant.
 */

/**
 * Writes give a new key this lifetime (Panther's helpers use 90 days). A write
 * with `epochSeconds` sets the entry's expiry instead, new or not: Panther's
 * helpers send one with every write, so an entry lives on while it is written.
 */
export const DEFAULT_KEY_TTL_SECONDS = 90 * 24 * 3600;
/** An expiration below this is a duration from now, at or above it an epoch. */
export const RELATIVE_EXPIRY_LIMIT_SECONDS = 1_000_000_000;
/** The most a string set or dictionary may hold, serialised (DynamoDB's item limit). */
export const MAX_VALUE_BYTES = 400 * 1024;

export type KvRequest =
  | { op: 'get_counter'; key: string }
  | { op: 'increment_counter'; key: string; val: number; epochSeconds?: number | null }
  | { op: 'reset_counter'; key: string }
  | { op: 'get_string_set'; key: string }
  | { op: 'put_string_set'; key: string; values: string[]; epochSeconds?: number | null }
  | { op: 'add_to_string_set'; key: string; values: string[]; epochSeconds?: number | null }
  | { op: 'remove_from_string_set'; key: string; values: string[]; epochSeconds?: number | null }
  | { op: 'reset_string_set'; key: string }
  | { op: 'get_dictionary'; key: string }
  | { op: 'put_dictionary'; key: string; value: Record<string, unknown>; epochSeconds?: number | null }
  | { op: 'set_key_expiration'; key: string; epochSeconds: number };

export type KvOperation = KvRequest['op'];

/**
 * Counters answer a number, string sets a sorted list, dictionaries an object,
 * and operations without a value null.
 */
export type KvResult = number | string[] | Record<string, unknown> | null;

/**
 * Where in a run a call was made: the unit (the event's index in the batch
 * the detection process was given) whose detection made it, when one was
 * running. A replay's store reads its clock from it; live stores ignore it.
 */
export interface KvCallContext {
  unit?: number;
}

export interface KvStore {
  /** The tenant scopes every key: tenants never see each other's values. */
  execute(tenantId: string, request: KvRequest, context?: KvCallContext): Promise<KvResult>;
  close(): Promise<void>;
}

/** The absolute expiry (epoch seconds) that `epochSeconds` asks for at `nowSeconds`. */
export function absoluteExpirySeconds(epochSeconds: number, nowSeconds: number): number {
  return epochSeconds < RELATIVE_EXPIRY_LIMIT_SECONDS ? nowSeconds + epochSeconds : epochSeconds;
}
