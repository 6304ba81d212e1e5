// A detection replayed over a tenant's events in the lake (issue 19), through
// DetectionReplayService as the API runs it: the lake (chDB) read a page at a
// time through the tenant's query service, the rule in its sandboxed Pyodide
// process, the alert stage's dedup fold. --events events of tenant acme and
// a tenth as many of tenant globex in the same span (so the tenant filter has
// rows to leave out) are loaded first, in a child process of their own, so
// that neither the generated events nor the inserts stay in the memory
// measured; the load is timed apart and is not part of the result. Each run
// replays the rule over the whole span of acme's events, with the RSS of this
// process and of the detection processes below it sampled every 200 ms.
// The default rule's matches and alerts are also worked out here from the
// generated events, and printed next to the report's.
// Usage: npm run bench -- replay [--events N] [--runs N] [--rule RuleID]
'use strict';
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { wholeNumberOptions } = require('./bench-options');
const { machineLine, treeRss } = require('./pipeline-processes');

const ROOT = path.join(__dirname, '..');
const TENANT = 'acme';
const OTHER_TENANT = 'globex';
const INSERT_SLICE = 20_000;
// auditEvents' clock: the first event at 2024-03-05 00:00 UTC, one every 173 ms.
const FIRST_EVENT_MS = Date.UTC(2024, 2, 5, 0, 0, 0);
const EVENT_SPACING_MS = 173;
const SAMPLE_MS = 200;
const MiB = (b) => (b / 2 ** 20).toFixed(0);

// A successful CREATE_API_TOKEN or UPDATE_API_TOKEN whose input (in either
// actionParams shape) grants a write or admin right; one alert per token name
// and hour (DedupPeriodMinutes 60, threshold 1).
const DEFAULT_RULE = 'Panther.API.Token.Privileged';
const TOKEN_DEDUP_MS = 60 * 60_000;

/** What rules/panther_audit/panther_api_token_privileged.py decides for a generated event: its dedup string, or undefined. */
function tokenRuleDedup(e) {
  if ((e.actionName !== 'CREATE_API_TOKEN' && e.actionName !== 'UPDATE_API_TOKEN') || e.actionResult !== 'SUCCEEDED') return undefined;
  const input = e.actionParams?.dynamic?.input ?? e.actionParams?.input;
  if (!input || typeof input !== 'object') return undefined;
  const granted = Array.isArray(input.permissions) ? input.permissions.filter((p) => typeof p === 'string') : [];
  if (!granted.some((p) => p.endsWith('Modify') || p === 'BulkUpload')) return undefined;
  const name = typeof input.name === 'string' && input.name.trim() ? input.name.trim() : '<unnamed>';
  return `token:${name}`;
}

/** The default rule's matches and alerts over the events, as the alert stage folds them: a window opens at a match and holds its dedup's matches for an hour. */
function expectedTokenRule(events) {
  const open = new Map();
  let matched = 0;
  let alerts = 0;
  for (const e of events) {
    const dedup = tokenRuleDedup(e);
    if (dedup === undefined) continue;
    matched++;
    const ms = Date.parse(`${e.p_event_time.replace(' ', 'T')}Z`);
    const first = open.get(dedup);
    if (first === undefined || ms >= first + TOKEN_DEDUP_MS) {
      open.set(dedup, ms);
      alerts++;
    }
  }
  return { matched, alerts };
}

function benchConfig(dataDir) {
  const { loadConfig } = require('../packages/core/dist');
  return loadConfig({ CARACAL_DATA_DIR: dataDir, CARACAL_LOG_LEVEL: 'silent', CARACAL_RULES_DIR: path.join(ROOT, 'rules') });
}

