import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { CaracalMetrics } from '@caracal/core/observability';
import { createLakeClient } from '@caracal/lake';
import { deleteDetectionEvent } from '../support/audit-events';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { checkPromQL, dashboardPage, expandClickHouseMacros, expandPromQL, allVariableValues, PanelResult, queryDashboard, SqlAnswer, TimeRange } from '../support/dashboard-renderer';
import { dashboardPanels, dashboardSchemaErrors, GrafanaSchemas, loadGrafanaSchemas, Panel } from '../support/grafana-schema';
import { postToSource } from '../support/ingest-http';
import { repoRoot, tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// The Grafana dashboards of deploy/grafana: checked against Grafana's own
// schema, their PromQL against a real Prometheus (scripts/prometheus.sh, started
// by scripts/test.sh) scraping a real embedded Caracal, their SQL against the
// lake that Caracal wrote, and each drawn from that data and screenshotted in
// headless Chromium (decision 0032). Set CARACAL_TEST_UPDATE_SCREENSHOTS=1 to
// write the screenshots to docs/dashboards/ as well.

const ROOT = repoRoot();
const DASHBOARD_DIR = path.join(ROOT, 'deploy', 'grafana', 'dashboards');
const DATASOURCES = path.join(ROOT, 'deploy', 'grafana', 'provisioning', 'datasources', 'caracal-datasources.yaml');
const CHROMIUM = process.env.CARACAL_TEST_CHROMIUM ?? '/usr/bin/chromium';
const OUT_DIR = path.join(ROOT, '.tmp', 'dashboards');
const DOCS_DIR = path.join(ROOT, 'docs', 'dashboards');

type Dashboard = Record<string, unknown> & { uid: string; title: string };

function prometheusUrl(): string {
  const url = process.env.CARACAL_TEST_PROMETHEUS_URL;
  if (!url) throw new Error('CARACAL_TEST_PROMETHEUS_URL is not set: run the suite with `npm run test:integration` (scripts/test.sh starts Prometheus with scripts/prometheus.sh)');
  return url;
}

function targetsDir(): string {
  const dir = process.env.CARACAL_TEST_PROMETHEUS_TARGETS_DIR;
  if (!dir) throw new Error('CARACAL_TEST_PROMETHEUS_TARGETS_DIR is not set: run the suite with `npm run test:integration`');
  return dir;
}

function loadDashboards(): Dashboard[] {
  return fs.readdirSync(DASHBOARD_DIR).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(fs.readFileSync(path.join(DASHBOARD_DIR, f), 'utf8')) as Dashboard);
}

function byUid(uid: string): Dashboard {
  const d = dashboards.find((x) => x.uid === uid);
  assert.ok(d, `no dashboard with uid ${uid} in ${DASHBOARD_DIR}`);
  return d;
}

function targetsOf(panel: Panel): Record<string, unknown>[] {
  return panel.targets ?? [];
}

/** Prometheus's own scrape interval, which $__rate_interval is built on, from its running config. */
async function scrapeSeconds(url: string): Promise<number> {
  const body = (await (await fetch(`${url}/api/v1/status/config`)).json()) as { data: { yaml: string } };
  const m = /scrape_interval: (\d+)(ms|s|m)/.exec(body.data.yaml);
  assert.ok(m, 'no scrape_interval in the running Prometheus config');
  return Number(m[1]) * ({ ms: 0.001, s: 1, m: 60 } as Record<string, number>)[m[2]];
}

