import { CaracalClient } from '@caracal/api';
import { CaracalConfig } from '@caracal/core';
import { resolveApiAccess } from './client-credentials';

/** Every command that talks to the API takes these (cli-program.ts `apiOptions`). */
export interface ApiFlags {
  endpoint?: string;
  token?: string;
}

/** One client per command run, closed even when the call fails so that the process can exit. */
export async function withClient<T>(config: CaracalConfig, values: ApiFlags, run: (c: CaracalClient) => Promise<T>): Promise<T> {
  const access = resolveApiAccess(config, values);
  const client = new CaracalClient(access.endpoint, access.token);
  try {
    return await run(client);
  } finally {
    client.close();
  }
}

/** A protobuf Timestamp as ISO 8601; empty when unset. */
export function time(ts: { seconds: string; nanos: number } | null): string {
  return ts ? new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6)).toISOString() : '';
}
