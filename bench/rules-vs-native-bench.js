// The detection engine (Pyodide in sandboxed detection processes) against native CPython
// running the same harness on the same content and the same event batches.
// Usage: npm run bench -- rules [--runs N] [--batches N] [--warmup N] [--python EXE] [--profile N] [--without-cache-rules]
// --profile N prints the N functions the native harness spends most own time in.
// --without-cache-rules leaves out the rules that use panther_detection_helpers.caching: each of
// their cache calls is a round trip to the rules process in the engine, a dict lookup natively.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DetectionEngine, loadContent, runRuleTests, formatRuleTestReport } = require('../packages/detections/dist');
const { auditEvents } = require('./audit-event-generator');
const { processTreeCpuSeconds } = require('./process-tree-cpu');
const { startNative } = require('./native-harness');

const ROOT = path.resolve(__dirname, '..');
const CONTENT_DIRS = [path.join(ROOT, 'rules'), path.join(__dirname, 'content')];
const TENANT = 'bench';
const BATCH = 1000;

function options(argv) {
  const opts = { runs: 7, batches: 10, warmup: 3, python: process.env.CARACAL_BENCH_PYTHON || 'python3', profile: 0, sandbox: 'bwrap', withoutCacheRules: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--runs') opts.runs = Number(value);
    else if (flag === '--batches') opts.batches = Number(value);
    else if (flag === '--warmup') opts.warmup = Number(value);
    else if (flag === '--python') opts.python = value;
    else if (flag === '--profile') opts.profile = Number(value);
    else if (flag === '--sandbox') opts.sandbox = value;
    else if (flag === '--without-cache-rules') {
      opts.withoutCacheRules = true;
      continue;
    }
    else throw new Error(`unknown option ${flag} (known: --runs N, --batches N, --warmup N, --python EXE, --profile N, --sandbox bwrap|process|unsandboxed, --without-cache-rules)`);
    i += 1;
  }
  if (!['bwrap', 'process', 'unsandboxed'].includes(opts.sandbox)) throw new Error(`--sandbox must be bwrap, process or unsandboxed, got ${opts.sandbox}`);
  for (const key of ['runs', 'batches', 'warmup']) {
    if (!Number.isInteger(opts[key]) || opts[key] < 1) throw new Error(`--${key} must be a whole number >= 1`);
  }
  return opts;
}

/** One content set out of several folders: every list of items is joined. */
async function loadContentDirs(dirs) {
  const sets = await Promise.all(dirs.map((dir) => loadContent(dir)));
  const merged = { ...sets[0], root: ROOT };
  for (const set of sets.slice(1)) {
    for (const [key, value] of Object.entries(set)) {
      if (Array.isArray(value)) merged[key] = [...(merged[key] ?? []), ...value];
    }
  }
  return merged;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function countOutcomes(outcomes, into) {
  for (const o of outcomes) into[`${o.kind}:${o.ruleId}`] = (into[`${o.kind}:${o.ruleId}`] ?? 0) + 1;
  return into;
}

/** An engine started and warmed up, timed one pass (all batches, one after another) at a time. */
async function startEngine(content, batches, opts, engineOptions) {
  const engine = await DetectionEngine.create(content, { ...engineOptions, sandbox: { kind: opts.sandbox } });
  const started = process.hrtime.bigint();
  await engine.evaluate(TENANT, batches[0]);
  const firstMs = Number(process.hrtime.bigint() - started) / 1e6;
  for (let i = 1; i < opts.warmup; i++) await engine.evaluate(TENANT, batches[i % batches.length]);
  const outcomes = {};
  for (const batch of batches) countOutcomes(await engine.evaluate(TENANT, batch), outcomes);
  return {
    firstMs,
    outcomes,
    runSeconds: [],
    cpuSeconds: [],
    engine,
    async pass() {
      // CPU time of this process (JSON, pipes) and of the detection processes below it, at 10 ms resolution.
      const cpu = processTreeCpuSeconds();
      const t = process.hrtime.bigint();
      for (const batch of batches) await engine.evaluate(TENANT, batch);
      this.runSeconds.push(Number(process.hrtime.bigint() - t) / 1e9);
      this.cpuSeconds.push(processTreeCpuSeconds() - cpu);
    },
  };
}

function sameOutcomes(a, b) {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => a[k] !== b[k]).map((k) => `${k}: pyodide ${a[k] ?? 0}, native ${b[k] ?? 0}`);
}

function machine(python) {
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) ?? [])[1] ?? 'unknown';
  let pythonVersion = 'unknown';
  try {
    pythonVersion = execFileSync(python, ['-c', 'import sys; print(sys.version.split()[0])'], { encoding: 'utf8' }).trim();
  } catch {
    // reported as unknown; the native run below says why
  }
  const pyodide = require('pyodide/package.json').version;
  return { nproc: os.availableParallelism(), cpu, node: process.version, python: pythonVersion, pyodide };
}

