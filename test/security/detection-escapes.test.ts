import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { TenantDetectionRecord } from '@caracal/core/messages';
import {
  ContentSet,
  DetectionEngine,
  DetectionEngineOptions,
  DetectionTestOptions,
  InMemoryKvStore,
  RuleOutcome,
  tenantContent,
  testDetection,
} from '@caracal/detections';
import { normalizedEvent } from '@caracal/detections/dist/test-support';
import { ESCAPE_CASES, EscapeCase, GC_JSFINDER_PAYLOAD, REDTEAM_ORIGINAL } from './escape-cases';
import { HostWitness, evidenceInText, filesWritten, plantHostWitness, startListener } from './redteam-host';
import { EscapeConfig, escapeSource } from './redteam-python';

/**
 * The red-team suite: customer detections that try to leave their sandbox
 * (see escape-cases.ts and README.md). Each case is judged on evidence the
 * test planted (canaries, markers, a listener, another tenant's cache) and on
 * containment (a rule error for the tenant, in time; the bystander tenant
 * unaffected). A failing case is an escape or a containment failure.
 *
 * CARACAL_REDTEAM_SANDBOX picks the sandbox under test (default bwrap, what
 * production runs); `unsandboxed` runs the whole table as a negative control.
 */
type SandboxKind = 'bwrap' | 'process' | 'unsandboxed';
const SANDBOX = (process.env.CARACAL_REDTEAM_SANDBOX ?? 'bwrap') as SandboxKind;

const LOG_TYPE = 'RedTeam.Log';
const RULE_ID = 'RedTeam.Escape';
const BYSTANDER = 'rt-bystander';
const BYSTANDER_RULE = 'RedTeam.Bystander';
const BYSTANDER_KEY = 'bystander-secret';
const BYSTANDER_SECRET = `rt-bystander-cache-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
const TIME_LIMIT_MS = 2_000;
/** What the engine gives a run past its limit before killing its process (killGraceMs of the engine). */
const GRACE_MS = 2_000;
const MEMORY_LIMIT_MB = 384;

const BASE: ContentSet = {
  root: '/redteam-content',
  rules: [],
  globals: [],
  dataModels: [],
  scheduledRules: [],
  scheduledQueries: [],
  savedQueries: [],
  unsupported: [],
  errors: [],
};

const BYSTANDER_PY = `
from panther_detection_helpers.caching import get_dictionary, put_dictionary


def rule(event):
    if event.get("action") == "store":
        put_dictionary("${BYSTANDER_KEY}", {"v": "${BYSTANDER_SECRET}"})
    return True


def title(event):
    value = get_dictionary("${BYSTANDER_KEY}") or {}
    return f"bystander {event.get('n')} holds {value.get('v')}"
