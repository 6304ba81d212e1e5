// Does the stream agree with `caracal test`? Every rule test of a content tree
// is an example event: for each test whose log type Caracal ingests and that
// has no Mocks (nothing mocks the stream), its Log is sent through HTTP ingest
// to a source of that log type of `caracal start` (embedded mode), the stream
// evaluates it with every rule of the tree enabled, and the rule's match (or
// not) on that event is compared with the test's ExpectedResult. Identical
// Logs are one event (the same row id), evaluated once by every rule.
// Usage: npm run bench -- stream-parity <content dir> [--details <file.json>]
'use strict';
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, StartProcess, freePort, machineLine, tempDir, waitUntil } = require('./pipeline-processes');
const { loadContent } = require('../packages/detections/dist');
const { canonicalJson, logSchema, supportedLogTypes } = require('../packages/core/dist/log-schemas');

const CLI = path.join(ROOT, 'packages', 'cli', 'bin', 'caracal.js');
const SEND_CHUNK = 200;
/** Matches and errors are taken as complete once their counts hold still this long. */
const SETTLED_MS = 10_000;

function parseArgs(argv) {
  const args = { contentDir: undefined, details: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--details') args.details = argv[++i];
    else if (!argv[i].startsWith('--') && args.contentDir === undefined) args.contentDir = argv[i];
    else throw new Error(`stream-parity: unknown argument ${argv[i]}\nusage: npm run bench -- stream-parity <content dir> [--details <file.json>]`);
  }
  if (!args.contentDir || !fs.existsSync(args.contentDir)) throw new Error('stream-parity: give the content tree to check (a panther-analysis checkout, say)');
  return args;
}

/** The log type a test's event is of: its own p_log_type when the rule has it, else the rule's only (or first) log type. */
function testLogType(rule, test) {
  const own = test.log && typeof test.log.p_log_type === 'string' ? test.log.p_log_type : undefined;
  return own && rule.logTypes.includes(own) ? own : rule.logTypes[0];
}

