// Embedded mode as a user runs it: one `caracal start` process (the local
// on-disk log in place of Kafka, chDB as the lake, detections in their
// sandboxed processes) on a fresh data dir with bench/content as the rules,
// fed by `caracal send` with NDJSON files of the e2e bench's Panther.Audit
// events. Reports events/s from the first send to every event (a) evaluated
// (the rules-worker group's committed offset in the data dir) and (b) in the
// lake (the writer group's committed offset, which it writes after its insert;
// checked at the end by a count through `caracal query`), the CPU of the
// caracal process tree, and its RSS (VmRSS of the process and every
// descendant) sampled during the run and whenever another --rss-every events
// are in the lake, with its growth from the half of the run to the end both
// by those two samples and by the median of the per-second samples over the
// --rss-every events before each.
// Usage: npm run bench -- embedded [--events N] [--rss-every N] [--chunk N] [--senders N]
//        [--warmup N] [--max-backlog N] [--files-per-send N]
//   --chunk: events per NDJSON file, one request each (default 1000: ~470 KiB, under ingest's 1 MiB body limit)
//   --senders: `caracal send` processes at once, each sending its share of the files in order (default 1)
//   --warmup: events sent and waited for before the timed run (default 2000; 0 for none)
//   --max-backlog: send in invocations of --files-per-send files (default 10), each started only
//     once at most N sent events are not yet evaluated or not yet in the lake; without it every file is given to the senders at once
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, StartProcess, freePort, machineLine, tempDir, treeRss, waitUntil } = require('./pipeline-processes');
const { timedEvents } = require('./pipeline-workload');
const { processTreeCpuSeconds } = require('./process-tree-cpu');

const CLI = path.join(ROOT, 'packages', 'cli', 'bin', 'caracal.js');
const RULES_DIR = path.join(__dirname, 'content');
const SEED = 20240305;
// The events topic of Panther.Audit in the local log, and the groups that consume it (their offsets files).
const LOGS_TOPIC = 'logs.panther_audit';
const RULES_GROUP = 'caracal-rules-worker';
const WRITER_GROUP = 'caracal-clickhouse-writer-logs';
// Generated in blocks so a million events never sit in this process at once; up to one block
// (and so the default run) they are exactly the e2e bench's timedEvents(N, base, SEED).
const BLOCK = 100_000;
// Neither the rules-worker nor the writer has committed anything for this long: the run has stalled.
const STALL_MS = 120_000;

function parseOptions(argv) {
  const opts = { events: 50_000, 'rss-every': undefined, chunk: 1000, senders: 1, warmup: 2000, 'max-backlog': undefined, 'files-per-send': 10 };
  const mayBeZero = new Set(['warmup']);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in opts)) throw new Error(`unknown option ${argv[i]} (known: ${Object.keys(opts).map((k) => `--${k} N`).join(', ')})`);
    const v = Number(argv[i + 1]);
    if (!Number.isInteger(v) || v < (mayBeZero.has(key) ? 0 : 1)) throw new Error(`--${key} must be a whole number >= ${mayBeZero.has(key) ? 0 : 1}`);
    opts[key] = v;
  }
  opts.rssEvery = opts['rss-every'] ?? Math.max(opts.chunk, Math.ceil(opts.events / 10));
  opts.maxBacklog = opts['max-backlog'];
  opts.filesPerSend = opts['files-per-send'];
  return opts;
}

/** NDJSON files of `chunk` events each, written under `dir`; event i has the timestamp base + i ms. */
function writeEventFiles(dir, prefix, count, chunk, baseMs, seed) {
  fs.mkdirSync(dir, { recursive: true });
  const files = [];
  let bytes = 0;
  for (let b = 0; b * BLOCK < count; b++) {
    const n = Math.min(BLOCK, count - b * BLOCK);
    const events = timedEvents(n, baseMs + b * BLOCK, seed + b);
    for (let i = 0; i < n; i += chunk) {
      const file = path.join(dir, `${prefix}-${String(files.length).padStart(6, '0')}.ndjson`);
      const text = events.slice(i, i + chunk).map((e) => JSON.stringify(e)).join('\n') + '\n';
      fs.writeFileSync(file, text);
      bytes += Buffer.byteLength(text);
      files.push({ file, count: Math.min(chunk, n - i) });
    }
  }
  return { files, bytes };
}

