import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClickHouseClient, createClient } from '@clickhouse/client';
import type { CaracalConfig } from '@caracal/core';

export type LakeClient = ClickHouseClient;

/**
 * One client API for both engines: @clickhouse/client over HTTP to a server,
 * or over chDB's in-process connection. Every query and DDL statement is the
 * same text either way.
 */
export function createLakeClient(config: CaracalConfig): LakeClient {
  if (config.clickhouse.url) {
    return createClient({
      url: config.clickhouse.url,
      username: config.clickhouse.username,
      password: config.clickhouse.password,
      request_timeout: (config.query.maxExecutionTimeSeconds + 30) * 1000,
    });
  }
  const lakeDir = path.join(config.dataDir, 'lake');
  fs.mkdirSync(lakeDir, { recursive: true });
  // Loaded lazily: a server deployment never needs the 500 MB native engine.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createChdbConnection } = require('chdb/connection') as typeof import('chdb/connection');
  const client = createClient({ connection: createChdbConnection({ path: lakeDir }) } as Parameters<typeof createClient>[0]);
  // chDB's connection applies clickhouse_settings as session `SET`s, which
  // outlive the call: an insert without a deduplication token would reuse the
  // previous insert's and be dropped as its repeat. Each insert states its own.
  const insert = client.insert.bind(client);
  client.insert = ((params: Parameters<LakeClient['insert']>[0]) =>
    insert({ ...params, clickhouse_settings: { insert_deduplication_token: '', ...params.clickhouse_settings } })) as LakeClient['insert'];
  return client;
}
