// Checks docker-compose.yml and the Kubernetes base in deploy/ without a
// Docker engine, a cluster or the network: against the Compose specification
// schema (shipped in the `dclint` package) and the Kubernetes OpenAPI schemas
// (compiled into `kubernetes-models`), then against the rules Caracal's
// services depend on (env names, probes, hardening).
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

type Obj = Record<string, any>;

const SERVICES = ['ingest', 'rules-worker', 'alert-stage', 'clickhouse-writer', 'query'];
const IMAGE = 'caracal';
const NAMESPACE = 'caracal';
// The variables the services read in containers; anything else in a manifest
// is a typo or a setting the services would silently ignore.
const ALLOWED_ENV = new Set([
  'CARACAL_MODE',
  'CARACAL_KAFKA_BROKERS',
  'CARACAL_REDIS_URL',
  'CARACAL_REDIS_CONNECT_TIMEOUT_MS',
  'CARACAL_CLICKHOUSE_URL',
  'CARACAL_CLICKHOUSE_USER',
  'CARACAL_CLICKHOUSE_PASSWORD',
  'CARACAL_DATA_DIR',
  'CARACAL_CONTROL_FILE',
  'CARACAL_RULES_DIR',
  'CARACAL_HTTP_PORT',
  'CARACAL_GRPC_PORT',
  'CARACAL_LOG_LEVEL',
  'CARACAL_ALERT_DELIVERY_TIMEOUT_MS',
  'CARACAL_ALERT_DELIVERY_MAX_ATTEMPTS',
  'CARACAL_ALERT_DELIVERY_BACKOFF_MS',
  'CARACAL_ALERT_ALLOW_PRIVATE_DESTINATIONS',
]);
// Customer Python runs in the rules workers, so they must see none of these.
const SECRET_ENV = ['CARACAL_CLICKHOUSE_PASSWORD', 'CARACAL_CLICKHOUSE_USER', 'CARACAL_CONTROL_FILE'];
// The services that read tenants, sources, tokens or destinations, and only they.
const CONTROL_FILE_SERVICES = ['ingest', 'query', 'alert-stage'];
const CONTROL_FILE = '/etc/caracal/control.json';
// alert-stage never reads the lake.
const CLICKHOUSE_ENV = ['CARACAL_CLICKHOUSE_URL', 'CARACAL_CLICKHOUSE_USER', 'CARACAL_CLICKHOUSE_PASSWORD'];
// Referenced by the manifests, created by the operator (deploy/README.md).
const EXTERNAL_SECRETS: Record<string, string[]> = {
  'caracal-clickhouse': ['username', 'password'],
  'caracal-control': ['control.json'],
};
const WRITABLE_DIRS = ['/var/lib/caracal', '/tmp'];

