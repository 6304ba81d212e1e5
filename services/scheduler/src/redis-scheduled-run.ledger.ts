import { Logger, UnavailableError } from '@caracal/core';
import { closeRedis, connectRedis } from '@caracal/detections';
import type { RedisClientType } from 'redis';
import { queryKey, type ScheduledRunLedger, type TickClaim, type TickRef, tickKey } from './scheduled-run.ledger';

export interface RedisScheduledRunLedgerOptions {
  /** The install (config.kafka.topicPrefix): installs that share one Redis keep their ticks apart. */
  namespace?: string;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  logger?: Logger;
}

/** Apart from the detections' cache (caracal:kv:) and the seen events (caracal:seen:). */
export const SCHEDULED_RUN_KEY_PREFIX = 'caracal:sched:';

const DONE = 'done';
const RUN = 'run:';

// Deletes the claim only while it is still the caller's: a lease that ended and was taken by
// another owner is not the caller's to release.
const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/**
 * The ledger of kafka mode, in the Redis it already runs. A tick is one key:
 * `run:<owner>` with the lease as its expiry while it is claimed, `done`
 * (kept for the catch-up window) once its outputs are out. `SET ... NX GET`
 * claims and reads it in one atomic command, so of any number of replicas
 * exactly one gets the claim.
 */
export class RedisScheduledRunLedger implements ScheduledRunLedger {
  private closed = false;

  private constructor(
    private readonly client: RedisClientType,
    private readonly prefix: string,
  ) {}

  /** Fails with a retriable UNAVAILABLE error when Redis cannot be reached within the connect timeout. */
  static async connect(url: string, options: RedisScheduledRunLedgerOptions = {}): Promise<RedisScheduledRunLedger> {
    const client = await connectRedis(url, { ...options, purpose: 'scheduled runs' });
    return new RedisScheduledRunLedger(client, `${SCHEDULED_RUN_KEY_PREFIX}${encodeURIComponent(options.namespace ?? '')}:`);
  }

  /** The Redis key of a tick or of a query's start; exported for tests that look at Redis directly. */
  keyOf(ref: TickRef): string {
    return `${this.prefix}tick:${tickKey(ref)}`;
  }

  async scheduledSince(tenantId: string, queryName: string, now: Date): Promise<Date> {
    const earlier = await this.command('read when the query was first scheduled', () =>
      this.client.set(`${this.prefix}since:${queryKey(tenantId, queryName)}`, String(now.getTime()), { condition: 'NX', GET: true }),
    );
    return earlier === null || earlier === undefined ? now : new Date(Number(earlier));
  }

  async claim(ref: TickRef, owner: string, leaseMs: number): Promise<TickClaim> {
    const held = await this.command('claim a tick', () =>
      this.client.set(this.keyOf(ref), `${RUN}${owner}`, { condition: 'NX', GET: true, expiration: { type: 'PX', value: Math.max(1, Math.ceil(leaseMs)) } }),
    );
    if (held === null || held === undefined) return 'claimed';
    return String(held) === DONE ? 'done' : 'running';
  }

  async markDone(ref: TickRef, keepMs: number): Promise<void> {
    await this.command('mark a tick done', () => this.client.set(this.keyOf(ref), DONE, { expiration: { type: 'PX', value: Math.max(1, Math.ceil(keepMs)) } }));
  }

  async release(ref: TickRef, owner: string): Promise<void> {
    await this.command('release a tick', () => this.client.eval(RELEASE_SCRIPT, { keys: [this.keyOf(ref)], arguments: [`${RUN}${owner}`] }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await closeRedis(this.client);
  }

  private async command<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw new UnavailableError(`scheduled runs: Redis did not answer (${what})`, { cause: err });
    }
  }
}
