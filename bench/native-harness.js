// The detection harness under native CPython (bench/native-harness-driver.py),
// kept running so that its timed passes can alternate with another engine's
// on a machine whose load changes: the reference the Pyodide engine and the
// pipeline are measured against.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { contentPayload } = require('../packages/detections/dist');

const ROOT = path.resolve(__dirname, '..');
const PYTHON_DIR = path.join(ROOT, 'packages', 'detections', 'python');
const WHEELS_DIR = path.join(ROOT, 'packages', 'detections', 'wheels');

/** The native driver, kept running so that its passes can alternate with the engine's. */
/** opts: { python (executable), warmup (batches) }. */
async function startNative(content, batches, opts) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-bench-'));
  const payloadFile = path.join(dir, 'payload.json');
  const batchesFile = path.join(dir, 'batches.jsonl');
  fs.writeFileSync(payloadFile, contentPayload(content));
  fs.writeFileSync(batchesFile, batches.map((b) => JSON.stringify(b)).join('\n'));
  const args = [
    path.join(__dirname, 'native-harness-driver.py'),
    '--python-dir', PYTHON_DIR, '--wheels-dir', WHEELS_DIR,
    '--payload', payloadFile, '--batches', batchesFile, '--warmup', String(opts.warmup),
  ];
  const child = spawn(opts.python, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  const spawned = new Promise((resolve, reject) => {
    child.on('spawn', resolve);
    child.on('error', (err) => reject(new Error(`cannot run ${opts.python}: ${err.message}`)));
  });
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`the native harness driver exited (code ${await exited}); its errors are above`);
    const reply = JSON.parse(line.value);
    if (reply.error) throw new Error(`native harness driver: ${reply.error}`);
    return reply;
  };
  const close = async () => {
    child.stdin.end();
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await spawned;
    const ready = await next();
    return {
      ...ready,
      runSeconds: [],
      cpuSeconds: [],
      async pass() {
        child.stdin.write('pass\n');
        const timing = await next();
        this.runSeconds.push(timing.seconds);
        this.cpuSeconds.push(timing.cpuSeconds);
      },
      async profile(top) {
        child.stdin.write(`profile ${top}\n`);
        await next();
      },
      close,
    };
  } catch (err) {
    child.kill();
    await close();
    throw err;
  }
}

module.exports = { startNative };
