import { InvalidArgumentError, Logger, UnavailableError, describeError } from '@caracal/core';
import type { RedisClientType } from 'redis';
import { closeRedis, connectRedis } from './redis-connection';
import { DEFAULT_KEY_TTL_SECONDS, KvOperation, KvRequest, KvResult, KvStore, MAX_VALUE_BYTES, RELATIVE_EXPIRY_LIMIT_SECONDS } from './kv-store';
import {
  ADD_TO_STRING_SET,
  INCREMENT_COUNTER,
  PUT_FIELD,
  REMOVE_FROM_STRING_SET,
  RESET_FIELD,
  RedisKvScript,
  SET_TOO_LARGE_REPLY,
} from './redis-kv-scripts';

export interface RedisKvStoreOptions {
  /** The longest connect() may take, TCP connect and handshake together. */
  connectTimeoutMs?: number;
  /** The longest one operation may wait for Redis before it fails as UNAVAILABLE. */
  commandTimeoutMs?: number;
  logger?: Logger;
}

// PEXPIREAT refuses times past what a 64-bit millisecond count holds; an
// epoch beyond this (285,000 years) is "never" for every practical purpose.
const MAX_EXPIRY_MS = Number.MAX_SAFE_INTEGER;

/**
 * One part of a Redis key name: every character outside [A-Za-z0-9._~-]
 * becomes %XXXX (its UTF-16 code unit). The parts then never hold ':' and the
 * encoding is reversible, so no two (tenant, key) pairs can name the same
 * entry, whatever characters tenant ids and keys contain.
 */
function keyPart(value: string): string {
  return value.replace(/[^A-Za-z0-9._~-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The Redis key of a tenant's entry; exported for tests that look at Redis directly. */
export function redisEntryKey(tenantId: string, key: string): string {
  return `caracal:kv:${keyPart(tenantId)}:${keyPart(key)}`;
}

/** Where a URL points, without the credentials it may carry, for messages. */
function setBytes(values: Set<string>): number {
  let bytes = 0;
  for (const v of values) bytes += Buffer.byteLength(v) + 3;
  return bytes;
}

function setTooLarge(op: KvOperation, bytes: number | string): InvalidArgumentError {
  return new InvalidArgumentError(`${op}: the string set would be ${bytes} bytes, over the limit of ${MAX_VALUE_BYTES}`);
}

/** In JavaScript's order (UTF-16 code units), the one InMemoryKvStore answers in. */
function sorted(members: unknown): string[] {
  return (members as string[]).slice().sort();
}

/** The expiry as a script argument pair: a duration from Redis's clock, or an epoch. */
function expiryArgs(epochSeconds: number | null | undefined): [string, string] {
  if (epochSeconds === undefined || epochSeconds === null) return ['none', '0'];
  const ms = Math.min(Math.round(epochSeconds * 1000), MAX_EXPIRY_MS);
  return [epochSeconds < RELATIVE_EXPIRY_LIMIT_SECONDS ? 'relative' : 'absolute', String(ms)];
}

/**
 * The store of kafka mode: every rules-worker process of a tenant reads and
 * writes the same entries. Same behaviour as InMemoryKvStore (the shared
 * contract tests hold both to it); expiry is Redis's own TTL, so it follows
 * the server's clock.
 */
export class RedisKvStore implements KvStore {
  private closed = false;

  private constructor(private readonly client: RedisClientType) {}

  /**
   * Connects, failing with a retriable UNAVAILABLE error when Redis cannot be
   * reached within the connect timeout (see connectRedis).
   */
  static async connect(url: string, options: RedisKvStoreOptions = {}): Promise<RedisKvStore> {
    const client = await connectRedis(url, { ...options, purpose: 'cache' });
    return new RedisKvStore(client);
  }

  async execute(tenantId: string, request: KvRequest): Promise<KvResult> {
    const entry = redisEntryKey(tenantId, request.key);
    try {
      return await this.run(entry, request);
    } catch (err) {
      if (err instanceof InvalidArgumentError) throw err;
      const message = err instanceof Error ? err.message : '';
      if (message.startsWith(SET_TOO_LARGE_REPLY)) throw setTooLarge(request.op, message.slice(SET_TOO_LARGE_REPLY.length).trim());
      throw new UnavailableError(`cache: ${request.op} failed: Redis did not complete it`, { cause: err });
    }
  }

  private async run(entry: string, request: KvRequest): Promise<KvResult> {
    const ttl = String(DEFAULT_KEY_TTL_SECONDS);
    switch (request.op) {
      case 'get_counter': {
        const value = await this.client.hGet(entry, 'counter');
        return value === null || value === undefined ? 0 : Number(value);
      }
      case 'increment_counter':
        return Number(await this.runScript(INCREMENT_COUNTER, entry, [String(request.val), ttl, ...expiryArgs(request.epochSeconds)]));
      case 'reset_counter':
        await this.runScript(RESET_FIELD, entry, ['counter', '0']);
        return null;
      case 'get_string_set': {
        const value = await this.client.hGet(entry, 'strings');
        return value === null || value === undefined ? [] : sorted(JSON.parse(value));
      }
      case 'put_string_set': {
        const values = new Set(request.values);
        const bytes = setBytes(values);
        if (bytes > MAX_VALUE_BYTES) throw setTooLarge(request.op, bytes);
        await this.runScript(PUT_FIELD, entry, ['strings', JSON.stringify([...values]), ttl, ...expiryArgs(request.epochSeconds)]);
        return null;
      }
      case 'add_to_string_set':
        return sorted(
          await this.runScript(ADD_TO_STRING_SET, entry, [String(MAX_VALUE_BYTES), ttl, ...expiryArgs(request.epochSeconds), ...request.values]),
        );
      case 'remove_from_string_set':
        return sorted(await this.runScript(REMOVE_FROM_STRING_SET, entry, [...expiryArgs(request.epochSeconds), ...request.values]));
      case 'reset_string_set':
        await this.runScript(RESET_FIELD, entry, ['strings', '[]']);
        return null;
      case 'get_dictionary': {
        const value = await this.client.hGet(entry, 'dictionary');
        return value === null || value === undefined ? {} : (JSON.parse(value) as Record<string, unknown>);
      }
      case 'put_dictionary': {
        const json = JSON.stringify(request.value);
        const bytes = Buffer.byteLength(json);
        if (bytes > MAX_VALUE_BYTES) {
          throw new InvalidArgumentError(`put_dictionary: the value is ${bytes} bytes serialised, over the limit of ${MAX_VALUE_BYTES}`);
        }
        await this.runScript(PUT_FIELD, entry, ['dictionary', json, ttl, ...expiryArgs(request.epochSeconds)]);
        return null;
      }
      case 'set_key_expiration': {
        // One command, so atomic as it is; on a missing entry it does nothing.
        const [mode, ms] = expiryArgs(request.epochSeconds);
        await this.client.sendCommand([mode === 'relative' ? 'PEXPIRE' : 'PEXPIREAT', entry, ms]);
        return null;
      }
    }
  }

  /** EVALSHA, falling back to EVAL when Redis does not have the script (yet, or since a restart). */
  private async runScript(script: RedisKvScript, entry: string, args: string[]): Promise<unknown> {
    try {
      return await this.client.sendCommand(['EVALSHA', script.sha1, '1', entry, ...args]);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return this.client.sendCommand(['EVAL', script.source, '1', entry, ...args]);
    }
  }

  /** Waits for the operations in flight, then closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await closeRedis(this.client);
  }
}
