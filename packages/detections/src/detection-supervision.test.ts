import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { loadContent } from './content-loader';
import { DetectionEngine } from './detection-engine';
import { InMemoryKvStore } from './kv/in-memory-kv-store';
import type { RuleOutcome, RuleOutcomeError, RuleOutcomeMatch } from './rule-outcome';
import { runRuleTests } from './rule-test-runner';
import { fixtureDir, normalizedEvent } from './test-support';

const TIMEOUT_MS = 1000;
const MEMORY_LIMIT_MB = 256;

let engine: DetectionEngine;
const kvStore = new InMemoryKvStore();
/** The reasons the engine reported for its replaced processes, in order (the metric's labels). */
const replacedFor: string[] = [];

before(async () => {
  const content = await loadContent(fixtureDir('supervision'));
  assert.deepEqual(content.errors, []);
  engine = await DetectionEngine.create(content, {
    processesPerTenant: 2,
    detectionTimeoutMs: TIMEOUT_MS,
    processMemoryLimitMb: MEMORY_LIMIT_MB,
    kvStore,
    onProcessReplaced: (reason) => replacedFor.push(reason),
  });
});

after(async () => {
  await engine.close();
  await kvStore.close();
});

const event = (tenant: string, fields: Record<string, unknown>) => normalizedEvent('Fixture.Log', tenant, fields);

function byEvent(outcomes: RuleOutcome[], ruleId: string): Map<number, RuleOutcome> {
  return new Map(outcomes.filter((o) => o.ruleId === ruleId).map((o) => [o.eventIndex, o]));
}

function errorOf(outcome: RuleOutcome | undefined): RuleOutcomeError {
  assert.ok(outcome, 'expected an outcome');
  assert.equal(outcome.kind, 'error', JSON.stringify(outcome));
  return outcome as RuleOutcomeError;
}

function assertMatched(outcome: RuleOutcome | undefined, title: string): void {
  assert.ok(outcome, 'expected a match');
  assert.equal(outcome.kind, 'match', JSON.stringify(outcome));
  assert.equal((outcome as RuleOutcomeMatch).title, title);
}

