import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { loadConfig } from '@caracal/core';
import { createLakeClient } from '@caracal/lake';
import { tempDir } from '../support/test-env';

test('on chDB an insert without a deduplication token is not taken for a repeat of the previous tokened insert', async () => {
  const dataDir = tempDir('lake-client');
  const lake = createLakeClient(loadConfig({ CARACAL_DATA_DIR: dataDir }));
  try {
    await lake.command({ query: 'CREATE DATABASE IF NOT EXISTS t' });
    await lake.command({ query: 'CREATE TABLE t.rows (x UInt32) ENGINE = MergeTree ORDER BY x SETTINGS non_replicated_deduplication_window = 100' });
    const count = async () => Number(((await (await lake.query({ query: 'SELECT count() AS n FROM t.rows', format: 'JSONEachRow' })).json()) as { n: string }[])[0].n);
    await lake.insert({ table: 't.rows', values: [{ x: 1 }], format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: 'batch-1' } });
    await lake.insert({ table: 't.rows', values: [{ x: 2 }], format: 'JSONEachRow' });
    await lake.insert({ table: 't.rows', values: [{ x: 3 }], format: 'JSONEachRow' });
    assert.equal(await count(), 3, 'the untokened inserts are kept');
    // The token still does its job when it is given: the same token again is a repeat.
    await lake.insert({ table: 't.rows', values: [{ x: 4 }], format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: 'batch-1' } });
    assert.equal(await count(), 3, 'a second insert with a used token is dropped');
  } finally {
    await lake.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
