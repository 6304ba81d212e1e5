import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { loadConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { repoRoot, tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// `caracal send` against the real ingest of an embedded Caracal: bodies cut
// under a small limit, the three auth modes, and a retry through a real
// HTTP server in front of ingest that answers 429 once.
const dataDir = tempDir('e2e-send');
// Ingest takes bodies of 16 KiB at most; a send told a larger limit learns it from the 413.
const env = { CARACAL_DATA_DIR: dataDir, CARACAL_HTTP_PORT: '0', CARACAL_GRPC_PORT: '0', CARACAL_LOG_LEVEL: 'warn', CARACAL_INGEST_MAX_BODY_BYTES: '16384' };
let caracal: CaracalProcess;
let ingestUrl: string;

interface Summary {
  accepted: number;
  refused: number;
  files: { file: string; accepted: number; refused: number; bodies: number; reasons: { reason: string; count: number; first: string }[]; error?: string }[];
}

function auditEvent(source: string, i: number, pad = 0) {
  return {
    actionName: 'EXECUTE_DATA_LAKE_QUERY',
    // Each event its own: identical events would share a row id and be one row in the lake.
    actionParams: { dynamic: { input: { sql: `SELECT ${i} -- "quoted" [bracket] {brace}, comma\n${'x'.repeat(pad)}` } } },
    actionResult: 'SUCCEEDED',
    actor: { id: `${source}-actor`, name: 'marge@springfield.gov', type: 'USER' },
    pantherVersion: '1.74.6',
    timestamp: new Date(Date.now() - 60_000).toISOString(),
  };
}

function lakeCount(sourceId: string): number {
  const r = runCaracal(['query', `SELECT count() AS n FROM panther_logs.panther_audit WHERE p_source_id = '${sourceId}'`, '--format', 'json'], env);
  assert.equal(r.status, 0, r.stderr);
  return Number((JSON.parse(r.stdout) as { n: string | number }[])[0].n);
}

function waitForLake(sourceId: string, expected: number): Promise<number> {
  return waitFor(`${expected} events of ${sourceId} in the lake`, async () => {
    const n = lakeCount(sourceId);
    assert.ok(n <= expected, `${n} events of ${sourceId} in the lake, more than the ${expected} sent`);
    return n === expected ? n : undefined;
  }, 90_000, 500);
}

function newSource(id: string, authMode: 'hmac-sha256' | 'bearer'): string {
  const control = ControlStore.open(loadConfig(env).controlFile);
  return control.createSource({ id, tenantId: 'demo', logType: 'Panther.Audit', authMode }).secret;
}

/** `caracal send` without blocking this process, which may be serving the HTTP server it sends to. */
function sendAsync(args: string[], input?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot(), 'packages', 'cli', 'bin', 'caracal.js'), 'send', ...args], {
      env: { ...process.env, CARACAL_OPS_PORT: '0', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

before(async () => {
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Stop with Ctrl-C/);
  ingestUrl = (JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8')) as { ingestUrl: string }).ingestUrl;
});

after(async () => {
  await caracal?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a file larger than the body limit goes in several bodies to the data dir source; a bad and an oversized event are refused by where they are', async () => {
  const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify(auditEvent('dd', i)));
  lines.splice(100, 0, JSON.stringify({ actionName: 'NO_ACTOR', timestamp: new Date().toISOString() }));
  lines.splice(200, 0, JSON.stringify(auditEvent('dd', 9999, 8000)));
  const file = path.join(dataDir, 'big.ndjson');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  assert.ok(fs.statSync(file).size > 10 * 4096);

  // No --source, --url or --secret: all from the data dir, as before.
  const r = runCaracal(['send', '--max-body-bytes', '4096', '--format', 'json', file], env);
  assert.equal(r.status, 1, 'refused events make the exit code 1');
  assert.equal(r.stderr, '', 'no progress output when stderr is not a terminal');
  const summary = JSON.parse(r.stdout) as Summary;
  assert.equal(summary.accepted, 300);
  assert.equal(summary.refused, 2);
  const [f] = summary.files;
  assert.ok(f.bodies >= 10, `${f.bodies} bodies`);
  const reasons = Object.fromEntries(f.reasons.map((x) => [x.first, x.reason]));
  assert.match(reasons[`${file}:101`], /^actionResult: is required|^actor|required/);
  assert.equal(reasons[`${file}:201`], 'an event larger than the body limit of 4096 bytes');
  await waitForLake('panther-audit', 300);
});

test('an HMAC source signs each body; a JSON array file spread over lines is sent element by element; a wrong key is refused with the server\'s word', async () => {
  const secret = newSource('signed-audit', 'hmac-sha256');
  const secretFile = path.join(dataDir, 'signed.secret');
  fs.writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  const file = path.join(dataDir, 'signed.json');
  fs.writeFileSync(file, JSON.stringify(Array.from({ length: 40 }, (_, i) => auditEvent('signed', i)), null, 2));
  const r = runCaracal(['send', '--source', 'signed-audit', '--auth', 'hmac-sha256', '--secret-file', secretFile, '--max-body-bytes', '2048', file], env);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: 40 accepted, 0 refused, in \\d+ requests$`, 'm'));

  const wrong = runCaracal(['send', '--source', 'signed-audit', '--auth', 'hmac-sha256', '--secret', 'crs_not-the-key', file], env);
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /^caracal: .*signed\.json: the x-caracal-signature-256 signature does not match the body for source "signed-audit"$/m);
  await waitForLake('signed-audit', 40);
});

test('a bearer source takes its secret in Authorization; stdin is "-"; a forced progress line goes to stderr', async () => {
  const secret = newSource('bearer-audit', 'bearer');
  const input = Array.from({ length: 25 }, (_, i) => JSON.stringify(auditEvent('bearer', i))).join('\n');
  const r = await sendAsync(['--source', 'bearer-audit', '--auth', 'bearer', '--secret', secret, '--progress', '--format', 'json', '-'], input);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal((JSON.parse(r.stdout) as Summary).files[0].accepted, 25);
  assert.match(r.stderr, /\r\x1b\[2K25 events sent \(\d+\/s\), 0 refused/);
  await waitForLake('bearer-audit', 25);
});

test('a 429 with Retry-After is waited out and the same bytes sent again', async () => {
  const secret = newSource('retried-audit', 'hmac-sha256');
  const bodies: Buffer[] = [];
  const target = new URL(ingestUrl);
  // A real server in front of ingest: the first request is answered 429, the next ones go through.
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      if (bodies.length === 1) {
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'RESOURCE_EXHAUSTED', message: 'slow down' } }));
        return;
      }
      const forward = http.request({ host: target.hostname, port: target.port, path: req.url, method: 'POST', headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const started = Date.now();
    const input = Array.from({ length: 5 }, (_, i) => JSON.stringify(auditEvent('retried', i))).join('\n');
    const r = await sendAsync(['--source', 'retried-audit', '--url', url, '--auth', 'hmac-sha256', '--secret', secret, '--format', 'json', '-'], input);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal((JSON.parse(r.stdout) as Summary).accepted, 5);
    assert.equal(bodies.length, 2);
    assert.ok(bodies[0].equals(bodies[1]), 'the retry sends the same bytes');
    assert.ok(Date.now() - started >= 1000, 'Retry-After: 1 was waited out');
    await waitForLake('retried-audit', 5);
  } finally {
    await new Promise((resolve) => proxy.close(resolve));
  }
});

test('a missing file is named, the other files still go', () => {
  const file = path.join(dataDir, 'one.ndjson');
  fs.writeFileSync(file, JSON.stringify(auditEvent('dd', 5000)));
  const r = runCaracal(['send', path.join(dataDir, 'missing.ndjson'), file], env);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^caracal: cannot read .*missing\.ndjson: .*ENOENT/m);
  assert.match(r.stdout, /one\.ndjson: 1 accepted, 0 refused, in 1 request$/m);
});

test('a body over ingest\'s own limit (a 413) is sent again in halves, none of its events lost', async () => {
  const file = path.join(dataDir, 'halved.ndjson');
  fs.writeFileSync(file, Array.from({ length: 120 }, (_, i) => JSON.stringify(auditEvent('halved', i, 200))).join('\n'));
  assert.ok(fs.statSync(file).size > 2 * 16384);
  const r = runCaracal(['send', '--max-body-bytes', String(1024 * 1024), '--format', 'json', file], env);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const [f] = (JSON.parse(r.stdout) as Summary).files;
  assert.equal(f.accepted, 120);
  assert.ok(f.bodies >= 4, `${f.bodies} bodies`);
  await waitForLake('panther-audit', 421);
});
