import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '@caracal/core';
import { CaracalMetrics } from '@caracal/core/observability';
import { applyLakeSchema, createLakeClient, LakeClient } from '@caracal/lake';
import { SqlQueryService } from './sql-query.service';

// The real engine in-process (chDB): the metric is observed around what it answers.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-sql-metric-'));
const config = loadConfig({ CARACAL_DATA_DIR: dataDir });
const metrics = new CaracalMetrics({ defaultMetrics: false });
let lake: LakeClient;
let sql: SqlQueryService;

before(async () => {
  lake = createLakeClient(config);
  await applyLakeSchema(lake);
  sql = new SqlQueryService(lake, config, metrics);
});

after(async () => {
  sql.onModuleDestroy();
  await lake.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function count(text: string, outcome: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`caracal_query_seconds_count{outcome="${outcome}"} `));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
}

test('every query is timed by outcome: answered, refused by the engine, cancelled', async () => {
  const result = await sql.execute('acme', 'SELECT count() AS n FROM panther_logs.panther_audit');
  assert.equal(result.rows.length, 1);
  await assert.rejects(sql.execute('acme', 'SELECT no_such_column FROM panther_logs.panther_audit'));
  const abort = new AbortController();
  abort.abort();
  await assert.rejects(sql.execute('acme', 'SELECT 1', { signal: abort.signal }), /cancelled/);
  const text = await metrics.exposition();
  assert.equal(count(text, 'ok'), 1);
  assert.equal(count(text, 'error'), 1);
  assert.equal(count(text, 'cancelled'), 1);
  // The label holds only the outcome: neither the tenant nor the SQL.
  assert.doesNotMatch(text, /acme|no_such_column/);
});