// The compiled file may land in test/dist or in an outDir outside the
// repository, so search upward from its own folder and from the cwd.
function findRepoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = path.resolve(start);
    for (;;) {
      if (fs.existsSync(path.join(dir, 'docker-compose.yml')) && fs.existsSync(path.join(dir, 'deploy', 'base'))) {
        return dir;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('repository root (a folder with docker-compose.yml and deploy/base) not found');
}

const ROOT = findRepoRoot();

function clone<T>(value: T): T {
  return structuredClone(value);
}

function readText(rel: string): string {
  return fs.readFileSync(path.join(ROOT, rel), 'utf8');
}

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

  for (const name of ['kafka', 'clickhouse', 'redis', 'ingest', 'query']) {
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
  const ingestCheck = JSON.stringify(services.ingest?.healthcheck?.test ?? '');
  if (!ingestCheck.includes('/healthz')) problems.push('ingest: healthcheck should call /healthz');

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

// ------------------------------------------------------------- Kubernetes --

interface Manifest {
  source: string;
  doc: Obj;
}

// Only the kustomize fields the base uses are understood here; a new field
// fails the test instead of being ignored, so this loader grows with the base.
const KUSTOMIZATION_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass']);

function loadKustomization(dir: string): { kustomization: Obj; manifests: Manifest[] } {
  const file = path.join(dir, 'kustomization.yaml');
  const kustomization = parseYaml(fs.readFileSync(file, 'utf8')) as Obj;
  const unknown = Object.keys(kustomization).filter((k) => !KUSTOMIZATION_FIELDS.has(k));
  assert.deepEqual(unknown, [], `${file}: fields this test does not apply yet`);
  const manifests: Manifest[] = [];
  for (const entry of kustomization.resources ?? []) {
    assert.ok(!/^[a-z]+:\/\//.test(entry), `${file}: remote resource ${entry}`);
    const target = path.join(dir, entry);
    if (fs.statSync(target).isDirectory()) {
      manifests.push(...loadKustomization(target).manifests);
      continue;
    }
    const rel = path.relative(ROOT, target);
    for (const parsed of parseAllDocuments(fs.readFileSync(target, 'utf8'))) {
      assert.deepEqual(parsed.errors, [], `${rel}: YAML errors`);
      const doc = parsed.toJS() as Obj | null;
      if (doc !== null) manifests.push({ source: rel, doc });
    }
  }
  for (const { doc } of manifests) {
    if (kustomization.namespace && !CLUSTER_SCOPED.has(doc.kind)) {
      doc.metadata = { ...doc.metadata, namespace: kustomization.namespace };
    }
    for (const container of podContainers(doc)) {
      const [name, tag] = splitImage(container.image);
      const rule = (kustomization.images ?? []).find((i: Obj) => i.name === name);
      if (!rule) continue;
      const newTag = rule.newTag ?? tag;
      container.image = rule.digest
        ? `${rule.newName ?? name}@${rule.digest}`
        : `${rule.newName ?? name}${newTag ? `:${newTag}` : ''}`;
    }
  }
  return { kustomization, manifests };
}

function splitImage(image: string): [string, string | undefined] {
  const at = image.indexOf('@');
  const base = at < 0 ? image : image.slice(0, at);
  const colon = base.lastIndexOf(':');
  return colon > base.lastIndexOf('/') ? [base.slice(0, colon), base.slice(colon + 1)] : [base, undefined];
}

function podContainers(doc: Obj): Obj[] {
  const spec = doc.spec?.template?.spec;
  return spec ? [...(spec.initContainers ?? []), ...(spec.containers ?? [])] : [];
}

function modelFor(apiVersion: string, kind: string): any {
  // kubernetes-models lays out one module per kind: <group>/<version>/<Kind>,
  // core kinds under v1/.
  const exported = require(`kubernetes-models/${apiVersion}/${kind}`);
  const model = exported[kind];
  assert.ok(model, `kubernetes-models has no ${apiVersion} ${kind}`);
  return model;
}

/**
 * Validates against the package's compiled OpenAPI schema and also reports
 * fields the schema does not know. The OpenAPI schemas leave objects open,
 * but `kubectl apply` (strict field validation) rejects unknown fields and
 * older servers silently drop them, so a misspelt `readinesProbe` would
 * otherwise pass here and vanish in the cluster. The generated validator
 * reads exactly the properties its schema declares and enumerates only
 * free-form maps, so every object is wrapped to record which keys it read.
 */
function k8sProblems(doc: Obj): string[] {
  let model: any;
  try {
    model = modelFor(doc.apiVersion, doc.kind);
  } catch (err) {
    return [`no schema for ${doc.apiVersion} ${doc.kind}: ${(err as Error).message}`];
  }
  interface Seen {
    path: string;
    keys: string[];
    read: Set<string>;
    enumerated: boolean;
  }
  const seen: Seen[] = [];
  const wrap = (value: unknown, at: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return new Proxy(value.map((v, i) => wrap(v, `${at}/${i}`)), {});
    const node: Seen = { path: at || '/', keys: Object.keys(value), read: new Set(), enumerated: false };
    seen.push(node);
    const copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wrap(v, `${at}/${k}`)]));
    return new Proxy(copy, {
      get(target, key, receiver) {
        if (typeof key === 'string') node.read.add(key);
        return Reflect.get(target, key, receiver);
      },
      has(target, key) {
        if (typeof key === 'string') node.read.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        node.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
  };
  const problems: string[] = [];
  try {
    model.prototype.validate.call(wrap(doc, ''));
  } catch (err) {
    problems.push(`schema: ${(err as Error).message}`);
  }
  // Inside an unknown field nothing is read, so report only its top.
  const unknown: string[] = [];
  for (const node of seen) {
    if (node.enumerated || unknown.some((u) => node.path === u || node.path.startsWith(`${u}/`))) continue;
    for (const key of node.keys) if (!node.read.has(key)) unknown.push(`${node.path === '/' ? '' : node.path}/${key}`);
  }
  return [...problems, ...unknown.map((u) => `unknown field ${u}`)];
}

function envNamesOf(container: Obj, configMaps: Map<string, Obj>): string[] {
  const names = (container.env ?? []).map((e: Obj) => e.name);
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) names.push(...Object.keys(configMaps.get(from.configMapRef.name)?.data ?? {}));
    if (from.secretRef) names.push(`<all keys of Secret ${from.secretRef.name}>`);
  }
  return names;
}

function envValue(container: Obj, configMaps: Map<string, Obj>, name: string): string | undefined {
  const direct = (container.env ?? []).find((e: Obj) => e.name === name);
  if (direct?.value !== undefined) return direct.value;
  const ref = direct?.valueFrom?.configMapKeyRef;
  if (ref) return configMaps.get(ref.name)?.data?.[ref.key];
  for (const from of container.envFrom ?? []) {
    const value = configMaps.get(from.configMapRef?.name)?.data?.[name];
    if (value !== undefined) return value;
  }
  return undefined;
}

function deploymentProblems(dep: Obj, configMaps: Map<string, Obj>, image: string): string[] {
  const problems: string[] = [];
  const name = dep.metadata?.name;
  const say = (msg: string) => problems.push(`Deployment ${name}: ${msg}`);
  if (!SERVICES.includes(name)) say(`not one of ${SERVICES.join(', ')}`);
  const pod = dep.spec?.template?.spec ?? {};
  const volumes = new Map<string, Obj>((pod.volumes ?? []).map((v: Obj) => [v.name, v]));
  if (pod.automountServiceAccountToken !== false) say('should not mount a service account token');

  for (const c of podContainers(dep)) {
    const where = `container ${c.name}`;
    if (splitImage(String(c.image ?? ''))[0] !== image) say(`${where}: image ${c.image}, expected ${image}`);
    if (JSON.stringify(c.args) !== JSON.stringify(['serve', name])) say(`${where}: args should be ["serve", "${name}"]`);
    if (c.command !== undefined) say(`${where}: command replaces the image entrypoint; use args`);

    for (const key of ['requests', 'limits']) {
      for (const res of ['cpu', 'memory']) if (!c.resources?.[key]?.[res]) say(`${where}: no resources.${key}.${res}`);
    }
    if ((c.ports ?? []).length > 0 && !(c.readinessProbe && c.livenessProbe)) say(`${where}: has ports but lacks probes`);

    const sc = c.securityContext ?? {};
    if (sc.runAsNonRoot !== true && pod.securityContext?.runAsNonRoot !== true) say(`${where}: runAsNonRoot not set`);
    if (sc.readOnlyRootFilesystem !== true) say(`${where}: readOnlyRootFilesystem not set`);
    if (sc.allowPrivilegeEscalation !== false) say(`${where}: allowPrivilegeEscalation not false`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) say(`${where}: capabilities not dropped`);
    if (sc.privileged) say(`${where}: privileged`);
    for (const dir of WRITABLE_DIRS) {
      const mount = (c.volumeMounts ?? []).find((m: Obj) => m.mountPath === dir);
      if (!mount || !volumes.get(mount.name)?.emptyDir) say(`${where}: ${dir} should be an emptyDir`);
    }

    const envNames = envNamesOf(c, configMaps);
    for (const env of envNames) if (!ALLOWED_ENV.has(env)) say(`${where}: unknown environment variable ${env}`);
    if (envValue(c, configMaps, 'CARACAL_MODE') !== 'kafka') say(`${where}: CARACAL_MODE should be kafka`);
    if (!envValue(c, configMaps, 'CARACAL_KAFKA_BROKERS')) say(`${where}: no CARACAL_KAFKA_BROKERS`);
    if (!/^rediss?:\/\/./.test(envValue(c, configMaps, 'CARACAL_REDIS_URL') ?? '')) say(`${where}: no redis:// CARACAL_REDIS_URL`);
    for (const e of c.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      if (cm && configMaps.get(cm.name)?.data?.[cm.key] === undefined) say(`${where}: ${e.name} refers to missing ConfigMap key ${cm.name}/${cm.key}`);
      const secret = e.valueFrom?.secretKeyRef;
      if (secret && !EXTERNAL_SECRETS[secret.name]?.includes(secret.key)) say(`${where}: ${e.name} refers to undocumented Secret key ${secret.name}/${secret.key}`);
    }
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef && !configMaps.has(from.configMapRef.name)) say(`${where}: envFrom missing ConfigMap ${from.configMapRef.name}`);
    }

    if (name === 'ingest') {
      for (const probe of ['readinessProbe', 'livenessProbe']) {
        if (c[probe]?.httpGet?.path !== '/healthz') say(`${where}: ${probe} should GET /healthz`);
      }
    }
    if (name === 'query') {
      for (const probe of ['readinessProbe', 'livenessProbe']) {
        if (c[probe]?.grpc?.port !== 50051) say(`${where}: ${probe} should be a gRPC probe on 50051`);
      }
    }
    const controlMount = (c.volumeMounts ?? []).find((m: Obj) => volumes.get(m.name)?.secret?.secretName === 'caracal-control');
    if (CONTROL_FILE_SERVICES.includes(name)) {
      if (!controlMount || controlMount.mountPath !== '/etc/caracal' || controlMount.readOnly !== true) {
        say(`${where}: Secret caracal-control should be mounted read-only at /etc/caracal`);
      }
      if (envValue(c, configMaps, 'CARACAL_CONTROL_FILE') !== CONTROL_FILE) {
        say(`${where}: CARACAL_CONTROL_FILE should be ${CONTROL_FILE}`);
      }
    } else if (controlMount || envNames.includes('CARACAL_CONTROL_FILE')) {
      say(`${where}: must not get the control file`);
    }
    if (name === 'alert-stage') {
      // Kafka and the control file only: no ClickHouse, and no Secret but caracal-control.
      for (const env of CLICKHOUSE_ENV) if (envNames.includes(env)) say(`${where}: must not get ${env}`);
      for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) say(`${where}: ${e.name} must not come from a Secret`);
      if ((c.envFrom ?? []).some((from: Obj) => from.secretRef)) say(`${where}: must not take env from a Secret`);
      const brokers = (c.env ?? []).find((e: Obj) => e.name === 'CARACAL_KAFKA_BROKERS')?.valueFrom?.configMapKeyRef;
      if (brokers?.name !== 'caracal-endpoints') say(`${where}: CARACAL_KAFKA_BROKERS should come from ConfigMap caracal-endpoints`);
      const redis = envValue(c, configMaps, 'CARACAL_REDIS_URL');
      if (redis && /^rediss?:\/\/[^/]*@/.test(redis)) say(`${where}: CARACAL_REDIS_URL must carry no credentials`);
      for (const m of c.volumeMounts ?? []) {
        const secret = volumes.get(m.name)?.secret?.secretName;
        if (secret && secret !== 'caracal-control') say(`${where}: must not mount Secret ${secret}`);
      }
    }
    if (name === 'rules-worker') {
      for (const env of SECRET_ENV) if (envNames.includes(env)) say(`${where}: must not get ${env}`);
      if ((c.volumeMounts ?? []).some((m: Obj) => volumes.get(m.name)?.secret)) say(`${where}: must not mount Secrets`);
    }
  }
  for (const [volumeName, volume] of volumes) {
    if (volume.secret && !EXTERNAL_SECRETS[volume.secret.secretName]) say(`volume ${volumeName}: undocumented Secret ${volume.secret.secretName}`);
    if (volume.hostPath) say(`volume ${volumeName}: hostPath`);
  }
  return problems;
}

