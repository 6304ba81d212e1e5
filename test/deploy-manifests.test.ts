// Checks docker-compose.yml and the Dockerfile without a Docker engine or the
// network: Compose against the Compose specification schema (shipped in the
// `dclint` package), then both against the rules Caracal's services depend
// on (env names, health checks, secrets, hardening). The Kubernetes manifests
// are checked in deploy-kustomize.test.ts.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';

import {
  ALLOWED_ENV,
  CLICKHOUSE_ENV,
  CONTAINER_DETECTION_SANDBOX,
  CONTROL_FILE,
  CONTROL_FILE_SERVICES,
  DETECTION_SANDBOX_ENV,
  DETECTION_SERVICES,
  IMAGE,
  OPS_PORT,
  Obj,
  ROOT,
  RULES_WORKER_START_SECONDS,
  SECRET_ENV,
  SERVICES,
  SHUTDOWN_HEADROOM_SECONDS,
  clone,
  readText,
} from './deploy-policy';

// ---------------------------------------------------------------- Compose --

function loadComposeValidator() {
  const pkgDir = path.dirname(require.resolve('dclint/package.json'));
  const schema = JSON.parse(fs.readFileSync(path.join(pkgDir, 'schemas', 'compose.schema.json'), 'utf8')) as Obj;
  // The schema names draft-07 by its https URL, which Ajv registers only as
  // http; Ajv's default draft is draft-07, so dropping the marker changes nothing.
  delete schema.$schema;
  // strict: false because the spec uses annotation keywords ("deprecated")
  // that draft-07 does not define.
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  return (doc: unknown): string[] =>
    validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

function loadCompose(): Obj {
  // Compose resolves YAML merge keys (<<), so the test must too.
  return parseYaml(readText('docker-compose.yml'), { merge: true }) as Obj;
}

function composeEnv(service: Obj): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry: string) => {
        const i = entry.indexOf('=');
        return i < 0 ? [entry, ''] : [entry.slice(0, i), entry.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Seconds in a Compose duration ("1m30s", "45s", "500ms"). */
function composeSeconds(value: string | number): number {
  if (typeof value === 'number') return value / 1e6; // bare numbers are microseconds
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(us|ms|s|m|h)/g;
  const unit: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let consumed = '';
  for (let m = re.exec(value); m; m = re.exec(value)) {
    total += Number(m[1]) * unit[m[2]];
    consumed += m[0];
  }
  return consumed === value ? total : NaN;
}

function isCaracalService(service: Obj): boolean {
  return service.build !== undefined || String(service.image ?? '').split(':')[0] === IMAGE;
}

function composeProblems(compose: Obj): string[] {
  const problems: string[] = [];
  const services: Obj = compose.services ?? {};
  const caracal = Object.keys(services).filter((name) => isCaracalService(services[name]));
  if (JSON.stringify([...caracal].sort()) !== JSON.stringify([...SERVICES].sort())) {
    problems.push(`services built from the Dockerfile are [${caracal.join(', ')}], expected [${SERVICES.join(', ')}]`);
  }
  const declaredVolumes = new Set(Object.keys(compose.volumes ?? {}));

  for (const [name, svc] of Object.entries(services) as [string, Obj][]) {
    // The short (list) form cannot wait for health, so it counts as wrong.
    const dependsOn: [string, Obj | undefined][] = Array.isArray(svc.depends_on)
      ? svc.depends_on.map((dep: string) => [dep, undefined])
      : Object.entries(svc.depends_on ?? {});
    for (const [dep, spec] of dependsOn) {
      if (!services[dep]) problems.push(`${name}: depends on unknown service ${dep}`);
      const condition = spec?.condition;
      if (condition !== 'service_healthy') problems.push(`${name}: depends_on ${dep} should wait for service_healthy`);
      else if (!services[dep]?.healthcheck?.test) problems.push(`${name}: waits for ${dep}, which has no healthcheck`);
    }
    for (const volume of svc.volumes ?? []) {
      const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
      const isPath = typeof source === 'string' && /^[./~$]/.test(source);
      if (source && !isPath && !declaredVolumes.has(source)) problems.push(`${name}: volume ${source} is not declared`);
    }
    if (!svc.restart) problems.push(`${name}: no restart policy`);
  }

  for (const name of Object.keys(services)) {
    if (!services[name]?.healthcheck?.test) problems.push(`${name}: no healthcheck`);
  }

  for (const name of caracal) {
    const svc = services[name];
    if (JSON.stringify(svc.command) !== JSON.stringify(['serve', name])) {
      problems.push(`${name}: command should be ["serve", "${name}"], is ${JSON.stringify(svc.command)}`);
    }
    const env = composeEnv(svc);
    for (const key of Object.keys(env)) {
      if (!ALLOWED_ENV.has(key)) problems.push(`${name}: unknown environment variable ${key}`);
    }
    if (env.CARACAL_MODE !== 'kafka') problems.push(`${name}: CARACAL_MODE should be kafka`);
    // Ready, not just alive: a service that waits on another should wait
    // until that one reaches its backends (the ops endpoint's readyz).
    const opsPort = Number(env.CARACAL_OPS_PORT ?? OPS_PORT);
    const check = JSON.stringify(svc.healthcheck?.test ?? '');
    if (!check.includes(`:${opsPort}/readyz`)) problems.push(`${name}: healthcheck should call /readyz on the ops port ${opsPort}`);
    const timeoutMs = Number(env.CARACAL_SHUTDOWN_TIMEOUT_MS);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) problems.push(`${name}: CARACAL_SHUTDOWN_TIMEOUT_MS should be set`);
    const grace = composeSeconds(svc.stop_grace_period ?? '10s');
    if (grace * 1000 < timeoutMs + SHUTDOWN_HEADROOM_SECONDS * 1000) {
      problems.push(`${name}: stop_grace_period ${svc.stop_grace_period ?? '10s (default)'} leaves no headroom above CARACAL_SHUTDOWN_TIMEOUT_MS ${timeoutMs}`);
    }
    for (const broker of (env.CARACAL_KAFKA_BROKERS ?? '').split(',').filter(Boolean)) {
      const host = broker.split(':')[0];
      const advertised = composeEnv(services[host] ?? {}).KAFKA_ADVERTISED_LISTENERS ?? '';
      if (!advertised.includes(`//${broker}`)) problems.push(`${name}: broker ${broker} is not a listener Kafka advertises`);
    }
    if (!env.CARACAL_KAFKA_BROKERS) problems.push(`${name}: no CARACAL_KAFKA_BROKERS`);
    // The config loader refuses kafka mode without it.
    if (!env.CARACAL_REDIS_URL) problems.push(`${name}: no CARACAL_REDIS_URL`);
    else if (!services[new URL(env.CARACAL_REDIS_URL).hostname]) problems.push(`${name}: Redis host of ${env.CARACAL_REDIS_URL} is not a service`);
    if (env.CARACAL_CLICKHOUSE_URL !== undefined) {
      const host = new URL(env.CARACAL_CLICKHOUSE_URL).hostname;
      if (!services[host]) problems.push(`${name}: ClickHouse host ${host} is not a service`);
      const ch = composeEnv(services[host] ?? {});
      if (env.CARACAL_CLICKHOUSE_USER !== ch.CLICKHOUSE_USER || env.CARACAL_CLICKHOUSE_PASSWORD !== ch.CLICKHOUSE_PASSWORD) {
        problems.push(`${name}: ClickHouse credentials differ from the ${host} service's`);
      }
    }
  }

  const worker = services['rules-worker'];
  if (worker) {
    // The other services only pass the URL to the config loader; the worker connects at start.
    const redis = composeEnv(worker).CARACAL_REDIS_URL;
    if (redis && worker.depends_on?.[new URL(redis).hostname] === undefined) problems.push('rules-worker: does not depend on its Redis');
    for (const key of SECRET_ENV) if (key in composeEnv(worker)) problems.push(`rules-worker: must not get ${key}`);
  }
  // The control file: one named volume at /etc/caracal, shared by the services that read it.
  const controlVolume = (svc: Obj | undefined): { source?: string; readOnly: boolean } | undefined => {
    for (const volume of svc?.volumes ?? []) {
      if (typeof volume === 'string') {
        const [source, target, mode] = volume.split(':');
        if (target === '/etc/caracal') return { source, readOnly: (mode ?? '').split(',').includes('ro') };
      } else if (volume.target === '/etc/caracal') {
        return { source: volume.source, readOnly: volume.read_only === true };
      }
    }
    return undefined;
  };
  const ingestControl = controlVolume(services.ingest)?.source;
  for (const name of CONTROL_FILE_SERVICES) {
    const svc = services[name];
    if (!svc) continue;
    if (composeEnv(svc).CARACAL_CONTROL_FILE !== CONTROL_FILE) problems.push(`${name}: CARACAL_CONTROL_FILE should be ${CONTROL_FILE}`);
    const mount = controlVolume(svc);
    if (!mount?.source || mount.source !== ingestControl) problems.push(`${name}: should mount ingest's control volume at /etc/caracal`);
  }
  for (const name of caracal.filter((n) => !CONTROL_FILE_SERVICES.includes(n))) {
    if ('CARACAL_CONTROL_FILE' in composeEnv(services[name]) || controlVolume(services[name])) problems.push(`${name}: must not get the control file`);
  }
  const alertStage = services['alert-stage'];
  if (alertStage) {
    const env = composeEnv(alertStage);
    for (const key of CLICKHOUSE_ENV) if (key in env) problems.push(`alert-stage: must not get ${key}`);
    if (env.CARACAL_REDIS_URL) {
      const redis = new URL(env.CARACAL_REDIS_URL);
      if (redis.username || redis.password) problems.push('alert-stage: CARACAL_REDIS_URL must carry no credentials');
    }
    const deps = Array.isArray(alertStage.depends_on) ? alertStage.depends_on : Object.keys(alertStage.depends_on ?? {});
    if (!deps.includes('kafka')) problems.push('alert-stage: does not depend on kafka');
    for (const dep of ['clickhouse', 'redis']) if (deps.includes(dep)) problems.push(`alert-stage: should not depend on ${dep}`);
    if (controlVolume(alertStage) && !controlVolume(alertStage)!.readOnly) problems.push('alert-stage: the control volume should be read-only');
  }
  // Customers' detections run in child processes of these two with Node's
  // permission model but no bubblewrap (Docker's default seccomp profile
  // refuses its user namespaces): the container is their OS boundary.
  for (const name of DETECTION_SERVICES) {
    const svc = services[name];
    if (!svc) continue;
    const sandbox = composeEnv(svc)[DETECTION_SANDBOX_ENV];
    if (sandbox !== CONTAINER_DETECTION_SANDBOX) problems.push(`${name}: ${DETECTION_SANDBOX_ENV} should be ${CONTAINER_DETECTION_SANDBOX}, is ${sandbox ?? 'unset'}`);
    if (!(svc.cap_drop ?? []).includes('ALL')) problems.push(`${name}: runs detections, so it should drop ALL capabilities`);
    if (!(svc.security_opt ?? []).some((o: string) => /^no-new-privileges(:true)?$/.test(o))) problems.push(`${name}: runs detections, so it should set no-new-privileges`);
    if (svc.privileged || (svc.cap_add ?? []).length > 0) problems.push(`${name}: runs detections, so it must not be privileged or add capabilities`);
    if (svc.user !== undefined && /^(root|0)(:|$)/.test(String(svc.user))) problems.push(`${name}: runs detections, so it must not run as root`);
  }
  const workerCheck = services['rules-worker']?.healthcheck;
  if (workerCheck && composeSeconds(workerCheck.start_period ?? '0s') < RULES_WORKER_START_SECONDS) {
    problems.push(`rules-worker: healthcheck start_period should allow ${RULES_WORKER_START_SECONDS}s for loading Pyodide`);
  }

  const kafkaEnv = composeEnv(services.kafka ?? {});
  if (!String(services.kafka?.image ?? '').startsWith('apache/kafka:')) problems.push('kafka: should use the apache/kafka image');
  if (kafkaEnv.KAFKA_PROCESS_ROLES?.split(',').sort().join(',') !== 'broker,controller') {
    problems.push('kafka: should be a combined broker,controller node');
  }
  if (!kafkaEnv.KAFKA_CONTROLLER_QUORUM_VOTERS?.startsWith(`${kafkaEnv.KAFKA_NODE_ID}@`)) {
    problems.push('kafka: the controller quorum should be this node');
  }
  if (!String(services.clickhouse?.image ?? '').startsWith('clickhouse/clickhouse-server:')) {
    problems.push('clickhouse: should use the clickhouse/clickhouse-server image');
  }
  if (!services.clickhouse?.ulimits?.nofile) problems.push('clickhouse: no nofile ulimit');
  return problems;
}

test('docker-compose.yml follows the Compose specification', () => {
  const validate = loadComposeValidator();
  assert.deepEqual(validate(loadCompose()), []);
});

test('the Compose schema check rejects a misspelt key and a wrong type', () => {
  const validate = loadComposeValidator();
  const misspelt = clone(loadCompose());
  misspelt.services.ingest.restart_policy = 'always';
  assert.ok(validate(misspelt).some((e) => e.includes('restart_policy')), 'a misspelt key passed');
  const wrongType = clone(loadCompose());
  wrongType.services.kafka.healthcheck.interval = 10;
  assert.notDeepEqual(validate(wrongType), [], 'a number where a duration string belongs passed');
});

test('docker-compose.yml wires the services the way Caracal needs', () => {
  assert.deepEqual(composeProblems(loadCompose()), []);
});

test('the Compose rules catch a worker given secrets and a missing healthcheck', () => {
  const compose = clone(loadCompose());
  compose.services['rules-worker'].environment.CARACAL_CLICKHOUSE_PASSWORD = 'x';
  delete compose.services.clickhouse.healthcheck;
  delete compose.services.ingest.environment.CARACAL_REDIS_URL;
  delete compose.services['rules-worker'].depends_on.redis;
  const problems = composeProblems(compose);
  assert.ok(problems.some((p) => p.includes('rules-worker: must not get CARACAL_CLICKHOUSE_PASSWORD')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('clickhouse: no healthcheck')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('ingest: no CARACAL_REDIS_URL')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('rules-worker: does not depend on its Redis')), problems.join('\n'));
});

test('the Compose rules catch a health check off the ops endpoint and a short grace period', () => {
  const compose = clone(loadCompose());
  // The services share one healthcheck object through the YAML anchor, so
  // each change assigns a new one.
  const ingest = compose.services.ingest;
  ingest.healthcheck = { ...ingest.healthcheck, test: ['CMD', 'node', '-e', "fetch('http://127.0.0.1:8080/healthz')"] };
  delete compose.services['alert-stage'].healthcheck;
  compose.services['clickhouse-writer'].stop_grace_period = '20s';
  const worker = compose.services['rules-worker'];
  worker.healthcheck = { ...worker.healthcheck, start_period: '30s' };
  delete compose.services.query.environment.CARACAL_SHUTDOWN_TIMEOUT_MS;
  const problems = composeProblems(compose);
  for (const expected of [
    `ingest: healthcheck should call /readyz on the ops port ${OPS_PORT}`,
    'alert-stage: no healthcheck',
    'clickhouse-writer: stop_grace_period 20s leaves no headroom above CARACAL_SHUTDOWN_TIMEOUT_MS 25000',
    `rules-worker: healthcheck start_period should allow ${RULES_WORKER_START_SECONDS}s for loading Pyodide`,
    'query: CARACAL_SHUTDOWN_TIMEOUT_MS should be set',
  ]) {
    assert.ok(problems.some((p) => p.includes(expected)), `missing "${expected}" in:\n${problems.join('\n')}`);
  }
});

test('the Compose rules catch alert-stage given ClickHouse credentials or no control file', () => {
  const compose = clone(loadCompose());
  const stage = compose.services['alert-stage'];
  assert.ok(stage, 'docker-compose.yml has no alert-stage service');
  stage.environment.CARACAL_CLICKHOUSE_PASSWORD = 'x';
  stage.environment.CARACAL_REDIS_URL = 'redis://user:secret@redis:6379';
  delete stage.environment.CARACAL_CONTROL_FILE;
  delete stage.volumes;
  delete stage.depends_on.kafka;
  stage.depends_on.clickhouse = { condition: 'service_healthy' };
  const problems = composeProblems(compose);
  for (const expected of [
    'alert-stage: must not get CARACAL_CLICKHOUSE_PASSWORD',
    'alert-stage: CARACAL_REDIS_URL must carry no credentials',
    'alert-stage: CARACAL_CONTROL_FILE should be /etc/caracal/control.json',
    "alert-stage: should mount ingest's control volume at /etc/caracal",
    'alert-stage: does not depend on kafka',
    'alert-stage: should not depend on clickhouse',
  ]) {
    assert.ok(problems.some((p) => p.includes(expected)), `missing "${expected}" in:\n${problems.join('\n')}`);
  }
});

test('the Compose rules catch a detection service without the process sandbox or hardening', () => {
  const compose = clone(loadCompose());
  delete compose.services.query.environment[DETECTION_SANDBOX_ENV];
  const worker = compose.services['rules-worker'];
  // cap_drop and security_opt come from the shared anchor: assign new ones.
  worker.cap_drop = [];
  worker.security_opt = [];
  worker.cap_add = ['SYS_ADMIN'];
  worker.user = '0:0';
  const problems = composeProblems(compose);
  for (const expected of [
    'query: CARACAL_DETECTION_SANDBOX should be process, is unset',
    'rules-worker: runs detections, so it should drop ALL capabilities',
    'rules-worker: runs detections, so it should set no-new-privileges',
    'rules-worker: runs detections, so it must not be privileged or add capabilities',
    'rules-worker: runs detections, so it must not run as root',
  ]) {
    assert.ok(problems.some((p) => p.includes(expected)), `missing "${expected}" in:\n${problems.join('\n')}`);
  }
  assert.ok(!problems.some((p) => p.startsWith('ingest:')), problems.join('\n'));
});

// The allow-list above is this test's copy; core's config loader is the
// source of truth, so a variable renamed there must fail here too.
test('every variable the deployment sets is one the config loader reads', () => {
  // A missing loader fails rather than skips: a move of the file once turned this check off unnoticed.
  const loader = path.join(ROOT, 'packages', 'core', 'src', 'kernel', 'config.ts');
  assert.ok(fs.existsSync(loader), `${loader} not found`);
  const source = fs.readFileSync(loader, 'utf8');
  const unread = [...ALLOWED_ENV].filter((name) => !source.includes(`'${name}'`) && !source.includes(`.${name}`));
  assert.deepEqual(unread, []);
});

// ------------------------------------------------------------- Dockerfile --

test('the Dockerfile builds a non-root image with the caracal entrypoint', () => {
  const lines = readText('Dockerfile')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const froms = lines.filter((l) => /^FROM\s/i.test(l));
  assert.ok(froms.length >= 2, 'expected a multi-stage build');
  const runtimeStart = lines.lastIndexOf(froms[froms.length - 1]);
  const runtime = lines.slice(runtimeStart);
  const user = runtime.filter((l) => /^USER\s/i.test(l)).pop();
  assert.ok(user, 'the runtime stage sets no USER');
  assert.doesNotMatch(user, /^USER\s+(root|0)(:|$)/i);
  const entrypoint = runtime.find((l) => /^ENTRYPOINT\s/i.test(l));
  assert.deepEqual(JSON.parse(entrypoint!.replace(/^ENTRYPOINT\s+/i, '')), ['node', 'packages/cli/bin/caracal.js']);
  const exposed = runtime.filter((l) => /^EXPOSE\s/i.test(l)).flatMap((l) => l.split(/\s+/).slice(1));
  for (const port of ['8080', '50051', String(OPS_PORT)]) assert.ok(exposed.includes(port), `the runtime stage does not EXPOSE ${port}`);
  // What the services read at run time besides compiled code; a folder the
  // build stage forgets to gather fails only when that code path runs.
  const text = lines.join('\n');
  for (const needed of ['proto', 'rules', 'packages/detections/python', 'packages/core/log-schemas', 'packages/cli/bin', 'packages/detections/.python-packages', 'packages/detections/python-shims']) {
    assert.ok(text.includes(needed), `the Dockerfile does not copy ${needed}`);
  }
  // The image's Node is the major package.json's engines asks for (which
  // scripts/node.sh provides outside Docker).
  const engines = JSON.parse(readText('package.json')).engines?.node as string;
  const wanted = /^>=\s*(\d+)/.exec(engines ?? '')?.[1];
  const nodeImage = /^ARG\s+NODE_IMAGE=node:(\d+)[-.]/m.exec(text)?.[1];
  assert.ok(wanted && nodeImage === wanted, `NODE_IMAGE is Node ${nodeImage}, package.json's engines says ${engines}`);
  const ignored = readText('.dockerignore').split('\n').map((l) => l.trim());
  assert.ok(ignored.some((l) => /^(\*\*\/)?node_modules\/?$/.test(l)), '.dockerignore should exclude node_modules');
});

test("docker-compose.yml runs Prometheus on every service's ops port and Grafana with the dashboards and their data sources", () => {
  const compose = loadCompose();
  const services: Obj = compose.services;
  const prometheus = services.prometheus;
  const grafana = services.grafana;
  assert.ok(prometheus && grafana, 'no prometheus or grafana service');
  const mounts = (svc: Obj): Map<string, string> => new Map((svc.volumes ?? []).filter((v: unknown) => typeof v === 'string').map((v: string) => [v.split(':')[1], v.split(':')[0]]));
  // Prometheus scrapes the file the repository holds, and that file lists every service on its ops port.
  const promConfig = mounts(prometheus).get('/etc/prometheus/prometheus.yml');
  assert.equal(promConfig, './deploy/prometheus/prometheus.yml');
  const scrape = parseYaml(readText('deploy/prometheus/prometheus.yml')) as Obj;
  const targets: string[] = scrape.scrape_configs.flatMap((c: Obj) => (c.static_configs ?? []).flatMap((s: Obj) => s.targets));
  const expected = SERVICES.map((name) => `${name}:${Number(composeEnv(services[name]).CARACAL_OPS_PORT ?? OPS_PORT)}`);
  assert.deepEqual([...targets].sort(), [...expected].sort());
  // Grafana gets the provisioning and the dashboards the provider file names.
  const grafanaMounts = mounts(grafana);
  assert.equal(grafanaMounts.get('/etc/grafana/provisioning'), './deploy/grafana/provisioning');
  const provider = parseYaml(readText('deploy/grafana/provisioning/dashboards/caracal-dashboards.yaml')) as Obj;
  assert.equal(grafanaMounts.get(provider.providers[0].options.path), './deploy/grafana/dashboards');
  // The data sources reach services of this file, ClickHouse with its credentials.
  const sources = (parseYaml(readText('deploy/grafana/provisioning/datasources/caracal-datasources.yaml')) as Obj).datasources as Obj[];
  const prom = sources.find((d) => d.type === 'prometheus')!;
  assert.ok(services[new URL(prom.url).hostname], `Prometheus data source ${prom.url} is not a service`);
  assert.equal(new URL(prom.url).port, '9090');
  const lake = sources.find((d) => d.type === 'grafana-clickhouse-datasource')!;
  assert.ok(services[lake.jsonData.host], `ClickHouse data source host ${lake.jsonData.host} is not a service`);
  const ch = composeEnv(services[lake.jsonData.host]);
  assert.equal(lake.jsonData.username, ch.CLICKHOUSE_USER);
  assert.equal(lake.secureJsonData.password, '$CARACAL_CLICKHOUSE_PASSWORD');
  assert.equal(composeEnv(grafana).CARACAL_CLICKHOUSE_PASSWORD, ch.CLICKHOUSE_PASSWORD);
  assert.match(String(composeEnv(grafana).GF_PLUGINS_PREINSTALL), /grafana-clickhouse-datasource/);
});
