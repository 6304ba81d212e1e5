import { type Logger, UnavailableError } from '@caracal/core';
import { closeRedis, connectRedis } from '@caracal/detections';
import type { RedisClientType } from 'redis';
import { doneMark, type ObjectClaim, readDoneMark, type S3ObjectRef, type S3ProgressStore } from './s3-progress.store';

export interface RedisS3ProgressStoreOptions {
  /** The install (config.kafka.topicPrefix): installs that share one Redis keep their progress apart. */
  namespace?: string;
  connectTimeoutMs?: number;
  logger?: Logger;
}

/** Apart from the detections' cache (caracal:kv:), the seen events (caracal:seen:) and the scheduler (caracal:sched:). */
export const S3_PROGRESS_KEY_PREFIX = 'caracal:s3:';

const RUN = 'run:';
const PRUNE_SCAN_COUNT = 1000;

// Done (this ETag) wins over any claim; otherwise one SET NX claims for one reader among any number.
// KEYS: done hash, claim key. ARGV: object key, etag, claim value, lease ms.
const CLAIM_SCRIPT = `
local mark = redis.call('HGET', KEYS[1], ARGV[1])
if mark then
  local bar = string.find(mark, '|', 1, true)
  if bar and string.sub(mark, bar + 1) == ARGV[2] then return 'done' end
end
if redis.call('SET', KEYS[2], ARGV[3], 'NX', 'PX', ARGV[4]) then return 'claimed' end
return 'running'`;

// Only while the claim is still the caller's: a lease that ended may have been taken by another reader.
const RENEW_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/**
 * The progress of kafka mode, in the Redis it already runs, shared by every
 * ingest replica. Per source, one hash of done marks (object key → when and
 * which ETag) and one key per claimed object (`run:<owner>`, the lease as its
 * expiry).
 */
export class RedisS3ProgressStore implements S3ProgressStore {
  private closed = false;

  private constructor(
    private readonly client: RedisClientType,
    private readonly prefix: string,
  ) {}

  /** Fails with a retriable UNAVAILABLE error when Redis cannot be reached within the connect timeout. */
  static async connect(url: string, options: RedisS3ProgressStoreOptions = {}): Promise<RedisS3ProgressStore> {
    const client = await connectRedis(url, { ...options, purpose: 'S3 source progress' });
    return new RedisS3ProgressStore(client, `${S3_PROGRESS_KEY_PREFIX}${encodeURIComponent(options.namespace ?? '')}:`);
  }

  /** The hash of a source's done marks; exported for tests that look at Redis directly. */
  doneKey(sourceId: string): string {
    return `${this.prefix}${encodeURIComponent(sourceId)}:done`;
  }

  claimKey(ref: S3ObjectRef): string {
    return `${this.prefix}${encodeURIComponent(ref.sourceId)}:claim:${encodeURIComponent(ref.key)}`;
  }

  async doneEtags(sourceId: string, keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (keys.length === 0) return out;
    const marks = await this.command('read done marks', () => this.client.hmGet(this.doneKey(sourceId), keys));
    marks.forEach((mark, i) => {
      if (mark !== null && mark !== undefined) out.set(keys[i], readDoneMark(String(mark)).etag);
    });
    return out;
  }

  async claim(ref: S3ObjectRef, owner: string, leaseMs: number): Promise<ObjectClaim> {
    const result = await this.command('claim an object', () =>
      this.client.eval(CLAIM_SCRIPT, { keys: [this.doneKey(ref.sourceId), this.claimKey(ref)], arguments: [ref.key, ref.etag, `${RUN}${owner}`, String(Math.max(1, Math.ceil(leaseMs)))] }),
    );
    return String(result) as ObjectClaim;
  }

  async renew(ref: S3ObjectRef, owner: string, leaseMs: number): Promise<boolean> {
    const result = await this.command('renew a claim', () =>
      this.client.eval(RENEW_SCRIPT, { keys: [this.claimKey(ref)], arguments: [`${RUN}${owner}`, String(Math.max(1, Math.ceil(leaseMs)))] }),
    );
    return Number(result) === 1;
  }

  async markDone(ref: S3ObjectRef): Promise<void> {
    await this.command('mark an object done', () => this.client.hSet(this.doneKey(ref.sourceId), ref.key, doneMark(ref.etag, Date.now())));
  }

  async release(ref: S3ObjectRef, owner: string): Promise<void> {
    await this.command('release a claim', () => this.client.eval(RELEASE_SCRIPT, { keys: [this.claimKey(ref)], arguments: [`${RUN}${owner}`] }));
  }

  async prune(sourceId: string, listed: ReadonlySet<string>, listedSince: number): Promise<number> {
    const key = this.doneKey(sourceId);
    const gone: string[] = [];
    let cursor = '0';
    do {
      const page = await this.command('scan done marks', () => this.client.hScan(key, cursor, { COUNT: PRUNE_SCAN_COUNT }));
      cursor = String(page.cursor);
      for (const { field, value } of page.entries) {
        if (!listed.has(String(field)) && readDoneMark(String(value)).atMs < listedSince) gone.push(String(field));
      }
    } while (cursor !== '0');
    for (let i = 0; i < gone.length; i += PRUNE_SCAN_COUNT) {
      const part = gone.slice(i, i + PRUNE_SCAN_COUNT);
      await this.command('forget done marks', () => this.client.hDel(key, part));
    }
    return gone.length;
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
      throw new UnavailableError(`S3 source progress: Redis did not answer (${what})`, { cause: err });
    }
  }
}