async function screenshot(html: string, name: string): Promise<Buffer> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (scripts/test.sh does, as root) or set CARACAL_TEST_CHROMIUM`);
  }
  const profile = tempDir('chromium-profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1600, height: 900 },
    // Nothing leaves the machine: no updates, no sync, no QUIC probes.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setContent(html, { waitUntil: 'load' });
    const panels = await page.locator('section.panel').count();
    assert.ok(panels > 0, 'the page drew no panel');
    const png = await page.screenshot({ fullPage: true, type: 'png' });
    fs.mkdirSync(OUT_DIR, { recursive: true });
    fs.writeFileSync(path.join(OUT_DIR, `${name}.png`), png);
    fs.writeFileSync(path.join(OUT_DIR, `${name}.html`), html);
    if (process.env.CARACAL_TEST_UPDATE_SCREENSHOTS === '1') {
      fs.mkdirSync(DOCS_DIR, { recursive: true });
      fs.writeFileSync(path.join(DOCS_DIR, `${name}.png`), png);
    }
    return png;
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

function resultOf(results: PanelResult[], title: string): PanelResult {
  const r = results.find((x) => x.panel.title === title);
  assert.ok(r, `no panel titled ${title}`);
  return r;
}

function hasData(r: PanelResult): boolean {
  switch (r.data.kind) {
    case 'timeseries':
      return r.data.series.some((s) => s.points.length > 0);
    case 'stat':
      return r.data.value !== undefined;
    case 'table':
      return r.data.rows.length > 0;
    case 'barchart':
      return r.data.categories.length > 0;
  }
}

const ROUNDS = 4;
const ALERTS = 3 * 3 * ROUNDS;
let dashboards: Dashboard[];
let schemas: GrafanaSchemas;
const dataDir = tempDir('dashboards');
const env = {
  CARACAL_DATA_DIR: dataDir,
  CARACAL_HTTP_PORT: '0',
  CARACAL_GRPC_PORT: '0',
  // The ops port is read back from the log line that announces it.
  CARACAL_LOG_LEVEL: 'info',
  // One detection process for three tenants: each tenant's batch makes room
  // for itself, so the replacements panel has something to show.
  CARACAL_DETECTION_MAX_PROCESSES: '1',
};
let caracal: CaracalProcess | undefined;
let trafficRange: TimeRange | undefined;

before(() => {
  dashboards = loadDashboards();
  schemas = loadGrafanaSchemas();
});

after(async () => {
  await caracal?.stop();
  fs.rmSync(path.join(targetsDir(), 'dashboards-test.json'), { force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("both dashboards follow Grafana's published dashboard schema, their panels' options included", () => {
  assert.deepEqual(dashboards.map((d) => d.uid), ['caracal-lake', 'caracal-pipeline']);
  for (const d of dashboards) assert.deepEqual(dashboardSchemaErrors(schemas, d), [], `${d.uid} against @grafana/schema ${schemas.version}`);
  // The check is strict: a misspelt key, a wrong type and a wrong option value are each caught.
  const bad = structuredClone(byUid('caracal-pipeline'));
  const [first, second, third] = bad.panels as Panel[];
  (first as Record<string, unknown>).gridpos = first.gridPos;
  bad.schemaVersion = '42' as unknown as number;
  (second.options as Record<string, unknown>).colorMode = 'rainbow';
  delete (third.options as Record<string, unknown>).reduceOptions;
  const errors = dashboardSchemaErrors(schemas, bad).join('\n');
  assert.match(errors, /gridpos/);
  assert.match(errors, /dashboard\/schemaVersion must be number/);
  assert.match(errors, /panel 2 .* options\/colorMode must be equal to one of the allowed values/);
  assert.match(errors, /panel 3 .* options must have required property .*reduceOptions/);
});

test('every panel reads a provisioned data source and only metrics Caracal exports', async () => {
  const provisioned = parseYaml(fs.readFileSync(DATASOURCES, 'utf8')) as { datasources: { uid: string; type: string }[] };
  const known = new Map(provisioned.datasources.map((d) => [d.uid, d.type]));
  const metrics = new Set((await new CaracalMetrics({ defaultMetrics: false }).registry.getMetricsAsJSON()).map((m) => m.name));
  const histograms = new Set((await new CaracalMetrics({ defaultMetrics: false }).registry.getMetricsAsJSON()).filter((m) => String(m.type) === 'histogram').map((m) => m.name));
  const variables = new Set<string>();
  for (const d of dashboards) {
    for (const v of ((d.templating as { list?: { datasource?: { uid: string; type: string } }[] }).list ?? [])) {
      if (v.datasource) assert.equal(known.get(v.datasource.uid), v.datasource.type, `${d.uid} variable data source`);
    }
    for (const panel of dashboardPanels(d)) {
      const ds = panel.datasource as { uid: string; type: string };
      assert.equal(known.get(ds.uid), ds.type, `${d.uid} panel ${panel.title}: data source ${ds.uid} is not provisioned with type ${ds.type}`);
      assert.ok(targetsOf(panel).length > 0, `${d.uid} panel ${panel.title} has no query`);
      for (const t of targetsOf(panel)) {
        assert.deepEqual(t.datasource, ds, `${d.uid} panel ${panel.title}: a target on another data source`);
        for (const name of String(t.expr ?? '').match(/\bcaracal_\w+/g) ?? []) {
          const base = name.replace(/_(bucket|sum|count)$/, '');
          const ok = metrics.has(name) || (base !== name && histograms.has(base));
          assert.ok(ok, `${d.uid} panel ${panel.title}: ${name} is not a metric Caracal exports`);
          variables.add(name);
        }
      }
    }
  }
  // The two metrics added for these dashboards are read by them.
  assert.ok([...variables].some((n) => n.startsWith('caracal_query_seconds')), 'no panel reads caracal_query_seconds');
  assert.ok(variables.has('caracal_detection_worker_replacements_total'), 'no panel reads caracal_detection_worker_replacements_total');
});

test("every PromQL expression parses and evaluates in Prometheus, Grafana's variables expanded", async () => {
  const url = prometheusUrl();
  const scrape = await scrapeSeconds(url);
  const now = Date.now();
  const range = { fromMs: now - 3_600_000, toMs: now };
  const pipeline = byUid('caracal-pipeline');
  const vars = allVariableValues(pipeline);
  let checked = 0;
  for (const panel of dashboardPanels(pipeline)) {
    for (const t of targetsOf(panel)) {
      await checkPromQL(url, expandPromQL(String(t.expr), range, scrape, vars));
      checked += 1;
    }
  }
  assert.ok(checked >= 14, `only ${checked} expressions checked`);
  // A broken expression is refused, so the loop above did check something.
  await assert.rejects(checkPromQL(url, 'sum by (tenant (rate(caracal_ingest_events_total[1m]))'), /Prometheus refused/);
});

/**
 * Panther.Audit events of one tenant that three rules match (a deleted
 * detection, several deleted at once, SAML settings changed). The rules
 * deduplicate by actor id, so each round's new actor raises new alerts.
 */
function auditBatch(tenant: string, round: number, n: number): string {
  const actor = `admin${round}@${tenant}.example`;
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) events.push(deleteDetectionEvent(`${tenant}.Rule.${round}.${i}`, actor));
  events.push({ ...deleteDetectionEvent('SAML', actor), actionName: 'UPDATE_SAML_SETTINGS', actionParams: { dynamic: { input: { enabled: true, metadataUrl: `https://idp.${tenant}.example/metadata.xml` } } } });
  // Deduplicated by actor id, which deleteDetectionEvent fixes.
  return events.map((e) => JSON.stringify({ ...e, actor: { ...(e.actor as object), id: `${tenant}-actor-${round}` } })).join('\n') + '\n';
}