`;

function yamlFor(ruleId: string, withTest: boolean): string {
  const spec = `AnalysisType: rule\nRuleID: ${ruleId}\nFilename: ${ruleId.toLowerCase().replace(/\W/g, '_')}.py\nEnabled: true\nLogTypes: [${LOG_TYPE}]\nSeverity: High\n`;
  return withTest ? `${spec}Tests:\n  - Name: escape\n    ExpectedResult: true\n    Log: {"p_log_type": "${LOG_TYPE}", "n": 0}\n` : spec;
}

/** One tenant's content: the empty pack plus one rule, put as the API would. */
function ruleContent(tenantId: string, ruleId: string, python: string, withTest = false): ContentSet {
  const record: TenantDetectionRecord = { tenantId, ruleId, files: { yaml: yamlFor(ruleId, withTest), python }, version: 1, updatedAtMs: 0, updatedBy: 'token:redteam (t0)' };
  const { content, problems } = tenantContent(BASE, [record], { supportedLogTypes: [LOG_TYPE] });
  assert.deepEqual(problems.map((p) => p.error.message), []);
  return content;
}

function engineOptions(kind: SandboxKind, kvStore: InMemoryKvStore): DetectionEngineOptions {
  // Built loosely: the option names of the engine under test, whatever it accepts of them.
  return {
    processesPerTenant: 1,
    maxProcesses: 3,
    detectionTimeoutMs: TIME_LIMIT_MS,
    processMemoryLimitMb: MEMORY_LIMIT_MB,
    kvStore,
    sandbox: { kind },
  } as DetectionEngineOptions;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Timed<T> {
  ms: number;
  value?: T;
  error?: unknown;
  /** Still not settled at the hard cap: a hang. */
  hung?: boolean;
}

async function timed<T>(fn: () => Promise<T>, capMs: number): Promise<Timed<T>> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<Timed<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ms: Date.now() - started, hung: true }), capMs);
  });
  const run = fn().then(
    (value) => ({ ms: Date.now() - started, value }),
    (error: unknown) => ({ ms: Date.now() - started, error }),
  );
  try {
    return await Promise.race([run, cap]);
  } finally {
    clearTimeout(timer);
  }
}

let witness: HostWitness;
let kvStore: InMemoryKvStore;
let engine: DetectionEngine;
/** A process start and first batch, as measured on this machine now: the unit of every time bound. */
let startMs = 0;
let recallCount = 0;

/** Time bounds, from the measured start: a contained escape answers well within them. */
const bounds = () => {
  // A run killed for its time or for breaking its interpreter: its process start, the limit and
  // the grace, a new process for the rest of the batch, and room for a loaded machine.
  const escape = 3 * startMs + TIME_LIMIT_MS + GRACE_MS + 10_000;
  return {
    escape,
    bystander: startMs + 8_000,
    // A run still going this long after it started was not stopped at its limit (restarts do not count: the clock is the run's own).
    stallSeconds: Math.ceil((TIME_LIMIT_MS + GRACE_MS + 6_000) / 1000),
    cap: 3 * escape + 30_000,
  };
};

before(async () => {
  witness = plantHostWitness(__dirname);
  kvStore = new InMemoryKvStore();
  engine = await DetectionEngine.create(BASE, engineOptions(SANDBOX, kvStore));
  engine.setTenantContent(BYSTANDER, ruleContent(BYSTANDER, BYSTANDER_RULE, BYSTANDER_PY));
  const started = Date.now();
  const stored = await engine.evaluate(BYSTANDER, [normalizedEvent(LOG_TYPE, BYSTANDER, { action: 'store', n: 0 })]);
  startMs = Date.now() - started;
  assert.deepEqual(
    stored.map((o) => (o.kind === 'match' ? o.title : `${o.errorType}: ${o.message}`)),
    [`bystander 0 holds ${BYSTANDER_SECRET}`],
    'the bystander tenant stores its secret in its cache',
  );
  assert.deepEqual(await kvStore.execute(BYSTANDER, { op: 'get_dictionary', key: BYSTANDER_KEY }), { v: BYSTANDER_SECRET });
});

after(async () => {
  await engine?.close();
  await kvStore?.close();
  witness?.cleanup();
});

/** The bystander's next event: its own rule, its own cached secret, in time. */
async function bystanderProblems(): Promise<{ ms: number; problems: string[] }> {
  recallCount += 1;
  const n = recallCount;
  const { escape, bystander } = bounds();
  const run = await timed(() => engine.evaluate(BYSTANDER, [normalizedEvent(LOG_TYPE, BYSTANDER, { action: 'recall', n })]), escape * 2);
  const problems: string[] = [];
  if (run.hung) problems.push(`the bystander tenant got no answer within ${run.ms} ms`);
  else if (run.error) problems.push(`the bystander tenant's batch threw: ${String(run.error)}`);
  else {
    const got = (run.value ?? []).map((o) => (o.kind === 'match' ? `${o.ruleId}: ${o.title}` : `${o.ruleId}: ${o.errorType}: ${o.message}`));
    const want = [`${BYSTANDER_RULE}: bystander ${n} holds ${BYSTANDER_SECRET}`];
    if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`the bystander tenant got ${JSON.stringify(got).slice(0, 400)}, not ${JSON.stringify(want)}`);
    if (run.ms > bystander) problems.push(`the bystander tenant waited ${run.ms} ms (bound ${bystander} ms)`);
  }
  return { ms: run.ms, problems };
}

function configFor(c: EscapeCase, tenant: string, caseDir: string, port: number): EscapeConfig {
  return {
    tenant,
    otherTenant: BYSTANDER,
    otherKey: BYSTANDER_KEY,
    canaryFiles: witness.canaryFiles,
    envName: witness.envName,
    markerPrefix: path.join(caseDir, 'marker'),
    caseDir,
    hostDir: witness.root,
    port,
    stallSeconds: bounds().stallSeconds,
    timeLimitMs: TIME_LIMIT_MS,
    memoryLimitMb: MEMORY_LIMIT_MB,
    hogMb: 4 * MEMORY_LIMIT_MB,
  };
}

