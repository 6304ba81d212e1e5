import { Logger, UnavailableError, describeError } from '@caracal/core';
import { RedisClientType, createClient } from 'redis';

export interface RedisConnectionOptions {
  /** The longest connect() may take, TCP connect and handshake together. */
  connectTimeoutMs?: number;
  /** The longest one command may wait for Redis before it fails. */
  commandTimeoutMs?: number;
  logger?: Logger;
  /** What the connection serves, in its log lines and errors ("cache", "seen events"). */
  purpose: string;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_COMMAND_TIMEOUT_MS = 5_000;
const MAX_RECONNECT_DELAY_MS = 2_000;

/** The URL without its credentials, for messages. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the configured Redis URL';
  }
}

/**
 * A connected client, or a retriable UNAVAILABLE error when Redis cannot be
 * reached within the connect timeout. Once connected, a lost connection is
 * re-established in the background while commands fail fast: a caller
 * waiting for a reconnect would hold up its whole batch, while failing lets
 * it decide to retry.
 */
export async function connectRedis(url: string, options: RedisConnectionOptions): Promise<RedisClientType> {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const where = describeRedisUrl(url);
  let connected = false;
  let down = false;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS },
    socket: {
      connectTimeout: connectTimeoutMs,
      // The first connect fails at once so that connectRedis reports it;
      // later ones retry for as long as the client is open.
      reconnectStrategy: (retries) => (connected ? Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS) : false),
    },
  });
  // Without a listener, the client's 'error' events would crash the process.
  client.on('error', (err: unknown) => {
    if (!connected || down) return;
    down = true;
    options.logger?.warn({ redis: where, err: describeError(err) }, `${options.purpose}: lost the connection to Redis; reconnecting`);
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    options.logger?.info({ redis: where }, `${options.purpose}: reconnected to Redis`);
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs);
  });
  try {
    await Promise.race([client.connect(), deadline]);
  } catch (err) {
    client.destroy();
    throw new UnavailableError(`${options.purpose}: cannot connect to Redis at ${where}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
  connected = true;
  return client as RedisClientType;
}

/** Waits for the commands in flight, then closes; a client that lost its connection has nothing to flush and is dropped. */
export async function closeRedis(client: RedisClientType): Promise<void> {
  try {
    await client.close();
  } catch {
    client.destroy();
  }
}