async function promValue(url: string, query: string): Promise<number> {
  const res = (await (await fetch(`${url}/api/v1/query?${new URLSearchParams({ query })}`)).json()) as { data: { result: { value: [number, string] }[] } };
  return res.data.result.reduce((a, r) => a + Number(r.value[1]), 0);
}

test('a running Caracal, scraped by Prometheus, fills the pipeline dashboard, drawn in headless Chromium', async () => {
  const url = prometheusUrl();
  const scrape = await scrapeSeconds(url);
  const started = Date.now();
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Stop with Ctrl-C/, 180_000);
  const ops = /"address":"http:\/\/([^"]+)"[^\n]*"msg":"ops listening"/.exec(caracal.stderr);
  assert.ok(ops, 'no "ops listening" line in the log');
  fs.writeFileSync(path.join(targetsDir(), 'dashboards-test.json'), JSON.stringify([{ targets: [ops[1]], labels: { instance: 'embedded' } }]));
  await waitFor('Prometheus to scrape the embedded Caracal', async () => ((await promValue(url, 'up{instance="embedded"}')) === 1 ? true : undefined), 60_000, 500);

  const creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8')) as { ingestUrl: string; sourceId: string; sourceSecret: string; secretHeader?: string; tenantId: string };
  const control = ControlStore.open(loadConfig(env).controlFile);
  const demoAuth = { [creds.secretHeader ?? 'x-caracal-secret']: creds.sourceSecret };
  const senders = [{ tenant: creds.tenantId, sourceId: creds.sourceId, auth: demoAuth }];
  for (const tenant of ['acme', 'globex']) {
    control.createTenant(tenant);
    const { source, secret } = control.createSource({ tenantId: tenant, logType: 'Panther.Audit', id: `${tenant}-audit`, authMode: 'bearer' });
    senders.push({ tenant, sourceId: source.id, auth: { authorization: `Bearer ${secret}` } });
  }
  // Rounds a scrape apart, so that rates have two samples to work with; each
  // waits until Prometheus has seen the round's events, never for a fixed time.
  let accepted = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, s] of senders.entries()) {
      const answer = await waitFor(`ingest to accept ${s.tenant}'s events`, async () => {
        const a = await postToSource(creds.ingestUrl, s.sourceId, auditBatch(s.tenant, round, 6 + i * 2), { ...s.auth, 'content-type': 'application/json' });
        return a.status === 200 ? a : undefined;
      }, 30_000, 250);
      accepted += Number(answer.body.accepted);
    }
    // Events that fail their schema: ingest's rejections.
    await postToSource(creds.ingestUrl, creds.sourceId, '{"actionName": 42}\n', { ...demoAuth, 'content-type': 'application/json' });
    assert.equal(runCaracal(['query', "SELECT actionName, count() FROM panther_logs.panther_audit WHERE p_occurs_since('1 hour') GROUP BY actionName"], env).status, 0);
    // A failing query in two rounds: rate() sees a series' increments, not its first sample.
    if (round % 2 === 0) assert.notEqual(runCaracal(['query', 'SELECT no_such_column FROM panther_logs.panther_audit'], env).status, 0);
    const seen = accepted;
    await waitFor(`Prometheus to see ${seen} accepted events`, async () => ((await promValue(url, 'sum(caracal_ingest_events_total{outcome="accepted"})')) >= seen ? true : undefined), 60_000, 250);
  }
  // Three rules, three tenants, four actors each.
  await waitFor('every alert raised and scraped', async () => ((await promValue(url, 'sum(caracal_alerts_raised_total)')) >= ALERTS ? true : undefined), 120_000, 500);
  await waitFor('a scrape after the last round', async () => ((await promValue(url, 'sum(caracal_query_seconds_count)')) >= ROUNDS + ROUNDS / 2 ? true : undefined), 60_000, 250);
  const ended = Date.now() + 2 * scrape * 1000;
  await waitFor('the last scrape of the range', async () => ((await promValue(url, `timestamp(up{instance="embedded"})`)) * 1000 >= ended ? true : undefined), 60_000, 250);
  // From this Caracal's start: a Prometheus that outlives one run keeps the series of earlier ones.
  trafficRange = { fromMs: started, toMs: Date.now() };

  const pipeline = byUid('caracal-pipeline');
  const panels = dashboardPanels(pipeline);
  const results = await queryDashboard(pipeline, panels, { range: trafficRange, prometheusUrl: url, scrapeSeconds: scrape });
  assert.equal(results.length, panels.length);
  for (const title of ['Events accepted', 'Events rejected', 'Alerts raised', 'Ingest rate by tenant and source', 'Rejections', 'Writer insert time', 'Rule evaluation time, top 10 rules', 'Rule matches, top 10 rules', 'Alerts by rule and severity', 'Alerts raised by severity', 'Query latency', 'Detection process replacements']) {
    assert.ok(hasData(resultOf(results, title)), `panel ${title} has no data`);
  }
  const ingest = resultOf(results, 'Ingest rate by tenant and source').data;
  assert.equal(ingest.kind, 'timeseries');
  // caracal-api: the audit events of the test's own `caracal query` calls.
  assert.deepEqual([...new Set(ingest.series.map((s) => s.name))].sort(), ['acme / acme-audit', 'demo / caracal-api', 'demo / panther-audit', 'globex / globex-audit']);
  const queries = resultOf(results, 'Query latency').data;
  assert.equal(queries.kind, 'timeseries');
  assert.ok(queries.series.some((s) => s.name.endsWith(' ok')) && queries.series.some((s) => s.name.endsWith(' error')), queries.series.map((s) => s.name).join(', '));
  const note = 'Drawn by test/support/dashboard-renderer.ts from the dashboard JSON and Prometheus 2.42 scraping an embedded Caracal (decision 0032); not Grafana itself.';
  const png = await screenshot(dashboardPage(pipeline, results, trafficRange, note), 'caracal-pipeline');
  assert.ok(png.length > 20_000, `a ${png.length}-byte screenshot`);
});