test('while True in rule() is stopped at the time limit as a rule error; the rest of the batch completes', async () => {
  const outcomes = await engine.evaluate('tenant-spin', [
    event('tenant-spin', { mode: 'match', n: 1 }),
    event('tenant-spin', { mode: 'spin' }),
    event('tenant-spin', { mode: 'match', n: 3 }),
  ]);
  const runaway = byEvent(outcomes, 'Supervision.Runaway');
  assertMatched(runaway.get(0), 'runaway fixture 1');
  const error = errorOf(runaway.get(1));
  assert.equal(error.errorType, 'DetectionTimeout');
  assert.match(error.message, new RegExp(`time limit of ${TIMEOUT_MS} ms`));
  assert.match(error.traceback, /runaway\.py", line \d+, in rule/);
  assertMatched(runaway.get(2), 'runaway fixture 3');
});

test('a runaway auxiliary function stops the whole run at the time limit', async () => {
  const outcomes = await engine.evaluate('tenant-spin', [event('tenant-spin', { mode: 'match', slow_title: true })]);
  const error = errorOf(byEvent(outcomes, 'Supervision.Runaway').get(0));
  assert.equal(error.errorType, 'DetectionTimeout');
  assert.match(error.traceback, /in title/);
});

test('a detection that swallows the interrupt costs its process: replaced, the batch completes', async () => {
  const replacedBefore = engine.stats().processesReplaced;
  const outcomes = await engine.evaluate('tenant-stubborn', [
    event('tenant-stubborn', { mode: 'match', n: 1 }),
    event('tenant-stubborn', { mode: 'stubborn' }),
    event('tenant-stubborn', { mode: 'match', n: 3 }),
  ]);
  const runaway = byEvent(outcomes, 'Supervision.Runaway');
  assertMatched(runaway.get(0), 'runaway fixture 1');
  const error = errorOf(runaway.get(1));
  assert.equal(error.errorType, 'DetectionAborted');
  assert.match(error.message, /did not stop within \d+ ms of its time limit of 1000 ms; its process was replaced/);
  assertMatched(runaway.get(2), 'runaway fixture 3');
  assert.equal(engine.stats().processesReplaced, replacedBefore + 1);
  assert.equal(replacedFor.at(-1), 'timeout');
  // The replacement serves the tenant again.
  const again = await engine.evaluate('tenant-stubborn', [event('tenant-stubborn', { mode: 'match', n: 4 })]);
  assertMatched(byEvent(again, 'Supervision.Runaway').get(0), 'runaway fixture 4');
});

test('a process that blows its memory limit is replaced without losing the batch', async () => {
  const replacedBefore = engine.stats().processesReplaced;
  const outcomes = await engine.evaluate('tenant-hog', [
    event('tenant-hog', { mode: 'match', n: 1 }),
    event('tenant-hog', { mode: 'hog' }),
    // Runs after the blow-up, while the memory is still over the limit: not to blame.
    event('tenant-hog', { mode: 'busy', n: 3 }),
  ]);
  const runaway = byEvent(outcomes, 'Supervision.Runaway');
  assertMatched(runaway.get(0), 'runaway fixture 1');
  const error = errorOf(runaway.get(1));
  // Stopped in Python when the supervisor looks in time; on a loaded machine the
  // interpreter may run out first, and then the run is refused and its process replaced.
  assert.ok(['MemoryLimitExceeded', 'DetectionAborted'].includes(error.errorType), JSON.stringify(error));
  assert.match(error.message, new RegExp(`limit of ${MEMORY_LIMIT_MB} MB`));
  assertMatched(runaway.get(2), 'runaway fixture 3');
  assert.equal(engine.stats().processesReplaced, replacedBefore + 1);
  assert.equal(replacedFor.at(-1), 'memory');
  const again = await engine.evaluate('tenant-hog', [event('tenant-hog', { mode: 'match', n: 4 })]);
  assertMatched(byEvent(again, 'Supervision.Runaway').get(0), 'runaway fixture 4');
});

test('a large batch is spread over the processes of its tenant, and the cache is shared by all of them per tenant', async () => {
  const events = Array.from({ length: 600 }, () => event('tenant-count', { mode: 'count', key: 'k' }));
  const before = engine.stats();
  const outcomes = await engine.evaluate('tenant-count', events);
  assert.equal(outcomes.filter((o) => o.ruleId === 'Supervision.CacheCounter' && o.kind === 'match').length, 600);
  assert.equal(engine.stats().batches - before.batches, 2, 'one request per process');
  assert.equal(await kvStore.execute('tenant-count', { op: 'get_counter', key: 'seen-k' }), 600);
  assert.equal(await kvStore.execute('tenant-other', { op: 'get_counter', key: 'seen-k' }), 0);
});

test('customer Python reaches no network, no host file, no host environment and no JavaScript object', async () => {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const outcomes = await engine.evaluate('tenant-probe', [event('tenant-probe', { mode: 'probe', port, path: __filename })]);
    const probe = byEvent(outcomes, 'Supervision.Probe').get(0);
    assert.ok(probe && probe.kind === 'match', JSON.stringify(probe));
    const context = probe.alertContext as { js_proxies: [number, string[]]; socket: string; file: string; root: string[]; env: Record<string, string> };
    // Pyodide's sockets connect from the worker's event loop, after Python
    // returns: a refused socket fails at once, an allowed one times out.
    assert.match(context.socket, /^OSError: /);
    await engine.evaluate('tenant-probe', [event('tenant-probe', { mode: 'quiet' })]);
    assert.equal(connections, 0, 'the local server saw no connection');
    assert.equal(context.file, 'FileNotFoundError', 'host files are not visible');
    assert.ok(!context.root.includes('work') && !context.root.includes('etc') && !context.root.includes('usr'), context.root.join(','));
    assert.deepEqual(Object.keys(context.env).sort(), ['HOME', 'LANG', 'PATH', 'USER']);
    const [proxies, reachable] = context.js_proxies;
    assert.ok(proxies > 0, 'the probe saw the host hooks (the check is not vacuous)');
    assert.deepEqual(reachable, []);
  } finally {
    server.close();
  }
});

test('caracal test semantics: a spinning test fails with the time limit, the others still run', async () => {
  const content = await loadContent(fixtureDir('supervision'));
  const report = await runRuleTests(content, { detectionTimeoutMs: TIMEOUT_MS, processes: 1 });
  const byName = new Map(report.results.map((r) => [r.name, r]));
  assert.equal(byName.get('Matches')?.passed, true);
  assert.equal(byName.get('Does not match')?.passed, true);
  assert.equal(byName.get('Spins forever')?.passed, false);
  assert.match(byName.get('Spins forever')?.reason ?? '', /DetectionTimeout: stopped after exceeding the time limit of 1000 ms/);
});

test('module code that never finishes loading costs one process, then that rule is an error and the others run', async () => {
  const content = await loadContent(fixtureDir('supervision-load'));
  assert.deepEqual(content.errors, []);
  const loading = await DetectionEngine.create(content, { processesPerTenant: 1, detectionTimeoutMs: TIMEOUT_MS });
  try {
    const outcomes = await loading.evaluate('tenant-load', [event('tenant-load', { mode: 'match', n: 1 })]);
    assertMatched(byEvent(outcomes, 'Supervision.Quiet').get(0), 'quiet fixture 1');
    const error = errorOf(byEvent(outcomes, 'Supervision.LoopAtImport').get(0));
    assert.equal(error.errorType, 'DetectionAborted');
    assert.match(error.message, /^loading the rule module did not stop/);
    assert.equal(loading.stats().processesReplaced, 1);
    // A second tenant's interpreter does not try to load it again.
    const other = await loading.evaluate('tenant-load-2', [event('tenant-load-2', { mode: 'match', n: 2 })]);
    assertMatched(byEvent(other, 'Supervision.Quiet').get(0), 'quiet fixture 2');
    assert.equal(loading.stats().processesReplaced, 1);
  } finally {
    await loading.close();
  }
});