/** `image` is the repository every container must run after kustomize's images rewrite. */
function basePolicyProblems(manifests: Manifest[], image: string): string[] {
  const problems: string[] = [];
  const docs = manifests.map((m) => m.doc);
  const configMaps = new Map(docs.filter((d) => d.kind === 'ConfigMap').map((d) => [d.metadata.name, d]));
  const deployments = docs.filter((d) => d.kind === 'Deployment');

  const names = deployments.map((d) => d.metadata.name).sort();
  if (JSON.stringify(names) !== JSON.stringify([...SERVICES].sort())) problems.push(`Deployments are [${names.join(', ')}]`);
  for (const d of docs) {
    if (d.kind === 'Secret') problems.push(`Secret ${d.metadata?.name} is in the manifests; only references belong here`);
    if (!CLUSTER_SCOPED.has(d.kind) && d.metadata?.namespace !== NAMESPACE) {
      problems.push(`${d.kind} ${d.metadata?.name}: namespace ${d.metadata?.namespace}`);
    }
  }
  if (!docs.some((d) => d.kind === 'Namespace' && d.metadata?.name === NAMESPACE)) problems.push(`no Namespace ${NAMESPACE}`);
  for (const cm of configMaps.values()) {
    for (const key of Object.keys(cm.data ?? {})) if (!ALLOWED_ENV.has(key)) problems.push(`ConfigMap ${cm.metadata.name}: unknown key ${key}`);
  }
  for (const d of deployments) problems.push(...deploymentProblems(d, configMaps, image));

  const services = docs.filter((d) => d.kind === 'Service');
  for (const dep of deployments) {
    const ports = podContainers(dep).flatMap((c) => c.ports ?? []);
    const svc = services.find((s) => s.metadata.name === dep.metadata.name);
    if (ports.length > 0 && !svc) problems.push(`Deployment ${dep.metadata.name} has ports but no Service`);
    if (ports.length === 0 && svc) problems.push(`Service ${svc.metadata.name} fronts a Deployment without ports`);
  }
  for (const svc of services) {
    const selector: Obj = svc.spec?.selector ?? {};
    const target = deployments.find((dep) => {
      const labels = dep.spec?.template?.metadata?.labels ?? {};
      return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
    });
    if (!target) {
      problems.push(`Service ${svc.metadata.name}: selector matches no Deployment`);
      continue;
    }
    const ports = podContainers(target).flatMap((c) => c.ports ?? []);
    for (const p of svc.spec.ports ?? []) {
      const found = typeof p.targetPort === 'string'
        ? ports.some((cp: Obj) => cp.name === p.targetPort)
        : ports.some((cp: Obj) => cp.containerPort === (p.targetPort ?? p.port));
      if (!found) problems.push(`Service ${svc.metadata.name}: targetPort ${p.targetPort} is not a container port`);
    }
  }
  return problems;
}