function summarize(outcomes: RuleOutcome[]): string {
  return outcomes.map((o) => (o.kind === 'match' ? `match ${o.ruleId} "${o.title}"` : `error ${o.ruleId} ${o.errorType}: ${o.message}`).slice(0, 700)).join('\n    ');
}

const OUTCOME_KEYS = {
  match: new Set(['kind', 'ruleId', 'eventIndex', 'title', 'dedup', 'severity', 'alertContext', 'description', 'reference', 'runbook', 'destinations', 'auxErrors']),
  error: new Set(['kind', 'ruleId', 'eventIndex', 'errorType', 'message', 'traceback']),
};

/**
 * Fields of an outcome beyond its schema. The rules-worker spreads an outcome
 * over the rule match or error it publishes, after the tenant's own fields
 * (packages/detections/src/rule-output.builder.ts): a `tenantId` there moves
 * the alert to another tenant.
 */
function extraFields(outcomes: RuleOutcome[]): { text: string; otherTenant: boolean }[] {
  const found: { text: string; otherTenant: boolean }[] = [];
  for (const o of outcomes) {
    const allowed = OUTCOME_KEYS[o.kind] ?? OUTCOME_KEYS.match;
    const extra = Object.entries(o).filter(([key]) => !allowed.has(key));
    if (extra.length === 0) continue;
    const text = extra.map(([k, v]) => `${k}=${JSON.stringify(v)}`.slice(0, 120)).join(', ');
    found.push({ text: `outcome of ${o.ruleId} for event ${o.eventIndex} carries fields outside the outcome schema: ${text}`, otherTenant: JSON.stringify(extra).includes(BYSTANDER) });
  }
  return found;
}

/** What the tenant got back for its events: a clear result each, in time, of its own rule. */
function containmentProblems(c: EscapeCase, label: string, run: Timed<RuleOutcome[]>, events: number): string[] {
  const { escape } = bounds();
  if (run.hung) return [`${label}: no answer within ${run.ms} ms (a hang)`];
  if (run.error !== undefined) return [`${label}: the batch threw instead of answering with rule errors: ${String(run.error).slice(0, 400)}`];
  const problems: string[] = [];
  const outcomes = run.value ?? [];
  if (run.ms > escape) problems.push(`${label}: answered after ${run.ms} ms, past the bound of ${escape} ms (time limit ${TIME_LIMIT_MS} ms)`);
  for (const extra of extraFields(outcomes)) if (!extra.otherTenant) problems.push(`${label}: ${extra.text}`);
  const foreign = outcomes.filter((o) => o.ruleId !== RULE_ID);
  if (foreign.length > 0) problems.push(`${label}: outcomes for rules the tenant does not have: ${foreign.map((o) => o.ruleId).join(', ')}`);
  if ((c.expect ?? 'rule-error') === 'rule-error') {
    for (let i = 0; i < events; i++) {
      const outcome = outcomes.find((o) => o.eventIndex === i && o.ruleId === RULE_ID);
      if (outcome?.kind !== 'error') problems.push(`${label}: event ${i} got ${outcome ? `a ${outcome.kind}` : 'no outcome'}, not a rule error`);
      else if (/^(SyntaxError|IndentationError)$/.test(outcome.errorType)) problems.push(`${label}: the escape does not compile (${outcome.message}): the case proves nothing`);
    }
  }
  return problems;
}

interface Verdict {
  escaped: string[];
  uncontained: string[];
  diagnostic: string;
}

