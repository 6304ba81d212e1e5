// What the Python packages detections may import cost (issue 16): interpreter
// start for content that imports none of them, and the first import of each
// package in a started interpreter.
// Usage: npm run bench -- python-packages [--runs N] [--sandbox bwrap|process|unsandboxed] [--baseline DIR]
// --baseline DIR: a copy of packages/detections built from another commit (its
// dist, python and wheels), placed inside this checkout so that it resolves
// the same node_modules; its starts are timed alternately with this one's, so
// that both see the same load.
'use strict';
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const TENANT = 'bench';

// Each case runs in a fresh interpreter, so that no earlier import is cached.
const IMPORTS = [
  ['import dateutil.parser', 'import dateutil.parser'],
  ['import policyuniverse.policy', 'from policyuniverse.policy import Policy'],
  ['import pycountry + lookup', 'import pycountry\npycountry.countries.get(alpha_2="FR")'],
  ['import requests', 'import requests'],
  ['import boto3', 'import boto3'],
  ['import boto3 + boto3.client("s3")', 'import boto3\nboto3.client("s3", region_name="us-east-1")'],
];

function options(argv) {
  const opts = { runs: 5, sandbox: 'bwrap', baseline: undefined };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--runs') opts.runs = Number(value);
    else if (flag === '--sandbox') opts.sandbox = value;
    else if (flag === '--baseline') opts.baseline = path.resolve(value);
    else throw new Error(`unknown option ${flag} (known: --runs N, --sandbox bwrap|process|unsandboxed, --baseline DIR)`);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs must be a whole number >= 1');
  if (!['bwrap', 'process', 'unsandboxed'].includes(opts.sandbox)) throw new Error(`--sandbox must be bwrap, process or unsandboxed, got ${opts.sandbox}`);
  return opts;
}

const ms = (since) => Number(process.hrtime.bigint() - since) / 1e6;

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return `median ${median.toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms (${values.length} runs)`;
}

function payload(source) {
  return JSON.stringify({
    globals: [],
    dataModels: [],
    rules: [{ id: 'Bench.Import', enabled: true, logTypes: ['Bench.Import'], severity: 'INFO', displayName: '', description: '', reference: '', runbook: '', source: `${source}\n\ndef rule(event):\n    return False\n`, filename: 'bench_import.py' }],
  });
}

function build(label, dir) {
  return {
    label,
    detections: require(path.join(dir, 'dist')),
    PyodideRuntime: require(path.join(dir, 'dist', 'pyodide-runtime')).PyodideRuntime,
    starts: [],
    startCpu: [],
    firsts: [],
  };
}

/** A started interpreter's loadContent of a rule that imports `source`, against the same rule without it. */
async function importCost(PyodideRuntime, source) {
  const runtime = await PyodideRuntime.start({ label: 'bench-import' });
  try {
    let started = process.hrtime.bigint();
    runtime.loadContent(payload('pass'));
    const baseline = ms(started);
    started = process.hrtime.bigint();
    const { loadErrors } = runtime.loadContent(payload(source));
    const elapsed = ms(started);
    if (loadErrors.length > 0) return { error: `${loadErrors[0].errorType}: ${loadErrors[0].message}` };
    return { ms: elapsed - baseline };
  } finally {
    runtime.close();
  }
}

async function main(argv) {
  const opts = options(argv);
  console.log(`Node ${process.version}, Pyodide ${require('pyodide/package.json').version}`);
  const builds = [build('this checkout', path.join(ROOT, 'packages', 'detections'))];
  if (opts.baseline) builds.push(build(`baseline ${path.relative(ROOT, opts.baseline)}`, opts.baseline));
  const content = await builds[0].detections.loadContent(path.join(ROOT, 'rules', 'panther_audit'));
  const event = { p_log_type: 'Panther.Audit', p_tenant_id: TENANT, p_row_id: 'r1', p_event_time: '2024-03-05 17:42:09.512', actionName: 'DELETE_DETECTION', actionResult: 'SUCCEEDED' };

  for (let i = 0; i < opts.runs; i++) {
    for (const b of builds) {
      // The interpreter alone, in this process: what every detection process pays before its first batch.
      // CPU time too: on a shared machine it moves far less than wall time.
      const cpu = process.cpuUsage();
      let started = process.hrtime.bigint();
      const runtime = await b.PyodideRuntime.start({ label: `bench-${i}` });
      b.starts.push(ms(started));
      const used = process.cpuUsage(cpu);
      b.startCpu.push((used.user + used.system) / 1000);
      runtime.close();
      // A detection process as the engine starts it: launch, interpreter, content, one event.
      const engine = await b.detections.DetectionEngine.create(content, { sandbox: { kind: opts.sandbox } });
      started = process.hrtime.bigint();
      await engine.evaluate(TENANT, [event]);
      b.firsts.push(ms(started));
      await engine.close();
    }
  }
  for (const b of builds) {
    console.log(`${b.label}: interpreter start (in process, no content): ${summary(b.starts)}`);
    console.log(`${b.label}: interpreter start, CPU time of this process: ${summary(b.startCpu)}`);
    console.log(`${b.label}: detection process start + first event (${opts.sandbox}, rules/panther_audit): ${summary(b.firsts)}`);
  }

  for (const [name, source] of IMPORTS) {
    const costs = [];
    let error;
    for (let i = 0; i < opts.runs && !error; i++) {
      const cost = await importCost(builds[0].PyodideRuntime, source);
      if (cost.error) error = cost.error;
      else costs.push(cost.ms);
    }
    console.log(`${name}: ${error ? `fails (${error.split('\n')[0]})` : summary(costs)}`);
  }
}

module.exports = { main };