const BASE = path.join(ROOT, 'deploy', 'base');

test('every manifest of deploy/base is valid for its apiVersion and kind', () => {
  const { manifests } = loadKustomization(BASE);
  assert.ok(manifests.length >= 7, `only ${manifests.length} manifests found`);
  const problems = manifests.flatMap(({ source, doc }) =>
    k8sProblems(doc).map((p) => `${source} ${doc.kind}/${doc.metadata?.name}: ${p}`),
  );
  assert.deepEqual(problems, []);
});

test('the Kubernetes check rejects a misspelt field and a wrong type', () => {
  const { manifests } = loadKustomization(BASE);
  const ingest = manifests.find((m) => m.doc.kind === 'Deployment' && m.doc.metadata.name === 'ingest');
  assert.ok(ingest);

  const misspelt = clone(ingest.doc);
  const container = misspelt.spec.template.spec.containers[0];
  container.readinesProbe = container.readinessProbe;
  delete container.readinessProbe;
  assert.deepEqual(k8sProblems(misspelt), ['unknown field /spec/template/spec/containers/0/readinesProbe']);

  const wrongType = clone(ingest.doc);
  wrongType.spec.template.spec.containers[0].ports[0].containerPort = '8080';
  const problems = k8sProblems(wrongType);
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /containerPort must be integer/);

  assert.match(k8sProblems({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } })[0], /no schema/);
});

