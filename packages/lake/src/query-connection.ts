import type { CaracalConfig } from '@caracal/core';
import { createLakeClient, LakeClient } from './lake-client';

/**
 * Runs `fn` with an engine client for one tenant query. On a server that is
 * the shared HTTP client: each request stands alone. On chDB it is a fresh
 * connection to the same data directory, closed afterwards, because a chDB
 * connection runs one query at a time (a tenant's slow query would hold up
 * the writer and everyone else on a shared one), and because chDB 3.4 keeps
 * what a query wrote before it failed or was killed and prepends it to the
 * next result on that connection: on a shared connection one tenant's partial
 * rows would reach whoever queries next. A connection costs about a
 * millisecond to open.
 */
export async function withQueryClient<T>(config: CaracalConfig, shared: LakeClient, fn: (client: LakeClient) => Promise<T>): Promise<T> {
  if (config.clickhouse.url) return fn(shared);
  const client = createLakeClient(config);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