test('the lake dashboard runs its SQL on the lake that Caracal wrote, drawn in headless Chromium', async () => {
  assert.ok(caracal && trafficRange, 'the pipeline test did not run');
  // chDB opens a data dir from one process at a time: the lake is read once Caracal is down.
  assert.equal(await caracal.stop(), 0);
  caracal = undefined;
  const lake = createLakeClient(loadConfig({ CARACAL_DATA_DIR: dataDir }));
  try {
    const runSql = async (sql: string): Promise<SqlAnswer> => (await lake.query({ query: sql, format: 'JSON' })).json<Record<string, unknown>>() as unknown as Promise<SqlAnswer>;
    const dashboard = byUid('caracal-lake');
    const panels = dashboardPanels(dashboard);
    const range = { fromMs: trafficRange.fromMs - 10 * 60_000, toMs: trafficRange.toMs + 60_000 };
    for (const panel of panels) {
      for (const t of targetsOf(panel)) {
        const sql = expandClickHouseMacros(String(t.rawSql), range);
        assert.doesNotMatch(sql, /\$__/, 'a macro left unexpanded');
        await runSql(sql);
      }
    }
    const results = await queryDashboard(dashboard, panels, { range, runSql });
    for (const r of results) assert.ok(hasData(r) || r.panel.title === 'Rule error alerts', `panel ${r.panel.title} has no data`);
    const raised = resultOf(results, 'Alerts raised').data;
    assert.equal(raised.kind, 'stat');
    assert.equal(raised.value, ALERTS);
    const tenants = resultOf(results, 'Alerts raised per tenant').data;
    assert.equal(tenants.kind, 'timeseries');
    assert.deepEqual(tenants.series.map((s) => s.name).sort(), ['acme', 'demo', 'globex']);
    const note = 'Drawn by test/support/dashboard-renderer.ts from the dashboard JSON and the SQL run on the chDB lake of the same embedded Caracal (decision 0032); not Grafana itself.';
    const png = await screenshot(dashboardPage(dashboard, results, range, note), 'caracal-lake');
    assert.ok(png.length > 20_000, `a ${png.length}-byte screenshot`);
  } finally {
    await lake.close();
  }
});
