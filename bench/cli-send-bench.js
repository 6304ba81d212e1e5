// `caracal send` as a user runs it, on large files: an NDJSON file and the
// same events as one JSON array, sent to a sink that answers as ingest does
// (HMAC-checked, every event accepted), so that the figures are the client's:
// events/s, MB/s, bodies, and the peak RSS of the caracal process, which
// should not grow with the file (it streams). The sink checks each body's
// signature and counts its lines, in this process, on the other core.
// Usage: npm run bench -- send [--events N] [--bodyKiB N]
'use strict';
const { wholeNumberOptions } = require('./bench-options');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { createHmac, timingSafeEqual } = require('node:crypto');
const { auditEvents } = require('./audit-event-generator');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'packages', 'cli', 'bin', 'caracal.js');
const SECRET = 'bench-secret';
const SIGNATURE_HEADER = 'x-caracal-signature-256';

/** The generator's rows without the fields Caracal adds, as a sender holds them. */
function rawEvents(count) {
  return auditEvents(count).map((e) => Object.fromEntries(Object.entries(e).filter(([k, v]) => !k.startsWith('p_') && v !== undefined)));
}

/** Writes `copies` rounds of `events` as NDJSON and as one pretty-printed JSON array, a stream at a time. */
async function writeFiles(dir, events, copies) {
  const ndjson = path.join(dir, 'events.ndjson');
  const array = path.join(dir, 'events.json');
  const lines = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
  const pretty = events.map((e) => JSON.stringify(e, null, 2));
  fs.writeFileSync(ndjson, '');
  fs.writeFileSync(array, '[\n');
  for (let i = 0; i < copies; i++) {
    fs.appendFileSync(ndjson, lines);
    fs.appendFileSync(array, (i === 0 ? '' : ',\n') + pretty.join(',\n'));
  }
  fs.appendFileSync(array, '\n]\n');
  return { ndjson, array };
}

function startSink() {
  const stats = { bodies: 0, events: 0, bytes: 0, maxBody: 0 };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
      const given = Buffer.from(String(req.headers[SIGNATURE_HEADER] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'bad signature' }));
        return;
      }
      let events = 0;
      for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) events++;
      if (body.length > 0 && body[body.length - 1] !== 10) events++;
      stats.bodies++;
      stats.events += events;
      stats.bytes += body.length;
      stats.maxBody = Math.max(stats.maxBody, body.length);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: events, rejectedCount: 0, rejected: [] }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, stats, url: `http://127.0.0.1:${server.address().port}` })));
}

/** Runs `caracal send` on one file; its peak RSS from /proc (VmHWM), read until it exits. */
function send(url, file, bodyBytes) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const args = [CLI, 'send', '--source', 'bench', '--url', url, '--secret', SECRET, '--auth', 'hmac-sha256', '--max-body-bytes', String(bodyBytes), '--format', 'json', file];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let peakKiB = 0;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
      } catch {
        // Gone between samples: the last one stands.
      }
    };
    const timer = setInterval(sample, 20);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`caracal send exited ${code}: ${err}${out}`));
      resolve({ seconds, peakMiB: peakKiB / 1024, summary: JSON.parse(out) });
    });
  });
}

async function main(argv) {
  const opts = wholeNumberOptions(argv, { events: 500_000, bodyKiB: 1024 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-send-bench-'));
  const unique = rawEvents(10_000);
  const copies = Math.ceil(opts.events / unique.length);
  const { ndjson, array } = await writeFiles(dir, unique, copies);
  const total = copies * unique.length;
  const sink = await startSink();
  console.log(`caracal send, ${total} Panther.Audit events, bodies up to ${opts.bodyKiB} KiB, HMAC-signed, to a sink on loopback (${os.cpus().length} cores, Node ${process.version})`);
  console.log('| file | size | time | events/s | MB/s read | bodies | peak RSS of caracal |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  try {
    for (const [label, file] of [['NDJSON', ndjson], ['JSON array, pretty-printed', array]]) {
      const before = { ...sink.stats };
      const r = await send(sink.url, file, opts.bodyKiB * 1024);
      const events = sink.stats.events - before.events;
      if (events !== total) throw new Error(`${label}: the sink counted ${events} events, not ${total}`);
      const bytes = fs.statSync(file).size;
      console.log(
        `| ${label} | ${(bytes / 1e6).toFixed(0)} MB | ${r.seconds.toFixed(1)} s | ${Math.round(total / r.seconds)} | ${(bytes / 1e6 / r.seconds).toFixed(1)} | ${sink.stats.bodies - before.bodies} | ${r.peakMiB.toFixed(0)} MiB |`,
      );
    }
  } finally {
    sink.server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { main };
