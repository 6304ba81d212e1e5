// What the tenant query pipeline costs on top of the query itself, on the
// embedded engine (chDB): the same SQL run (a) bare, with only the engine's
// tenant filter, and (b) through SqlQueryService (macros, the engine's parser
// and analyzer checks, limits, a connection of its own), on two tenants' rows.
// Usage: npm run bench -- query [--events N] [--runs N]
'use strict';
const { wholeNumberOptions, percentile } = require('./bench-options');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { loadConfig } = require('../packages/core/dist');
const { applyLakeSchema, createLakeClient, expandMacros, tenantQuerySettings } = require('../packages/lake/dist');
const { insertRows } = require('../services/clickhouse-writer/dist');
const { SqlQueryService } = require('../services/api/dist');
const { auditEvents } = require('./audit-event-generator');

const WINDOW = "p_occurs_between('2024-03-01 00:00:00', '2024-04-01 00:00:00')";
const QUERIES = {
  'count by action': `SELECT actionName, count() AS n FROM panther_logs.panther_audit WHERE ${WINDOW} GROUP BY actionName ORDER BY n DESC`,
  '1,000 rows': `SELECT p_row_id, p_event_time, actionName, actor.name AS actor FROM panther_logs.panther_audit WHERE ${WINDOW} ORDER BY p_event_time LIMIT 1000`,
  'self-join by actor': `SELECT a.actionName, count() AS n FROM panther_logs.panther_audit AS a INNER JOIN (SELECT DISTINCT p_row_id FROM panther_logs.panther_audit WHERE actionResult = 'FAILED') AS f ON a.p_row_id = f.p_row_id GROUP BY a.actionName`,
};

async function timeRuns(runs, fn) {
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

async function main(argv) {
  const opts = wholeNumberOptions(argv, { events: 200_000, runs: 30 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-query-bench-'));
  const config = loadConfig({ CARACAL_DATA_DIR: dataDir, CARACAL_LOG_LEVEL: 'silent' });
  const lake = createLakeClient(config);
  try {
    await applyLakeSchema(lake);
    const perTenant = Math.floor(opts.events / 2);
    for (const tenantId of ['acme', 'globex']) {
      const rows = auditEvents(perTenant, { tenantId, seed: tenantId === 'acme' ? 1 : 2 });
      for (let i = 0; i < rows.length; i += 20_000) await insertRows(lake, 'panther_logs.panther_audit', rows.slice(i, i + 20_000), `${tenantId}-${i}`);
    }
    const service = new SqlQueryService(lake, config);
    console.log(`query bench: ${opts.events} events of 2 tenants in chDB, ${opts.runs} runs per query, as tenant acme (${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version})`);
    console.log('| query | rows | bare p50 / p99 ms | through SqlQueryService p50 / p99 ms | added at p50 ms |');
    console.log('|---|---|---|---|---|');
    for (const [name, sql] of Object.entries(QUERIES)) {
      const settings = tenantQuerySettings('acme', config.query);
      const bareSql = `${expandMacros(sql)}\nSETTINGS ${settings}`;
      const bare = async () => (await lake.query({ query: bareSql, format: 'JSONEachRow' })).json();
      const rows = (await bare()).length;
      const served = (await service.execute('acme', sql)).rows.length;
      if (served !== rows) throw new Error(`${name}: the service returned ${served} rows, the bare query ${rows}`);
      await service.execute('acme', sql); // warm both paths before timing
      const b = await timeRuns(opts.runs, bare);
      const s = await timeRuns(opts.runs, () => service.execute('acme', sql));
      console.log(`| ${name} | ${rows} | ${b.p50.toFixed(1)} / ${b.p99.toFixed(1)} | ${s.p50.toFixed(1)} / ${s.p99.toFixed(1)} | ${(s.p50 - b.p50).toFixed(1)} |`);
    }
    const rss = process.memoryUsage().rss;
    console.log(`rss after the runs: ${(rss / 1024 / 1024).toFixed(0)} MB`);
  } finally {
    await lake.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

module.exports = { main };
