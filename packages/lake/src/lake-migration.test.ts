import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '@caracal/core';
import { createLakeClient, LakeClient } from './lake-client';
import { applyLakeSchema, lakeDdl, lakeMigrations, logTableColumns } from './lake-schema';

// Against the real engine (chDB in-process): a lake made by an earlier version, whose log
// tables lack the catch-all and a column its schema gained since.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-lake-migration-'));
let lake: LakeClient;

before(() => {
  lake = createLakeClient(loadConfig({ CARACAL_DATA_DIR: dataDir }, dataDir));
});

after(async () => {
  await lake?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function columnsOf(table: string): Promise<string[]> {
  const [database, name] = table.split('.');
  const rs = await lake.query({ query: `SELECT name FROM system.columns WHERE database = '${database}' AND table = '${name}' ORDER BY position`, format: 'JSONEachRow' });
  return (await rs.json<{ name: string }>()).map((r) => r.name);
}

test('an older lake gains the columns its log tables lack, its rows kept; a current lake needs nothing', async () => {
  const older = lakeDdl().map((statement) =>
    statement.startsWith('CREATE TABLE IF NOT EXISTS panther_logs.github_audit ') ? statement.replace(/,\n {2}`p_extra_fields` JSON/, '').replace(/,\n {2}`org_id` Nullable\(Int64\)/, '') : statement,
  );
  for (const statement of older) await lake.command({ query: statement });
  const before = await columnsOf('panther_logs.github_audit');
  assert.ok(!before.includes('p_extra_fields') && !before.includes('org_id'), before.join(', '));
  await lake.insert({
    table: 'panther_logs.github_audit',
    values: [{ p_tenant_id: 'acme', p_row_id: 'r1', p_event_time: '2024-05-01 00:00:00.000', action: 'repo.create' }],
    format: 'JSONEachRow',
  });

  assert.deepEqual(await lakeMigrations(lake), ['ALTER TABLE panther_logs.github_audit ADD COLUMN IF NOT EXISTS `org_id` Nullable(Int64), ADD COLUMN IF NOT EXISTS `p_extra_fields` JSON']);
  const steps: { done: number; total: number; table: string }[] = [];
  await applyLakeSchema(lake, ({ done, total, table }) => steps.push({ done, total, table }));
  assert.deepEqual(steps, [{ done: 1, total: 1, table: 'panther_logs.github_audit' }], 'each ALTER is told as it finishes');
  const now = await columnsOf('panther_logs.github_audit');
  assert.deepEqual(new Set(now), new Set(logTableColumns().get('panther_logs.github_audit')!.map((c) => c.name)));
  assert.deepEqual(await lakeMigrations(lake), [], 'nothing left to add');

  const rs = await lake.query({ query: "SELECT action, org_id, toJSONString(p_extra_fields) AS extra FROM panther_logs.github_audit WHERE p_row_id = 'r1'", format: 'JSONEachRow' });
  assert.deepEqual(await rs.json(), [{ action: 'repo.create', org_id: null, extra: '{}' }], 'the old row reads with the defaults of the added columns');
});