async function runEngineCase(c: EscapeCase): Promise<Verdict> {
  const tenant = `rt-${c.name}`;
  const caseDir = witness.caseDir(c.name);
  const listener = await startListener();
  const { escape, cap } = bounds();
  try {
    engine.setTenantContent(tenant, ruleContent(tenant, RULE_ID, escapeSource(configFor(c, tenant, caseDir, listener.port), c.python)));
    const batch = () => [normalizedEvent(LOG_TYPE, tenant, { n: 0 })];
    const concurrent = c.kind !== 'escape';
    const bystanderDuring = concurrent ? delay(500).then(bystanderProblems) : undefined;
    const first = await timed(() => engine.evaluate(tenant, batch()), cap);
    const bystander = bystanderDuring ? await bystanderDuring : await bystanderProblems();
    const second = c.secondBatch && !first.hung ? await timed(() => engine.evaluate(tenant, batch()), cap) : undefined;
    // Sockets opened by escaped code connect from its event loop, after the batch answered.
    await delay(300);
    const texts = [first, second].filter((r): r is Timed<RuleOutcome[]> => r !== undefined).map((r) => JSON.stringify(r.value ?? String(r.error ?? '')));
    const escaped = await escapeEvidence(texts.join('\n'), caseDir, listener.connections());
    for (const run of [first, second]) {
      for (const extra of extraFields(run?.value ?? [])) {
        if (extra.otherTenant) escaped.push(`${extra.text}, naming the bystander tenant: its alert would be published as that tenant's`);
      }
    }
    const uncontained = [
      ...containmentProblems(c, 'first batch', first, 1),
      ...(second ? containmentProblems(c, 'second batch', second, 1) : []),
      ...bystander.problems,
    ];
    const diagnostic = [
      `sandbox=${SANDBOX} first batch ${first.ms} ms (bound ${escape} ms), bystander ${bystander.ms} ms${second ? `, second batch ${second.ms} ms` : ''}`,
      `  outcomes: ${first.value ? summarize(first.value) : String(first.error ?? 'none')}`,
      ...(second ? [`  second: ${second.value ? summarize(second.value) : String(second.error ?? 'none')}`] : []),
    ].join('\n');
    return { escaped, uncontained, diagnostic };
  } finally {
    await listener.close();
  }
}

async function runTestDetectionCase(c: EscapeCase): Promise<Verdict> {
  const tenant = `rt-${c.name}`;
  const caseDir = witness.caseDir(c.name);
  const listener = await startListener();
  const { escape, cap } = bounds();
  try {
    const withTests = c.route === 'test-detection-tests';
    const content = ruleContent(tenant, RULE_ID, escapeSource(configFor(c, tenant, caseDir, listener.port), c.python), withTests);
    const options = { detectionTimeoutMs: TIME_LIMIT_MS, processMemoryLimitMb: MEMORY_LIMIT_MB, processes: 1, sandbox: { kind: SANDBOX } } as DetectionTestOptions;
    const input = withTests ? {} : { events: [{ p_log_type: LOG_TYPE, n: 0 }] };
    const run = await timed(() => testDetection(content, RULE_ID, input, options), cap);
    await delay(300);
    const text = JSON.stringify(run.value ?? String(run.error ?? ''));
    const escaped = await escapeEvidence(text, caseDir, listener.connections());
    const uncontained: string[] = [];
    if (run.hung) uncontained.push(`no answer within ${run.ms} ms`);
    else if (run.error !== undefined) uncontained.push(`testDetection threw: ${String(run.error).slice(0, 400)}`);
    else {
      if (run.ms > escape) uncontained.push(`answered after ${run.ms} ms, past the bound of ${escape} ms`);
      const result = run.value;
      const failed =
        result?.kind === 'events'
          ? result.results.every((r) => !r.matched && r.error !== undefined)
          : result?.kind === 'tests' && result.report.results.length > 0 && result.report.results.every((r) => !r.passed && /raised/.test(r.reason ?? ''));
      if (!failed) uncontained.push(`the detection did not come back as a rule error: ${text.slice(0, 400)}`);
    }
    const bystander = await bystanderProblems();
    uncontained.push(...bystander.problems);
    return { escaped, uncontained, diagnostic: `sandbox=${SANDBOX} testDetection ${run.ms} ms: ${text.slice(0, 1500)}` };
  } finally {
    await listener.close();
  }
}

/** Everything the escape left outside: in the answer, on disk, on the network, in the bystander's cache. */
async function escapeEvidence(text: string, caseDir: string, connections: number): Promise<string[]> {
  const found = evidenceInText(witness, text, new Map([[BYSTANDER_SECRET, "the bystander tenant's cached secret"]]));
  for (const file of filesWritten(caseDir)) found.push(`a file was written on the host: ${file}`);
  if (connections > 0) found.push(`the listener on 127.0.0.1 accepted ${connections} connection(s)`);
  const stored = await kvStore.execute(BYSTANDER, { op: 'get_dictionary', key: BYSTANDER_KEY });
  if (JSON.stringify(stored) !== JSON.stringify({ v: BYSTANDER_SECRET })) {
    found.push(`the bystander tenant's cache was overwritten: ${JSON.stringify(stored)}`);
    // Put back, so that the next case is judged on what it does itself.
    await kvStore.execute(BYSTANDER, { op: 'put_dictionary', key: BYSTANDER_KEY, value: { v: BYSTANDER_SECRET }, epochSeconds: null });
  }
  return found;
}