/** The child's part: the lake schema and both tenants' events, then the lake closed. */
async function load(dataDir, events) {
  const { applyLakeSchema, createLakeClient } = require('../packages/lake/dist');
  const { insertRows } = require('../services/clickhouse-writer/dist');
  const { auditEvents } = require('./audit-event-generator');
  const lake = createLakeClient(benchConfig(dataDir));
  const started = process.hrtime.bigint();
  let expected;
  try {
    await applyLakeSchema(lake);
    for (const [tenantId, count, seed] of [[TENANT, events, 1], [OTHER_TENANT, Math.round(events / 10), 2]]) {
      const rows = auditEvents(count, { tenantId, seed });
      if (tenantId === TENANT) expected = expectedTokenRule(rows);
      for (let i = 0; i < rows.length; i += INSERT_SLICE) await insertRows(lake, 'panther_logs.panther_audit', rows.slice(i, i + INSERT_SLICE), `${tenantId}-${i}`);
    }
  } finally {
    await lake.close();
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, expected };
}

function loadInChild(dataDir, events) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--load', dataDir, String(events)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result;
    child.on('message', (m) => (result = m));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`the load exited with ${code}`))));
  });
}

function parseArgs(argv) {
  let rule = DEFAULT_RULE;
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rule') {
      rule = argv[++i];
      if (!rule) throw new Error('--rule needs a RuleID');
    } else rest.push(argv[i]);
  }
  return { ...wholeNumberOptions(rest, { events: 1_000_000, runs: 1 }), rule };
}

