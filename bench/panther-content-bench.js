'use strict';
// `npm run bench -- panther-content --content <dir> [--reference <panther_analysis_tool>] [--runs N]`
//
// Runs the Tests of a detection content tree (a checkout of
// panther-labs/panther-analysis, or a fork) through `caracal test` and through
// the reference tool, back to back on the same machine, and compares them test
// by test: wall time, peak memory of each process tree, the tests each passes,
// and every test the reference passes that Caracal does not, with Caracal's
// reason. The reference's outcome is the truth for every test.
//
// Without --reference, the reference tool is installed once into
// .cache/pat-venv: panther_analysis_tool at REFERENCE_VERSION plus the
// content's own Pipfile [packages], as the content's authors run it.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const REFERENCE_VERSION = '1.11.1';
const VENV = path.join(ROOT, '.cache', 'pat-venv');
const SAMPLE_MS = 100;

function parseArgs(argv) {
  const opts = { content: undefined, reference: undefined, runs: 1, differences: 50 };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${key} needs a value`);
    if (key === '--content') opts.content = path.resolve(value);
    else if (key === '--reference') opts.reference = path.resolve(value);
    else if (key === '--runs' || key === '--differences') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${key} must be a whole number`);
      opts[key.slice(2)] = n;
    } else throw new Error(`unknown option ${key} (known: --content DIR, --reference PATH, --runs N, --differences N)`);
  }
  if (!opts.content) throw new Error('--content <dir> is required: a checkout of panther-labs/panther-analysis');
  if (!fs.statSync(opts.content, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${opts.content} is not a directory`);
  if (opts.runs < 1) throw new Error('--runs must be at least 1');
  return opts;
}

/** `name = "spec"` lines of the Pipfile's [packages] table, as pip requirements. */
function pipfilePackages(contentDir) {
  const file = path.join(contentDir, 'Pipfile');
  if (!fs.existsSync(file)) return [];
  const out = [];
  let inPackages = false;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const section = line.match(/^\s*\[(.+)\]\s*$/);
    if (section) {
      inPackages = section[1] === 'packages';
      continue;
    }
    const entry = inPackages && line.match(/^\s*([A-Za-z0-9_.-]+)\s*=\s*"([^"]*)"/);
    if (!entry || /^panther[-_]analysis[-_]tool$/i.test(entry[1])) continue;
    out.push(entry[2] === '*' ? entry[1] : `${entry[1]}${entry[2]}`);
  }
  return out;
}

function ensureReference(opts) {
  if (opts.reference) return opts.reference;
  const tool = path.join(VENV, 'bin', 'panther_analysis_tool');
  if (fs.existsSync(tool)) return tool;
  console.error(`bench: installing panther_analysis_tool ${REFERENCE_VERSION} into ${VENV} (once)`);
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
  };
  run('python3', ['-m', 'venv', VENV]);
  run(path.join(VENV, 'bin', 'pip'), ['install', '--quiet', `panther_analysis_tool==${REFERENCE_VERSION}`, ...pipfilePackages(opts.content)]);
  return tool;
}

/** Resident memory of a process and all its descendants, in bytes; from /proc. */
function treeRssBytes(rootPid) {
  const children = new Map();
  const rss = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      rss.set(Number(name), Number(fields[21]) * 4096);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // The process ended between listing and reading.
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop();
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Runs a command to its end: stdout, exit code, wall seconds, peak tree RSS. */
function measured(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let peak = 0;
    const timer = setInterval(() => {
      peak = Math.max(peak, treeRssBytes(child.pid));
    }, SAMPLE_MS);
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        peakRssMb: peak / 1024 / 1024,
      });
    });
  });
}

/** Test outcomes keyed `<id>\u0000<name>\u0000<occurrence>` (names repeat within an item). */
function keyed(list) {
  const seen = new Map();
  const out = new Map();
  for (const { id, name, passed, reason } of list) {
    const base = `${id}\u0000${name}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.set(`${base}\u0000${n}`, { id, name, passed, reason });
  }
  return out;
}

/**
 * The reference prints each item's id on its own line, then one tab-indented
 * `[PASS] name` / `[FAIL] name` line per test (the function checks under it
 * are indented twice), until the summaries after a dashed line.
 */
