import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { ClickHouseClient, createClient, parseError } from '@clickhouse/client';
import type { CaracalConfig } from '@caracal/core';

/** A JSONEachRow insert whose body is already text: one JSON object per line. */
export interface JsonLinesInsert {
  table: string;
  /** Each row's JSON followed by a newline. */
  body: Buffer;
  settings: Record<string, string | number | boolean>;
}

export type LakeClient = ClickHouseClient & {
  /**
   * Inserts rows that are already JSON text, such as events as they came
   * off the bus: the bytes go to the engine as they are, where `insert`
   * would take objects and serialize them again (and, on chDB, copy the
   * body twice more on its way in). Fails as `insert` does, with the
   * engine's error `type`.
   */
  insertJsonLines(params: JsonLinesInsert): Promise<void>;
};

/**
 * One client API for both engines: @clickhouse/client over HTTP to a server,
 * or over chDB's in-process connection. Every query and DDL statement is the
 * same text either way.
 */
export function createLakeClient(config: CaracalConfig): LakeClient {
  if (config.clickhouse.url) {
    const server = createClient({
      url: config.clickhouse.url,
      username: config.clickhouse.username,
      password: config.clickhouse.password,
      request_timeout: (config.query.maxExecutionTimeSeconds + 30) * 1000,
    });
    return Object.assign(server, {
      async insertJsonLines({ table, body, settings }: JsonLinesInsert): Promise<void> {
        // exec sends a stream that is not in object mode as the request body, unchanged.
        const { stream } = await server.exec({ query: `INSERT INTO ${table} FORMAT JSONEachRow`, values: Readable.from([body], { objectMode: false }), clickhouse_settings: settings });
        stream.resume();
        await new Promise<void>((resolve, reject) => stream.once('end', resolve).once('error', reject));
      },
    });
  }
  const lakeDir = path.join(config.dataDir, 'lake');
  fs.mkdirSync(lakeDir, { recursive: true });
  // Loaded lazily: a server deployment never needs the 500 MB native engine.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createChdbConnection } = require('chdb/connection') as typeof import('chdb/connection');
  const connection = createChdbConnection({ path: lakeDir });
  const client = createClient({ connection } as Parameters<typeof createClient>[0]);
  // chDB's connection applies clickhouse_settings as session `SET`s, which
  // outlive the call: an insert without a deduplication token would reuse the
  // previous insert's and be dropped as its repeat. Each insert states its own.
  const insert = client.insert.bind(client);
  client.insert = ((params: Parameters<ClickHouseClient['insert']>[0]) =>
    insert({ ...params, clickhouse_settings: { insert_deduplication_token: '', ...params.clickhouse_settings } })) as ClickHouseClient['insert'];
  return Object.assign(client, {
    async insertJsonLines({ table, body, settings }: JsonLinesInsert): Promise<void> {
      // The raw insert hands the Buffer to the engine without a copy, and its SETTINGS belong to
      // this statement alone. Its errors come as chDB's text; parsed here into the shape the
      // server's errors have, so callers read the same `type` from either engine.
      try {
        await connection.chdb.rawInsert({ table, values: body, format: 'JSONEachRow', settings: { insert_deduplication_token: '', ...settings } });
      } catch (err) {
        const parsed = parseError(err instanceof Error ? err.message : String(err));
        if (parsed !== err) (parsed as Error & { cause?: unknown }).cause = err;
        throw parsed;
      }
    },
  });
}