/** CPU seconds of the process alone (all its threads), without its children. */
function ownCpuSeconds(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** A group's committed offset of the events topic, from the offsets file the local bus keeps in the data dir. */
function committed(dataDir, group) {
  try {
    const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'bus', 'groups', `${group}.json`), 'utf8'));
    return Number((saved.offsets ?? saved)[LOGS_TOPIC] ?? 0);
  } catch {
    // Not written yet (nothing committed), or never half-read: the bus renames a complete file into place.
    return 0;
  }
}

/** Prometheus text: the sum of one metric's samples (all label sets). */
function metricSum(text, name) {
  let sum = 0;
  let seen = false;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      seen = true;
    }
  }
  return seen ? sum : undefined;
}

/**
 * One `caracal send --source <id> --format json <files...>`: the CLI posts
 * its files one after the other and prints one summary at the end;
 * `onAccepted` hears its accepted count.
 */
function sendFiles(env, sourceId, files, onAccepted) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'send', '--source', sourceId, '--format', 'json', ...files.map((f) => f.file)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let pending = '';
    child.stdout.on('data', (d) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        out = (out + line + '\n').slice(-4000);
        const accepted = /"accepted":(\d+)/.exec(line)?.[1];
        if (accepted !== undefined) onAccepted(Number(accepted));
      }
    });
    child.stderr.on('data', (d) => (out = (out + d.toString()).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`caracal send exited with ${code}:\n${out}`))));
  });
}