function expectedImage(kustomization: Obj): string {
  const rule = (kustomization.images ?? []).find((i: Obj) => i.name === IMAGE);
  assert.ok(rule, `kustomization.images has no entry for ${IMAGE}`);
  return rule.newName ?? IMAGE;
}

test('deploy/base follows the rules Caracal depends on', () => {
  const { kustomization, manifests } = loadKustomization(BASE);
  assert.equal(kustomization.namespace, NAMESPACE);
  assert.deepEqual(basePolicyProblems(manifests, expectedImage(kustomization)), []);
});

test('the base rules catch a weakened Deployment', () => {
  const { kustomization, manifests } = loadKustomization(BASE);
  const docs = manifests.map((m) => ({ ...m, doc: clone(m.doc) }));
  const worker = docs.find((m) => m.doc.kind === 'Deployment' && m.doc.metadata.name === 'rules-worker');
  assert.ok(worker);
  const c = worker.doc.spec.template.spec.containers[0];
  delete c.resources.limits;
  c.securityContext.readOnlyRootFilesystem = false;
  c.env.push({ name: 'CARACAL_CLICKHOUSE_PASSWORD', valueFrom: { secretKeyRef: { name: 'caracal-clickhouse', key: 'password' } } });
  c.env.push({ name: 'CARACAL_KAFKA_BROKER', value: 'kafka:9092' });
  const problems = basePolicyProblems(docs, expectedImage(kustomization));
  for (const expected of [
    'no resources.limits.cpu',
    'readOnlyRootFilesystem not set',
    'must not get CARACAL_CLICKHOUSE_PASSWORD',
    'unknown environment variable CARACAL_KAFKA_BROKER',
  ]) {
    assert.ok(problems.some((p) => p.includes(expected)), `missing "${expected}" in:\n${problems.join('\n')}`);
  }
});