for (const c of ESCAPE_CASES) {
  test(`[${c.group}] ${c.name}: ${c.tries}`, { timeout: 600_000 }, async (t) => {
    const verdict = c.route === undefined || c.route === 'engine' ? await runEngineCase(c) : await runTestDetectionCase(c);
    t.diagnostic(verdict.diagnostic);
    const problems = [...verdict.escaped.map((e) => `ESCAPED: ${e}`), ...verdict.uncontained.map((u) => `NOT CONTAINED: ${u}`)];
    assert.deepEqual(problems, [], `${c.name}\n${problems.join('\n')}\n${verdict.diagnostic}`);
  });
}

test('the suite is not vacuous: the prelude loads and a benign rule of a red-team tenant matches in the sandbox', async () => {
  const tenant = 'rt-benign';
  const caseDir = witness.caseDir('benign');
  const benign = { name: 'benign', group: 'control', tries: '', kind: 'escape' as const, python: '' };
  const python = 'def rule(event):\n    rt_note("ok", 1)\n    return True\n\ndef title(event):\n    return "benign " + RT["tenant"]\n';
  engine.setTenantContent(tenant, ruleContent(tenant, RULE_ID, escapeSource(configFor(benign, tenant, caseDir, 1), python)));
  const outcomes = await engine.evaluate(tenant, [normalizedEvent(LOG_TYPE, tenant, { n: 0 })]);
  assert.deepEqual(outcomes.map((o) => (o.kind === 'match' ? o.title : `${o.errorType}: ${o.message}`)), [`benign ${tenant}`]);
});

test('negative control: the canonical escape run with sandbox unsandboxed reaches the host, and the checks above see it', { timeout: 600_000 }, async (t) => {
  const controlStore = new InMemoryKvStore();
  const control = await DetectionEngine.create(BASE, engineOptions('unsandboxed', controlStore));
  const listener = await startListener();
  try {
    const seen: string[] = [];
    for (const [name, python] of [
      ['control-payload', GC_JSFINDER_PAYLOAD],
      ['control-original', REDTEAM_ORIGINAL],
    ] as const) {
      const tenant = `rt-${name}`;
      const caseDir = witness.caseDir(name);
      const c = { name, group: 'control', tries: '', kind: 'escape' as const, python };
      control.setTenantContent(tenant, ruleContent(tenant, RULE_ID, escapeSource(configFor(c, tenant, caseDir, listener.port), python)));
      const outcomes = await control.evaluate(tenant, [normalizedEvent(LOG_TYPE, tenant, { n: 0 })]);
      await delay(300);
      const text = JSON.stringify(outcomes);
      const evidence = evidenceInText(witness, text);
      const files = filesWritten(caseDir);
      t.diagnostic(`${name}: ${summarize(outcomes).slice(0, 1200)}\n  evidence: ${[...evidence, ...files].join('; ')}`);
      seen.push(...evidence, ...files);
      if (name === 'control-payload') {
        const canary = fs.readFileSync(witness.canaryFiles.outside, 'utf8').trim();
        assert.ok(
          text.includes(canary) || files.some((f) => f.includes('marker')),
          `without a sandbox the escape must reach the host (the canary in its outcome or its marker on disk); got ${text.slice(0, 800)}`,
        );
        assert.ok(evidence.some((e) => e.includes('canary file outside')), 'the evidence check names the canary file');
        assert.ok(files.length > 0, 'the marker check sees the written markers');
      } else {
        assert.ok(evidence.some((e) => e.includes('`id`')), `the original escape runs \`id\` on the host: ${text.slice(0, 400)}`);
      }
    }
    assert.ok(listener.connections() > 0, 'the listener check sees the escaped connection');
    t.diagnostic(`negative control evidence: ${seen.length} finding(s), ${listener.connections()} connection(s)`);
  } finally {
    await listener.close();
    await control.close();
    await controlStore.close();
  }
});

test('nothing else was left in the witness folder, and the bystander kept its cache', async () => {
  const entries = fs.readdirSync(witness.root).sort();
  assert.deepEqual(entries, ['canary.txt', 'cases']);
  assert.deepEqual(await kvStore.execute(BYSTANDER, { op: 'get_dictionary', key: BYSTANDER_KEY }), { v: BYSTANDER_SECRET });
});