async function main(argv) {
  const opts = options(argv);
  const content = await loadContentDirs(CONTENT_DIRS);
  if (opts.withoutCacheRules) content.rules = content.rules.filter((r) => !/panther_detection_helpers\.caching|panther_detection_helpers import caching/.test(r.pythonSource ?? ''));
  if (content.errors.length > 0) throw new Error(`bench content has errors:\n${content.errors.map((e) => e.message).join('\n')}`);
  // The numbers only mean something if the rules do what their tests say.
  const tests = await runRuleTests(content);
  if (tests.failed > 0) throw new Error(`bench content tests fail:\n${formatRuleTestReport(tests, 'text')}`);

  const events = auditEvents(BATCH * opts.batches, { tenantId: TENANT });
  const batches = Array.from({ length: opts.batches }, (_, i) => events.slice(i * BATCH, (i + 1) * BATCH));
  const m = machine(opts.python);
  const enabled = content.rules.filter((r) => r.enabled).length;
  console.log(`machine: ${m.nproc} cores (${m.cpu}), Node ${m.node}, Pyodide ${m.pyodide}, native Python ${m.python}`);
  console.log(`content: ${enabled} enabled rules${opts.withoutCacheRules ? ' (without the rules that use caching)' : ''} (${CONTENT_DIRS.map((d) => path.relative(ROOT, d)).join(' + ')}), ${tests.total} rule tests passed`);
  console.log(`events: ${events.length} Panther.Audit in batches of ${BATCH}; ${opts.warmup} warm-up batches, median of ${opts.runs} runs`);
  console.log(`sandbox: ${opts.sandbox} (decision 0013); node ${process.version}`);
  console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

  // Native and one-worker passes alternate, so that both see the same background load.
  const native = await startNative(content, batches, { python: opts.python, warmup: opts.warmup });
  let perCore;
  try {
    perCore = await startEngine(content, batches, opts, { processesPerTenant: 1 });
    try {
      for (let r = 0; r < opts.runs; r++) {
        await perCore.pass();
        await native.pass();
      }
      perCore.stats = perCore.engine.stats();
    } finally {
      await perCore.engine.close();
    }
    if (opts.profile > 0) await native.profile(opts.profile);
  } finally {
    await native.close();
  }
  const allCores = await startEngine(content, batches, opts, {});
  try {
    for (let r = 0; r < opts.runs; r++) await allCores.pass();
    allCores.stats = allCores.engine.stats();
  } finally {
    await allCores.engine.close();
  }

  const perSecond = (seconds) => events.length / median(seconds);
  const rows = [
    ['Pyodide engine, processesPerTenant: 1', perCore],
    [`Pyodide engine, processesPerTenant: default (${m.nproc})`, allCores],
    [`native CPython ${native.python}, same harness`, native],
  ];
  const matched = Object.entries(perCore.outcomes).filter(([k]) => k.startsWith('match:')).reduce((n, [, v]) => n + v, 0);
  const errors = Object.entries(perCore.outcomes).filter(([k]) => k.startsWith('error:'));
  console.log(`outcomes per pass: ${matched} matches over ${events.length} events (${Object.keys(perCore.outcomes).length} rule/kind pairs), ${errors.length} rules with errors`);
  for (const [key, n] of Object.entries(perCore.outcomes).sort()) console.log(`  ${key}: ${n}`);
  const mismatch = [...sameOutcomes(perCore.outcomes, native.outcomes), ...sameOutcomes(perCore.outcomes, allCores.outcomes)];
  if (mismatch.length > 0) console.log(`WARNING: the runs disagree on outcomes:\n  ${mismatch.join('\n  ')}`);
  if (Object.keys(native.firstErrors).length > 0) console.log('native rule errors:', native.firstErrors);

  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  console.log('\n| engine | events/s, wall (median) | best run | events per CPU-second (median) |');
  console.log('|---|---|---|---|');
  for (const [name, result] of rows) {
    const best = events.length / Math.min(...result.runSeconds);
    console.log(`| ${name} | ${fmt(perSecond(result.runSeconds))} | ${fmt(best)} | ${fmt(perSecond(result.cpuSeconds))} |`);
  }
  const wallRatio = perSecond(perCore.runSeconds) / perSecond(native.runSeconds);
  const cpuRatio = perSecond(perCore.cpuSeconds) / perSecond(native.cpuSeconds);
  // Run r of each side ran back to back, under the same background load.
  const paired = median(perCore.runSeconds.map((p, r) => native.runSeconds[r] / p));
  console.log(
    `\nPyodide / native per core: ${cpuRatio.toFixed(2)}x by CPU time; by wall time ${wallRatio.toFixed(2)}x of the medians, ` +
      `${paired.toFixed(2)}x median of paired runs (aim: >= 0.6x)`,
  );
  console.log(`first batch incl. interpreter start: processesPerTenant 1: ${perCore.firstMs.toFixed(0)} ms; default: ${allCores.firstMs.toFixed(0)} ms; native import + load_content: ${(native.startupSeconds * 1000).toFixed(0)} ms`);
  console.log(`engine stats: processesPerTenant 1 ${JSON.stringify(perCore.stats)}; default ${JSON.stringify(allCores.stats)}`);
  console.log(`load average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

module.exports = { main };

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