test('the base rules catch alert-stage given ClickHouse credentials or no control file', () => {
  const { kustomization, manifests } = loadKustomization(BASE);
  const docs = manifests.map((m) => ({ ...m, doc: clone(m.doc) }));
  const stage = docs.find((m) => m.doc.kind === 'Deployment' && m.doc.metadata.name === 'alert-stage');
  assert.ok(stage, 'deploy/base has no alert-stage Deployment');
  const pod = stage.doc.spec.template.spec;
  const c = pod.containers[0];
  c.env = c.env.filter((e: Obj) => e.name !== 'CARACAL_CONTROL_FILE');
  c.env.push({ name: 'CARACAL_CLICKHOUSE_PASSWORD', valueFrom: { secretKeyRef: { name: 'caracal-clickhouse', key: 'password' } } });
  c.env.push({ name: 'CARACAL_CLICKHOUSE_URL', valueFrom: { configMapKeyRef: { name: 'caracal-endpoints', key: 'CARACAL_CLICKHOUSE_URL' } } });
  c.volumeMounts = c.volumeMounts.filter((m: Obj) => m.mountPath !== '/etc/caracal');
  const problems = basePolicyProblems(docs, expectedImage(kustomization));
  for (const expected of [
    'Deployment alert-stage: container alert-stage: Secret caracal-control should be mounted read-only at /etc/caracal',
    'Deployment alert-stage: container alert-stage: CARACAL_CONTROL_FILE should be /etc/caracal/control.json',
    'Deployment alert-stage: container alert-stage: must not get CARACAL_CLICKHOUSE_PASSWORD',
    'Deployment alert-stage: container alert-stage: must not get CARACAL_CLICKHOUSE_URL',
    'Deployment alert-stage: container alert-stage: CARACAL_CLICKHOUSE_PASSWORD must not come from a Secret',
  ]) {
    assert.ok(problems.includes(expected), `missing "${expected}" in:\n${problems.join('\n')}`);
  }
});

// The allow-list above is this test's copy; core's config loader is the
// source of truth, so a variable renamed there must fail here too.
test('every variable the deployment sets is one the config loader reads', (t) => {
  const loader = path.join(ROOT, 'packages', 'core', 'src', 'config.ts');
  if (!fs.existsSync(loader)) {
    t.skip('packages/core/src/config.ts not found');
    return;
  }
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
  const ignored = readText('.dockerignore').split('\n').map((l) => l.trim());
  assert.ok(ignored.some((l) => /^(\*\*\/)?node_modules\/?$/.test(l)), '.dockerignore should exclude node_modules');
});