function cli(env, args) {
  return execFileSync(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
}

function query(env, sql) {
  return JSON.parse(cli(env, ['query', sql, '--format', 'json']).trim());
}

/** The tree without its .git and its templates/ (examples naming files that do not exist). */
function copyContent(contentDir, into) {
  fs.cpSync(contentDir, into, { recursive: true, filter: (src) => !['.git', 'templates'].includes(path.basename(src)) });
}

/** Enables, in place, every rule given that is disabled: a test is checked with its rule on. */
function enableRules(rules) {
  let enabled = 0;
  for (const rule of rules) {
    if (rule.enabled) continue;
    const text = fs.readFileSync(rule.filePath, 'utf8');
    const changed = text.replace(/^Enabled:\s*false\s*$/m, 'Enabled: true');
    if (changed !== text) {
      fs.writeFileSync(rule.filePath, changed);
      enabled++;
    }
  }
  return enabled;
}

async function main(argv) {
  const args = parseArgs(argv);
  const contentDir = path.resolve(args.contentDir);
  const work = tempDir('stream-parity');
  const rulesDir = path.join(work, 'content');
  copyContent(contentDir, rulesDir);
  const content = await loadContent(rulesDir);
  if (content.errors.length > 0) throw new Error(`the content has errors, so caracal start would refuse it:\n${content.errors.map((e) => `  ${e.message}`).join('\n')}`);
  const ingestible = new Set(supportedLogTypes());

  // Every test, sorted into what can be checked on the stream and why not.
  const byLogType = new Map();
  const unsupported = new Map();
  let mocked = 0;
  let total = 0;
  for (const rule of content.rules) {
    for (const test of rule.tests) {
      total++;
      const logType = testLogType(rule, test);
      if (!ingestible.has(logType)) {
        unsupported.set(logType, (unsupported.get(logType) ?? 0) + 1);
        continue;
      }
      if (test.mocks.length > 0) {
        mocked++;
        continue;
      }
      const list = byLogType.get(logType) ?? [];
      list.push({ rule, test });
      byLogType.set(logType, list);
    }
  }

  const enabledRules = enableRules(content.rules.filter((r) => r.logTypes.some((t) => ingestible.has(t))));
  const httpPort = await freePort();
  const env = {
    CARACAL_DATA_DIR: path.join(work, 'data'),
    CARACAL_HTTP_PORT: String(httpPort),
    CARACAL_GRPC_PORT: '0',
    CARACAL_OPS_PORT: '0',
    CARACAL_RULES_DIR: rulesDir,
    CARACAL_LOG_LEVEL: 'warn',
    CARACAL_SCHEDULER_ENABLED: 'false',
    CARACAL_QUERY_MAX_RESULT_ROWS: '1000000',
  };
  const caracal = new StartProcess(env, path.join(work, 'caracal.log'));
  const results = [];
  try {
    await caracal.ready(300_000, 500);
    const tenantId = JSON.parse(cli(env, ['tenants', 'list', '--format', 'json']))[0].id;
    // Every log type's events go in first, then one wait for all of them: the stream evaluates the
    // log types side by side, and the settle wait is paid once instead of once per log type.
    const sent = [];
    for (const [logType, tests] of byLogType) {
      const created = cli(env, ['sources', 'create', '--log-type', logType, '--id', 'parity']);
      const sourceId = /source "([^"]+)" created/.exec(created)?.[1];
      const secret = /^\s+(\S+)$/m.exec(created.split('shown only now')[1] ?? '')?.[1];
      if (!sourceId || !secret) throw new Error(`could not read the source made for ${logType}:\n${created}`);
      // One event per distinct Log.
      const events = new Map();
      for (const t of tests) {
        const text = canonicalJson(t.test.log);
        t.key = text;
        if (!events.has(text)) events.set(text, { log: t.test.log, rowId: crypto.createHash('sha256').update(`${tenantId}\n${sourceId}\n${text}`).digest('hex').slice(0, 32) });
      }
      const list = [...events.values()];
      for (let i = 0; i < list.length; i += SEND_CHUNK) {
        const chunk = list.slice(i, i + SEND_CHUNK);
        const res = await fetch(`http://127.0.0.1:${httpPort}/http/${sourceId}`, { method: 'POST', headers: { 'x-caracal-secret': secret, 'content-type': 'application/json' }, body: JSON.stringify(chunk.map((e) => e.log)) });
        const body = await res.json();
        if (res.status !== 200) throw new Error(`ingest answered ${res.status} for ${logType}: ${JSON.stringify(body)}`);
        for (const r of body.rejected ?? []) chunk[r.index].problems = r.problems;
      }
      sent.push({ logType, tests, events, table: logSchema(logType).slug, accepted: list.filter((e) => !e.problems).length });
    }
    const tables = sent.map((s) => s.table);
    const unionCount = (database, expression) => tables.map((t) => `SELECT '${t}' AS t, ${expression} AS n FROM ${database}.${t}`).join(' UNION ALL ');
    await waitUntil('every accepted event in the lake', () => {
      const counts = new Map(query(env, unionCount('panther_logs', 'count(DISTINCT p_row_id)')).map((r) => [r.t, Number(r.n)]));
      return sent.every((s) => (counts.get(s.table) ?? 0) >= s.accepted);
    }, 300_000, 1000);
    // Matches and errors reach the lake after the events; they are complete once they stop changing.
    let last = '';
    let stableSince = Date.now();
    await waitUntil('the matches and errors to settle', () => {
      const [{ n: m }] = query(env, `SELECT sum(n) AS n FROM (${unionCount('panther_rule_matches', 'count()')})`);
      const [{ n: e }] = query(env, `SELECT sum(n) AS n FROM (${unionCount('panther_rule_errors', 'count()')})`);
      const now = `${m}/${e}`;
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      }
      return Date.now() - stableSince >= SETTLED_MS;
    }, 600_000, 1000);
    for (const { logType, tests, events, table } of sent) {
      const matched = new Set(query(env, `SELECT DISTINCT p_rule_id, p_row_id FROM panther_rule_matches.${table}`).map((r) => `${r.p_rule_id}\u0000${r.p_row_id}`));
      const errors = new Map(query(env, `SELECT p_rule_id, p_row_id, any(p_rule_error_type) AS type, any(p_rule_error) AS error FROM panther_rule_errors.${table} GROUP BY p_rule_id, p_row_id`).map((r) => [`${r.p_rule_id}\u0000${r.p_row_id}`, `${r.type}: ${r.error}`]));
      for (const t of tests) {
        const event = events.get(t.key);
        const base = { logType, ruleId: t.rule.ruleId, test: t.test.name, expected: t.test.expectedResult };
        if (event.problems) {
          results.push({ ...base, outcome: 'refused', problems: event.problems });
          continue;
        }
        const key = `${t.rule.ruleId}\u0000${event.rowId}`;
        const error = errors.get(key);
        const got = matched.has(key);
        results.push({ ...base, outcome: !error && got === t.test.expectedResult ? 'agrees' : 'disagrees', got, ...(error ? { error } : {}) });
      }
    }
  } finally {
    await caracal.stop();
  }

  const count = (list, outcome) => list.filter((r) => r.outcome === outcome).length;
  const eligible = results.length;
  console.log(`stream parity: ${contentDir}, ${content.rules.length} rules, ${total} rule tests; ${machineLine()}`);
  console.log(`rules of ingestible log types enabled for the run: ${enabledRules} (they were disabled in the tree)`);
  console.log('');
  console.log('| log type | eligible tests | refused by ingest | accepted | agree | disagree |');
  console.log('|---|---|---|---|---|---|');
  for (const logType of byLogType.keys()) {
    const rows = results.filter((r) => r.logType === logType);
    console.log(`| ${logType} | ${rows.length} | ${count(rows, 'refused')} | ${rows.length - count(rows, 'refused')} | ${count(rows, 'agrees')} | ${count(rows, 'disagrees')} |`);
  }
  const agree = count(results, 'agrees');
  console.log(`| all | ${eligible} | ${count(results, 'refused')} | ${eligible - count(results, 'refused')} | ${agree} | ${count(results, 'disagrees')} |`);
  console.log('');
  console.log(`accepted and agreeing: ${agree} of ${eligible} eligible tests (${eligible ? ((100 * agree) / eligible).toFixed(1) : '0.0'} %)`);
  console.log(`not eligible: ${mocked} tests with Mocks, ${[...unsupported.values()].reduce((a, b) => a + b, 0)} tests of ${unsupported.size} log types Caracal does not ingest`);
  for (const r of results.filter((x) => x.outcome !== 'agrees')) {
    const why = r.outcome === 'refused' ? `refused: ${r.problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}` : r.error ? `raised ${r.error}` : `expected ${r.expected}, the stream ${r.got ? 'matched' : 'did not match'}`;
    console.log(`- ${r.ruleId} / ${r.test}: ${why.slice(0, 400)}`);
  }
  const top = [...unsupported].sort((a, b) => b[1] - a[1]).slice(0, 40);
  console.log('');
  console.log(`tests by log type Caracal does not ingest (the ${top.length} largest): ${top.map(([t, n]) => `${t} ${n}`).join(', ')}`);
  if (args.details) fs.writeFileSync(args.details, JSON.stringify({ contentDir, results, unsupported: Object.fromEntries(unsupported), mocked }, null, 2));
  fs.rmSync(work, { recursive: true, force: true });
}

module.exports = { main };