/** `caracal query "<sql>" --format json`, as a user would count. */
function cliQuery(env, sql) {
  const out = execFileSync(process.execPath, [CLI, 'query', sql, '--format', 'json'], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  return JSON.parse(out.trim());
}

const MiB = (b) => (b / 2 ** 20).toFixed(0);

async function main(argv) {
  const opts = parseOptions(argv);
  const started = performance.now();
  const work = tempDir('embedded-bench');
  const dataDir = path.join(work, 'data');
  const [httpPort, grpcPort, opsPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    CARACAL_MODE: 'embedded',
    CARACAL_DATA_DIR: dataDir,
    CARACAL_RULES_DIR: RULES_DIR,
    CARACAL_HTTP_PORT: String(httpPort),
    CARACAL_GRPC_PORT: String(grpcPort),
    CARACAL_OPS_PORT: String(opsPort),
    CARACAL_LOG_LEVEL: process.env.CARACAL_LOG_LEVEL ?? 'warn',
    // For profiling the caracal process alone (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof), not this bench or the senders.
    NODE_OPTIONS: process.env.CARACAL_BENCH_NODE_OPTIONS ?? '',
  };
  // The CLI's client commands find the ingest URL, source secret and admin token in the data dir.
  const clientEnv = { CARACAL_DATA_DIR: dataDir, NODE_OPTIONS: '' };
  let caracal;
  try {
    const baseMs = Date.now() - 3600_000;
    const warm = writeEventFiles(path.join(work, 'events'), 'warmup', opts.warmup, opts.chunk, baseMs - 86_400_000, 7);
    const timed = writeEventFiles(path.join(work, 'events'), 'events', opts.events, opts.chunk, baseMs, SEED);
    const loadBefore = machineLine();

    caracal = new StartProcess(env, path.join(work, 'caracal.log'));
    await caracal.ready();
    const { sourceId } = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8'));

    // Warm-up, not timed: the tenant's detection processes start on its first batches.
    if (opts.warmup > 0) {
      let acceptedWarm = 0;
      await sendFiles(clientEnv, sourceId, warm.files, (n) => (acceptedWarm += n));
      if (acceptedWarm !== opts.warmup) throw new Error(`the warm-up: ${acceptedWarm} of ${opts.warmup} events accepted`);
      await waitUntil('the warm-up to be evaluated and in the lake', () => committed(dataDir, RULES_GROUP) >= opts.warmup && committed(dataDir, WRITER_GROUP) >= opts.warmup, 300_000, 100);
    }

    const target = opts.warmup + opts.events;
    const rssStart = treeRss(caracal.pid);
    const samples = [];
    const checkpoints = [];
    const done = {};
    let accepted = 0;
    const half = Math.floor(opts.events / 2);
    // Every --rss-every events, and the half and the whole of the run.
    const marks = [...new Set([...Array.from({ length: Math.floor(opts.events / opts.rssEvery) }, (_, i) => (i + 1) * opts.rssEvery), half, opts.events])].sort((a, b) => a - b);
    let polling = true;
    const metricsText = async () => {
      try {
        return await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
      } catch {
        return '';
      }
    };
    const cpu0 = { tree: processTreeCpuSeconds(caracal.pid), main: ownCpuSeconds(caracal.pid) };
    const t0 = performance.now();
    const secs = (t) => (t - t0) / 1000;

    // Progress from the offsets files every 100 ms (reading them costs caracal nothing); the RSS of
    // the tree every second, and at each checkpoint with the heap from /metrics.
    let lastSample = 0;
    const poller = (async () => {
      while (polling) {
        const now = performance.now();
        const rules = committed(dataDir, RULES_GROUP) - opts.warmup;
        const lake = committed(dataDir, WRITER_GROUP) - opts.warmup;
        if (done.rules === undefined && rules >= opts.events) done.rules = now;
        if (done.lake === undefined && lake >= opts.events) done.lake = now;
        if (now - lastSample >= 1000) {
          lastSample = now;
          samples.push({ t: secs(now), lake, rules, sent: accepted, ...treeRss(caracal.pid) });
        }
        while (checkpoints.length < marks.length && lake >= marks[checkpoints.length]) {
          const rss = treeRss(caracal.pid);
          const text = await metricsText();
          checkpoints.push({
            mark: marks[checkpoints.length], t: secs(now), lake, rules, sent: accepted, ...rss,
            heapUsed: metricSum(text, 'caracal_nodejs_heap_size_used_bytes'), heapTotal: metricSum(text, 'caracal_nodejs_heap_size_total_bytes'), external: metricSum(text, 'caracal_nodejs_external_memory_bytes'),
          });
        }
        if (done.rules !== undefined && done.lake !== undefined && checkpoints.length === marks.length) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    // The senders: each `caracal send` posts its files in order; several run at once with --senders.
    const share = Array.from({ length: opts.senders }, (_, s) => timed.files.filter((_, i) => i % opts.senders === s));
    const onAccepted = (n) => (accepted += n);
    const sent = (async () => {
      if (opts.maxBacklog === undefined) {
        await Promise.all(share.map((files) => files.length > 0 && sendFiles(clientEnv, sourceId, files, onAccepted)));
        return;
      }
      // Closed loop: the next invocation starts only once the lake has caught up to within --max-backlog events.
      let next = 0;
      await Promise.all(share.map(async () => {
        while (next < timed.files.length) {
          const behind = () => accepted - (Math.min(committed(dataDir, WRITER_GROUP), committed(dataDir, RULES_GROUP)) - opts.warmup);
          await waitUntil('the backlog to drain', () => behind() <= opts.maxBacklog, 3600_000, 50);
          const files = timed.files.slice(next, next + opts.filesPerSend);
          next += files.length;
          await sendFiles(clientEnv, sourceId, files, onAccepted);
        }
      }));
    })();
    await sent;
    const sentAt = performance.now();
    if (accepted !== opts.events) throw new Error(`${accepted} of ${opts.events} events accepted`);
    let finished = false;
    poller.then(() => (finished = true));
    // A stage that stops moving fails the run with caracal's own words, rather than waiting for hours.
    let progress = { at: performance.now(), rules: -1, lake: -1 };
    try {
      await waitUntil('every event evaluated and in the lake', () => {
        const now = { at: performance.now(), rules: committed(dataDir, RULES_GROUP), lake: committed(dataDir, WRITER_GROUP) };
        if (now.rules !== progress.rules || now.lake !== progress.lake) progress = now;
        else if (now.at - progress.at > STALL_MS) {
          throw new Error(`no progress for ${STALL_MS / 1000} s (rules-worker at ${now.rules - opts.warmup}, writer at ${now.lake - opts.warmup} of ${opts.events}); caracal's output ends:\n${caracal.out.slice(-6000)}`);
        }
        return finished;
      }, 7200_000, 100);
    } finally {
      polling = false;
    }
    await poller;
    const cpu1 = { tree: processTreeCpuSeconds(caracal.pid), main: ownCpuSeconds(caracal.pid) };
    const rssEnd = treeRss(caracal.pid);
    const tEnd = performance.now();

    const metricsEnd = await metricsText();
    const evaluated = metricSum(metricsEnd, 'caracal_rules_events_evaluated_total');
    const matches = metricSum(metricsEnd, 'caracal_rule_matches_total') ?? 0;
    const ruleErrors = metricSum(metricsEnd, 'caracal_rule_errors_total') ?? 0;
    // Our events only: every API call (this count too) adds a Panther.Audit event of source caracal-api.
    const [lakeRow] = cliQuery(clientEnv, `SELECT count() AS n, uniqExact(p_row_id) AS u FROM panther_logs.panther_audit WHERE p_source_id = '${sourceId}'`);
    const lake = { rows: Number(lakeRow.n), unique: Number(lakeRow.u) };
    if (lake.rows !== target || lake.unique !== target) throw new Error(`the lake holds ${lake.rows} rows (${lake.unique} unique p_row_id) of source ${sourceId}, expected ${target}`);

    const rate = (t) => Math.round(opts.events / secs(t));
    const cpuTree = cpu1.tree - cpu0.tree;
    const cpuMain = cpu1.main - cpu0.main;
    const peak = samples.reduce((m, s) => (s.total > m.total ? s : m), rssEnd);
    const at = (mark) => checkpoints.find((k) => k.mark === mark);
    const [h, f] = [at(half), at(opts.events)];
    const growth = h && f ? (100 * (f.total - h.total)) / h.total : undefined;
    // One sample falls anywhere in chDB's merge cycle (a merge holds up to a
    // few hundred MiB for seconds) and the garbage collector's; the median of
    // the per-second samples over the --rss-every events before each mark
    // says where the process sits there, not where one moment caught it.
    const medianBefore = (mark) => {
      const inWindow = samples.filter((s) => s.lake > mark - opts.rssEvery && s.lake <= mark).map((s) => s.total).sort((a, b) => a - b);
      return inWindow.length === 0 ? undefined : { total: inWindow[Math.floor((inWindow.length - 1) / 2)], n: inWindow.length };
    };
    const [hm, fm] = growth === undefined ? [] : [medianBefore(half), medianBefore(opts.events)];
    const medianGrowth = hm && fm ? (100 * (fm.total - hm.total)) / hm.total : undefined;

    console.log(`\n### embedded (caracal start, one process) — ${new Date().toISOString().slice(0, 10)}\n`);
    console.log(`command: npm run bench -- embedded ${argv.join(' ')}`.trimEnd());
    console.log(loadBefore);
    console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other benchmarks may share the machine)`);
    console.log(`caracal: \`caracal start\` (embedded: local log, chDB lake), fresh CARACAL_DATA_DIR, CARACAL_RULES_DIR=bench/content (10 rules), CARACAL_DETECTION_SANDBOX=${process.env.CARACAL_DETECTION_SANDBOX ?? 'bwrap (default)'}`);
    console.log(`workload: ${opts.events} Panther.Audit events (bench/pipeline-workload.js timedEvents${opts.events > BLOCK ? `, in blocks of ${BLOCK}` : ''}), ${timed.files.length} NDJSON files of ${opts.chunk} (${(timed.bytes / timed.files.length / 1024).toFixed(0)} KiB each), sent by ${opts.maxBacklog === undefined ? `${opts.senders} \`caracal send\` process(es) at once, all files each` : `\`caracal send\` invocations of ${opts.filesPerSend} files, ${opts.senders} at a time, each started when at most ${opts.maxBacklog} sent events were not yet evaluated or in the lake`}; after a warm-up of ${opts.warmup}`);
    console.log(`rules: ${evaluated === undefined ? '?' : evaluated} events evaluated by the rules-worker (caracal_rules_events_evaluated_total, warm-up included), ${matches} rule matches, ${ruleErrors} rule errors`);
    console.log(`lake: ${lake.rows} rows, ${lake.unique} unique p_row_id of source ${sourceId} (expected ${target}, warm-up included; checked with \`caracal query\`)`);
    console.log(`summary: embedded events=${opts.events} sent_eps=${rate(sentAt)} evaluated_eps=${rate(done.rules)} lake_eps=${rate(done.lake)} cpu_s=${cpuTree.toFixed(1)} cpu_us_per_event=${((cpuTree * 1e6) / opts.events).toFixed(0)} rss_peak_mib=${MiB(peak.total)}${growth === undefined ? '' : ` rss_half_mib=${MiB(h.total)} rss_full_mib=${MiB(f.total)} rss_growth_pct=${growth.toFixed(1)}`}${medianGrowth === undefined ? '' : ` rss_median_growth_pct=${medianGrowth.toFixed(1)}`}\n`);
    console.log('| stage reached by every event | seconds from the first send | events/s |');
    console.log('|---|---|---|');
    console.log(`| accepted by ingest (every \`caracal send\` exited 0) | ${secs(sentAt).toFixed(1)} | ${rate(sentAt)} |`);
    console.log(`| evaluated (rules-worker group committed in the local log) | ${secs(done.rules).toFixed(1)} | ${rate(done.rules)} |`);
    console.log(`| in the lake (writer group committed after its insert) | ${secs(done.lake).toFixed(1)} | ${rate(done.lake)} |`);
    console.log('');
    const wall = (tEnd - t0) / 1000;
    console.log(`| caracal process tree, first send to all in the lake (${wall.toFixed(1)} s) | CPU s | cores busy | CPU µs per event |`);
    console.log('|---|---|---|---|');
    console.log(`| caracal process (ingest, local log, rules-worker host, alerts, writer + chDB, api) | ${cpuMain.toFixed(1)} | ${(cpuMain / wall).toFixed(2)} | ${((cpuMain * 1e6) / opts.events).toFixed(0)} |`);
    console.log(`| its descendants (sandboxed detection processes) | ${(cpuTree - cpuMain).toFixed(1)} | ${((cpuTree - cpuMain) / wall).toFixed(2)} | ${(((cpuTree - cpuMain) * 1e6) / opts.events).toFixed(0)} |`);
    console.log(`| **all** | ${cpuTree.toFixed(1)} | ${(cpuTree / wall).toFixed(2)} | ${((cpuTree * 1e6) / opts.events).toFixed(0)} |`);
    console.log('');
    console.log('RSS of the caracal process tree (sum of VmRSS; shared pages of the detection processes count once per process), at each checkpoint once that many timed events were in the lake; heap (used, and committed: what V8 holds from the system) and external from its /metrics:\n');
    console.log('| events in the lake | s | sent, not yet in the lake | sent, not yet evaluated | caracal MiB | descendants MiB (processes) | **tree MiB** | heap used MiB | heap committed MiB | external MiB |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    console.log(`| after the warm-up | 0 | 0 | 0 | ${MiB(rssStart.main)} | ${MiB(rssStart.rest)} (${rssStart.processes}) | ${MiB(rssStart.total)} | | | |`);
    for (const k of checkpoints) {
      console.log(`| ${k.mark}${k.mark === half || k.mark === opts.events ? ' *' : ''} | ${k.t.toFixed(1)} | ${Math.max(0, k.sent - k.lake)} | ${Math.max(0, k.sent - k.rules)} | ${MiB(k.main)} | ${MiB(k.rest)} (${k.processes}) | ${MiB(k.total)} | ${k.heapUsed === undefined ? '?' : MiB(k.heapUsed)} | ${k.heapTotal === undefined ? '?' : MiB(k.heapTotal)} | ${k.external === undefined ? '?' : MiB(k.external)} |`);
    }
    console.log(`| all evaluated and in the lake | ${secs(tEnd).toFixed(1)} | 0 | 0 | ${MiB(rssEnd.main)} | ${MiB(rssEnd.rest)} (${rssEnd.processes}) | ${MiB(rssEnd.total)} | | | |`);
    console.log(`\npeak tree RSS (sampled every second): ${MiB(peak.total)} MiB${peak.t !== undefined ? ` at ${peak.t.toFixed(1)} s, ${peak.lake} events in the lake, ${Math.max(0, peak.sent - peak.lake)} sent and not yet in it` : ' at the end'}`);
    if (growth !== undefined) {
      console.log(`RSS after the ${half}th event in the lake: ${MiB(h.total)} MiB; after the ${opts.events}th: ${MiB(f.total)} MiB; growth ${growth.toFixed(1)} % (goal: <= 10 %)`);
      if (medianGrowth !== undefined) {
        console.log(`median of the per-second samples while the ${opts.rssEvery} events before each were written: ${MiB(hm.total)} MiB (${hm.n} samples) and ${MiB(fm.total)} MiB (${fm.n} samples); growth ${medianGrowth.toFixed(1)} %`);
      }
    }
    console.log(`bench wall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
    if (process.env.CARACAL_BENCH_SAMPLES) fs.writeFileSync(process.env.CARACAL_BENCH_SAMPLES, JSON.stringify({ samples, checkpoints }, null, 1));
  } finally {
    await caracal?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { main };