function parseReference(text) {
  const clean = text.replace(/\x1b\[[0-9;]*m/g, '');
  const tests = [];
  let id;
  for (const line of clean.split('\n')) {
    if (line.startsWith('-----')) break;
    const test = line.match(/^\t\[(PASS|FAIL)\] (.*)$/);
    if (test && id !== undefined) tests.push({ id, name: test[2], passed: test[1] === 'PASS' });
    // Ids hold no blanks; an unindented line with blanks is something a detection printed.
    else if (/^\S+$/.test(line) && !/^(INFO|WARNING|ERROR|DEBUG):/.test(line)) id = line.trim();
  }
  const invalid = clean.match(/^\tInvalid: (\d+)$/m);
  return { tests, invalid: invalid ? Number(invalid[1]) : undefined };
}

function parseOurs(text) {
  const run = JSON.parse(text);
  const tests = run.results.map((r) => ({ id: r.ruleId ?? r.id, name: r.name, passed: r.passed, reason: r.reason }));
  return { tests, summary: run.summary };
}

function compare(ours, reference) {
  const ourTests = keyed(ours.tests);
  const refTests = keyed(reference.tests);
  const differences = [];
  let bothPass = 0;
  for (const [key, ref] of refTests) {
    const mine = ourTests.get(key);
    if (mine && mine.passed === ref.passed) {
      if (ref.passed) bothPass += 1;
      continue;
    }
    differences.push({
      id: ref.id,
      name: ref.name,
      reference: ref.passed ? 'pass' : 'fail',
      caracal: mine === undefined ? 'not run' : mine.passed ? 'pass' : 'fail',
      reason: mine?.reason,
    });
  }
  const extra = [...ourTests.keys()].filter((k) => !refTests.has(k)).length;
  return { referenceTests: refTests.size, bothPass, differences, onlyCaracal: extra };
}

function gitCommit(dir) {
  const r = spawnSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown (not a git checkout)';
}

async function main(argv) {
  const opts = parseArgs(argv);
  const reference = ensureReference(opts);
  const cli = path.join(ROOT, 'packages', 'cli', 'bin', 'caracal.js');
  const runs = [];
  for (let i = 0; i < opts.runs; i += 1) {
    // Alternating, ours first: the second of a pair reads the tree from a warm page cache.
    const mine = await measured(process.execPath, [cli, 'test', opts.content, '--format', 'json'], ROOT);
    const theirs = await measured(reference, ['test', '--path', opts.content], opts.content);
    runs.push({ mine, theirs });
  }
  const last = runs[runs.length - 1];
  let ours;
  try {
    ours = parseOurs(last.mine.stdout);
  } catch {
    throw new Error(`caracal test wrote no JSON report (exit ${last.mine.code}):\n${last.mine.stderr.slice(-2000)}`);
  }
  const ref = parseReference(last.theirs.stdout + last.theirs.stderr);
  if (ref.tests.length === 0) throw new Error(`the reference ran no test (exit ${last.theirs.code}):\n${last.theirs.stderr.slice(-2000)}`);
  const result = compare(ours, ref);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const share = (100 * result.bothPass) / result.referenceTests;

  console.log(`content: ${opts.content} @ ${gitCommit(opts.content)}`);
  console.log(`reference: ${reference} (exit ${last.theirs.code})`);
  console.log(`runs: ${opts.runs}`);
  console.log('| | wall s (median) | peak RSS MB (max) | tests | passed | failed | invalid items | exit |');
  console.log('|---|---|---|---|---|---|---|---|');
  const refPassed = ref.tests.filter((t) => t.passed).length;
  console.log(
    `| caracal test | ${median(runs.map((r) => r.mine.seconds)).toFixed(1)} | ${Math.max(...runs.map((r) => r.mine.peakRssMb)).toFixed(0)} | ${ours.tests.length} | ${ours.summary.passed} | ${ours.summary.failed} | ${ours.summary.invalid ?? 'n/a'} | ${last.mine.code} |`,
  );
  console.log(
    `| panther_analysis_tool ${REFERENCE_VERSION} | ${median(runs.map((r) => r.theirs.seconds)).toFixed(1)} | ${Math.max(...runs.map((r) => r.theirs.peakRssMb)).toFixed(0)} | ${ref.tests.length} | ${refPassed} | ${ref.tests.length - refPassed} | ${ref.invalid ?? 'n/a'} | ${last.theirs.code} |`,
  );
  console.log(
    `\nCaracal passes ${result.bothPass} of the reference's ${result.referenceTests} tests (${share.toFixed(2)}%); ` +
      `${result.differences.length} differ; ${result.onlyCaracal} tests run only by Caracal.`,
  );
  const byReason = new Map();
  for (const d of result.differences) {
    const reason = `${d.reference}->${d.caracal}: ${(d.reason ?? '').replace(/\(at [^)]*\)/g, '').slice(0, 100)}`;
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }
  if (byReason.size > 0) console.log('\ndifferences by cause:');
  for (const [reason, n] of [...byReason].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${reason}`);
  if (result.differences.length > 0 && opts.differences > 0) console.log('\ndifferences:');
  for (const d of result.differences.slice(0, opts.differences)) {
    console.log(`  ${d.id} / ${d.name}: reference ${d.reference}, caracal ${d.caracal}${d.reason ? ` (${d.reason.slice(0, 200)})` : ''}`);
  }
}

module.exports = { main, parseReference, pipfilePackages };