async function main(argv) {
  const opts = parseArgs(argv);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-replay-bench-'));
  try {
    const loaded = await loadInChild(dataDir, opts.events);
    console.error(`replay bench: loaded ${opts.events} events of ${TENANT} and ${Math.round(opts.events / 10)} of ${OTHER_TENANT} into chDB in ${loaded.seconds.toFixed(1)} s (not part of the result)`);

    const { createLogger } = require('../packages/core/dist');
    const { createMessageBus } = require('../packages/bus/dist');
    const { createLakeClient } = require('../packages/lake/dist');
    const { AlertQueryService, DetectionReplayService, DetectionStoreService, SqlQueryService } = require('../services/api/dist');
    // The wall time of the service's calls into the detection engine (the batch to the detection process,
    // evaluated there, the outcomes back), summed per run: a wrapper of the bench's, around the same module the service uses.
    const { DetectionEngine } = require('../packages/detections/dist');
    const evaluate = DetectionEngine.prototype.evaluateEncodedTimed;
    let engineSeconds = 0;
    DetectionEngine.prototype.evaluateEncodedTimed = async function timed(...args) {
      const t = process.hrtime.bigint();
      try {
        return await evaluate.apply(this, args);
      } finally {
        engineSeconds += Number(process.hrtime.bigint() - t) / 1e9;
      }
    };
    const config = benchConfig(dataDir);
    const logger = createLogger('silent', 'replay-bench');
    const lake = createLakeClient(config);
    const bus = createMessageBus(config, logger);
    const store = new DetectionStoreService(bus, config, logger);
    const rows = [];
    let rssBefore;
    try {
      await store.onApplicationBootstrap();
      const replay = new DetectionReplayService(store, new SqlQueryService(lake, config), new AlertQueryService(lake, config), config, logger);
      const sinceMs = FIRST_EVENT_MS;
      const untilMs = FIRST_EVENT_MS + (opts.events - 1) * EVENT_SPACING_MS + 1;
      rssBefore = process.memoryUsage().rss;
      for (let run = 1; run <= opts.runs; run++) {
        let peakNode = process.memoryUsage().rss;
        let peakChildren = 0;
        let peakChildProcesses = 0;
        const sample = () => {
          peakNode = Math.max(peakNode, process.memoryUsage().rss);
          // Below this process: bubblewrap and the detection processes.
          const c = treeRss(process.pid);
          if (c.rest > peakChildren) [peakChildren, peakChildProcesses] = [c.rest, c.processes];
        };
        engineSeconds = 0;
        const sampler = setInterval(sample, SAMPLE_MS);
        const started = process.hrtime.bigint();
        let lastPrinted = 0;
        let startupSeconds;
        const onProgress = (p) => {
          // The first report with events read comes after the first batch: the window counted, a page read, the detection process started, the batch evaluated.
          if (p.eventsRead > 0) startupSeconds ??= Number(process.hrtime.bigint() - started) / 1e9;
          const now = Date.now();
          if (now - lastPrinted < 10_000 && p.eventsRead < p.eventsTotal) return;
          lastPrinted = now;
          const eta = p.etaSeconds === undefined ? '?' : p.etaSeconds.toFixed(0);
          console.error(`  run ${run}: ${p.eventsRead} / ${p.eventsTotal} events, ${p.eventsPerSecond.toFixed(0)} events/s, eta ${eta} s, event time ${p.eventTime || '-'}, rss ${MiB(process.memoryUsage().rss)} MiB`);
        };
        let report;
        try {
          report = await replay.replay(TENANT, { ruleId: opts.rule, sinceMs, untilMs }, { onProgress });
        } finally {
          clearInterval(sampler);
        }
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        sample();
        rows.push({ run, report, seconds, startupSeconds, engineSeconds, peakNode, peakChildren, peakChildProcesses });
        if (report.eventsRead !== opts.events) throw new Error(`run ${run}: the replay read ${report.eventsRead} events, ${opts.events} were loaded for ${TENANT} in the window`);
      }
    } finally {
      await store.onApplicationShutdown();
      await bus.close();
      await lake.close();
    }

    console.log(`replay bench: ${opts.rule} replayed over ${opts.events} events of tenant ${TENANT} (${new Date(FIRST_EVENT_MS).toISOString()} to ${new Date(FIRST_EVENT_MS + (opts.events - 1) * EVENT_SPACING_MS).toISOString()}), with ${Math.round(opts.events / 10)} events of ${OTHER_TENANT} in the same span, chDB, ${opts.runs} run(s)`);
    console.log(machineLine());
    console.log(`load (not part of the result): ${loaded.seconds.toFixed(1)} s; RSS of this process before the first run: ${MiB(rssBefore)} MiB`);
    console.log('');
    console.log('| run | events read | seconds | events/s | lake queries | lake seconds | detection (Python) seconds | alerts | error alerts | peak RSS node MiB | peak RSS detection processes MiB |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const { run, report, seconds, peakNode, peakChildren, peakChildProcesses } of rows) {
      const c = report.cost;
      console.log(
        `| ${run} | ${report.eventsRead} | ${seconds.toFixed(1)} | ${(report.eventsRead / seconds).toFixed(0)} | ${c.lakeQueries} | ${c.lakeSeconds.toFixed(1)} | ${c.detectionSeconds.toFixed(1)} | ${report.alertCount} | ${report.errorAlertCount} | ${MiB(peakNode)} | ${MiB(peakChildren)} (${peakChildProcesses} processes) |`,
      );
    }
    console.log('');
    for (const { run, report, startupSeconds, engineSeconds: engine } of rows) {
      const c = report.cost;
      console.log(
        `run ${run}: matched ${report.eventsMatched}, rule errors ${report.ruleErrors}, alerts ${report.alertCount}, error alerts ${report.errorAlertCount}, live alerts compared ${report.comparison.liveAlerts}; ` +
          `elapsed (report) ${c.elapsedSeconds.toFixed(1)} s = lake ${c.lakeSeconds.toFixed(1)} + calls into the detection engine ${engine.toFixed(1)} (of which Python ${c.detectionSeconds.toFixed(1)}) + the rest ${(c.elapsedSeconds - c.lakeSeconds - engine).toFixed(1)}; ` +
          `first progress with events read (the window counted, the detection process started, the first batch evaluated) at ${startupSeconds.toFixed(1)} s; ` +
          `cost.eventBytes ${MiB(c.eventBytes)} MiB`,
      );
    }
    if (opts.rule === DEFAULT_RULE) {
      const e = loaded.expected;
      const agree = rows.every(({ report }) => report.eventsMatched === e.matched && report.alertCount === e.alerts && report.ruleErrors === 0);
      console.log(`worked out from the generated events: ${e.matched} matches, ${e.alerts} alerts: ${agree ? 'every run agrees' : 'MISMATCH with the report'}`);
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module && process.argv[2] === '--load') {
  load(process.argv[3], Number(process.argv[4])).then(
    (result) => process.send(result, () => process.exit(0)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

module.exports = { main };
