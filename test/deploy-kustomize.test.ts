// Renders deploy/ with a real kustomize (scripts/kustomize.sh: kubectl's
// built-in one, or the pinned one built with Go) and checks every emitted
// document: against the Kubernetes OpenAPI schemas (`kubernetes-models`) and
// KEDA's CRD schema (`@kubernetes-models/keda`), then against the rules
// Caracal's services depend on: probes on the ops endpoint, disruption
// budgets, resources, hardening, secrets only where needed, one autoscaler
// per Deployment that matches the consumer group and topics, and network
// policies that leave the rules workers Kafka, Redis and DNS only.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '@caracal/core';
import { supportedLogTypes } from '@caracal/core/log-schemas';
import { Topics } from '@caracal/bus';
import { RULES_WORKER_GROUP } from '@caracal/rules-worker';
import {
  ALLOWED_ENV,
  CLICKHOUSE_ENV,
  CONTAINER_DETECTION_SANDBOX,
  CONTROL_FILE,
  CONTROL_FILE_SERVICES,
  DETECTION_SANDBOX_ENV,
  DETECTION_SERVICES,
  EXTERNAL_SECRETS,
  IMAGE,
  NAMESPACE,
  OPS_PORT,
  OPS_PORT_NAME,
  Obj,
  POD_SECURITY_LEVEL,
  ROOT,
  RULES_WORKER_START_SECONDS,
  SECRET_ENV,
  SERVICES,
  SHUTDOWN_HEADROOM_SECONDS,
  WRITABLE_DIRS,
  clone,
  restrictedPodProblems,
} from './deploy-policy';

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass', 'RuntimeClass']);
// Stateless services that must run more than once in production; rules-worker
// is sized by its autoscaler instead.
const HA_SERVICES = ['ingest', 'alert-stage', 'clickhouse-writer', 'query'];
const AUTOSCALED = 'rules-worker';
// Which backend each service connects to (the rest must not be reachable).
const NEEDS_CLICKHOUSE = ['clickhouse-writer', 'query'];
const NEEDS_REDIS = ['rules-worker'];
const INBOUND: Record<string, number> = { ingest: 8080, query: 50051 };
const DNS_PORT = 53;
// components/gvisor: the RuntimeClass the detection pods run under, and its runsc handler.
const GVISOR_RUNTIME_CLASS = 'gvisor';
const GVISOR_HANDLER = 'runsc';
// deploy/grafana: the dashboards, for the Grafana Helm chart's sidecar (its default label).
const DASHBOARDS_CONFIG_MAP = 'caracal-grafana-dashboards';
const DASHBOARD_SIDECAR_LABEL = 'grafana_dashboard';

// ------------------------------------------------------------- rendering --

/** Runs scripts/kustomize.sh; throws (so the test fails, never skips) when no kustomize can be had. */
function kustomizeBuild(dir: string): Obj[] {
  let out: string;
  try {
    out = execFileSync('bash', [path.join(ROOT, 'scripts', 'kustomize.sh'), 'build', dir], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`scripts/kustomize.sh build ${path.relative(ROOT, dir) || dir} failed: ${e.stderr || e.message}`);
  }
  return parseAllDocuments(out).map((d) => {
    assert.deepEqual(d.errors, [], 'kustomize emitted invalid YAML');
    return d.toJS() as Obj;
  }).filter((d) => d !== null);
}

const builds = new Map<string, Obj[]>();
function rendered(rel: string): Obj[] {
  if (!builds.has(rel)) builds.set(rel, kustomizeBuild(path.join(ROOT, rel)));
  return clone(builds.get(rel)!);
}

/**
 * A throwaway overlay outside the repository, for the combinations the
 * repository does not ship (the HPA fallback, deliberate mistakes). Paths in
 * `kustomization` are relative to deploy/.
 */
function renderedOverlay(kustomization: Obj): Obj[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-kustomize-'));
  try {
    const toDeploy = path.relative(dir, path.join(ROOT, 'deploy'));
    const fix = (p: string) => path.join(toDeploy, p);
    const k = clone(kustomization);
    k.resources = (k.resources ?? []).map(fix);
    k.components = (k.components ?? []).map(fix);
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), JSON.stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...k }));
    return kustomizeBuild(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const OVERLAYS = ['deploy/base', 'deploy/overlays/dev', 'deploy/overlays/prod', 'deploy/overlays/prod-hpa'];
const PRODUCTION = ['deploy/overlays/prod', 'deploy/overlays/prod-hpa'];

// ---------------------------------------------------------------- schemas --

function modelFor(apiVersion: string, kind: string): any {
  // kubernetes-models lays out one module per kind: <group>/<version>/<Kind>,
  // core kinds under v1/; the KEDA package follows the same layout.
  const module = apiVersion.startsWith('keda.sh/') ? `@kubernetes-models/keda/${apiVersion}/${kind}` : `kubernetes-models/${apiVersion}/${kind}`;
  const model = require(module)[kind];
  assert.ok(model, `${module} exports no ${kind}`);
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

function schemaProblems(docs: Obj[]): string[] {
  return docs.flatMap((doc) => k8sProblems(doc).map((p) => `${doc.kind}/${doc.metadata?.name}: ${p}`));
}

// ---------------------------------------------------------------- helpers --

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

function podLabels(dep: Obj): Record<string, string> {
  return dep.spec?.template?.metadata?.labels ?? {};
}

/** Kubernetes LabelSelector semantics; an empty selector matches everything. */
function selects(selector: Obj | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function isEmptySelector(selector: Obj | undefined): boolean {
  return !!selector && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
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

/** The container's environment as the process sees it; Secret values are stand-ins. */
function containerEnv(container: Obj, configMaps: Map<string, Obj>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of envNamesOf(container, configMaps)) {
    const value = envValue(container, configMaps, name);
    env[name] = value ?? 'from-a-secret';
  }
  return env;
}

/** The real config loader's reading of a container's environment, or its error. */
function containerConfig(container: Obj, configMaps: Map<string, Obj>): ReturnType<typeof loadConfig> | Error {
  try {
    return loadConfig(containerEnv(container, configMaps), '/');
  } catch (err) {
    return err as Error;
  }
}

interface HostPort {
  host: string;
  port: number;
  /** From `<service>.<namespace>.svc[...]`; undefined for other hosts. */
  namespace?: string;
}

function hostPort(hostAndPort: string, defaultPort: number): HostPort {
  const withScheme = /^[a-z]+:\/\//.test(hostAndPort) ? hostAndPort : `tcp://${hostAndPort}`;
  const url = new URL(withScheme);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : defaultPort;
  const parts = url.hostname.split('.');
  const namespace = parts.length >= 3 && parts[2] === 'svc' ? parts[1] : undefined;
  return { host: url.hostname, port, namespace };
}

interface Deployment {
  doc: Obj;
  name: string;
  labels: Record<string, string>;
  container: Obj;
}

function deploymentsOf(docs: Obj[]): Deployment[] {
  return docs
    .filter((d) => d.kind === 'Deployment')
    .map((doc) => ({ doc, name: doc.metadata.name, labels: podLabels(doc), container: doc.spec.template.spec.containers[0] }));
}

function configMapsOf(docs: Obj[]): Map<string, Obj> {
  return new Map(docs.filter((d) => d.kind === 'ConfigMap').map((d) => [d.metadata.name, d]));
}

// ------------------------------------------------------ workload rules --

/** `image` is the repository every container must run after kustomize's images rewrite. */
function deploymentProblems(dep: Obj, configMaps: Map<string, Obj>, image: string): string[] {
  const problems: string[] = [];
  const name = dep.metadata?.name;
  const say = (msg: string) => problems.push(`Deployment ${name}: ${msg}`);
  if (!SERVICES.includes(name)) say(`not one of ${SERVICES.join(', ')}`);
  const pod = dep.spec?.template?.spec ?? {};
  const volumes = new Map<string, Obj>((pod.volumes ?? []).map((v: Obj) => [v.name, v]));
  if (pod.automountServiceAccountToken !== false) say('should not mount a service account token');
  if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault') say('seccompProfile should be RuntimeDefault');

  for (const c of podContainers(dep)) {
    const where = `container ${c.name}`;
    if (splitImage(String(c.image ?? ''))[0] !== image) say(`${where}: image ${c.image}, expected ${image}`);
    if (JSON.stringify(c.args) !== JSON.stringify(['serve', name])) say(`${where}: args should be ["serve", "${name}"]`);
    if (c.command !== undefined) say(`${where}: command replaces the image entrypoint; use args`);

    for (const key of ['requests', 'limits']) {
      for (const res of ['cpu', 'memory']) if (!c.resources?.[key]?.[res]) say(`${where}: no resources.${key}.${res}`);
    }

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
    const config = containerConfig(c, configMaps);
    if (config instanceof Error) say(`${where}: the config loader refuses its environment: ${config.message}`);

    problems.push(...opsProblems(dep, c, config instanceof Error ? undefined : config).map((p) => `Deployment ${name}: ${where}: ${p}`));

    const controlMount = (c.volumeMounts ?? []).find((m: Obj) => volumes.get(m.name)?.secret?.secretName === 'caracal-control');
    if (CONTROL_FILE_SERVICES.includes(name)) {
      if (!controlMount || controlMount.mountPath !== '/etc/caracal' || controlMount.readOnly !== true) {
        say(`${where}: Secret caracal-control should be mounted read-only at /etc/caracal`);
      }
      if (envValue(c, configMaps, 'CARACAL_CONTROL_FILE') !== CONTROL_FILE) say(`${where}: CARACAL_CONTROL_FILE should be ${CONTROL_FILE}`);
    } else if (controlMount || envNames.includes('CARACAL_CONTROL_FILE')) {
      say(`${where}: must not get the control file`);
    }
    if (name === 'alert-stage') {
      // Kafka and the control file only: no ClickHouse, and no Secret but caracal-control.
      for (const env of CLICKHOUSE_ENV) if (envNames.includes(env)) say(`${where}: must not get ${env}`);
      for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) say(`${where}: ${e.name} must not come from a Secret`);
      if ((c.envFrom ?? []).some((from: Obj) => from.secretRef)) say(`${where}: must not take env from a Secret`);
      const redis = envValue(c, configMaps, 'CARACAL_REDIS_URL');
      if (redis && /^rediss?:\/\/[^/]*@/.test(redis)) say(`${where}: CARACAL_REDIS_URL must carry no credentials`);
      for (const m of c.volumeMounts ?? []) {
        const secret = volumes.get(m.name)?.secret?.secretName;
        if (secret && secret !== 'caracal-control') say(`${where}: must not mount Secret ${secret}`);
      }
    }
    if (name === 'rules-worker') {
      // Customer Python runs here: nothing secret in its environment or files.
      for (const env of SECRET_ENV) if (envNames.includes(env)) say(`${where}: must not get ${env}`);
      for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) say(`${where}: ${e.name} must not come from a Secret`);
      if ((c.envFrom ?? []).some((from: Obj) => from.secretRef)) say(`${where}: must not take env from a Secret`);
      if ((c.volumeMounts ?? []).some((m: Obj) => volumes.get(m.name)?.secret || volumes.get(m.name)?.projected)) say(`${where}: must not mount Secrets`);
    }
  }
  for (const [volumeName, volume] of volumes) {
    if (volume.secret && !EXTERNAL_SECRETS[volume.secret.secretName]) say(`volume ${volumeName}: undocumented Secret ${volume.secret.secretName}`);
    if (volume.hostPath) say(`volume ${volumeName}: hostPath`);
  }
  return problems;
}

/** The ops endpoint: port, probes, scrape annotations and the shutdown budget. */
function opsProblems(dep: Obj, c: Obj, config: ReturnType<typeof loadConfig> | undefined): string[] {
  const problems: string[] = [];
  const pod = dep.spec.template.spec;
  const opsPort = config?.ops?.port ?? OPS_PORT;
  const port = (c.ports ?? []).find((p: Obj) => p.name === OPS_PORT_NAME);
  if (!port || port.containerPort !== opsPort) problems.push(`port ${OPS_PORT_NAME} should be containerPort ${opsPort} (CARACAL_OPS_PORT)`);
  const onOps = (probe: Obj | undefined, pathWanted: string) =>
    probe?.httpGet?.path === pathWanted && (probe.httpGet.port === OPS_PORT_NAME || probe.httpGet.port === opsPort);
  if (!onOps(c.livenessProbe, '/livez')) problems.push(`livenessProbe should GET /livez on the ${OPS_PORT_NAME} port`);
  if (!onOps(c.readinessProbe, '/readyz')) problems.push(`readinessProbe should GET /readyz on the ${OPS_PORT_NAME} port`);
  if (c.startupProbe && !onOps(c.startupProbe, '/livez')) problems.push(`startupProbe should GET /livez on the ${OPS_PORT_NAME} port`);
  if (dep.metadata.name === 'rules-worker') {
    const p = c.startupProbe;
    const budget = p ? (p.periodSeconds ?? 10) * (p.failureThreshold ?? 3) + (p.initialDelaySeconds ?? 0) : 0;
    if (budget < RULES_WORKER_START_SECONDS) problems.push(`startupProbe allows ${budget}s, loading Pyodide needs ${RULES_WORKER_START_SECONDS}s`);
  }
  const annotations = dep.spec.template.metadata?.annotations ?? {};
  if (annotations['prometheus.io/scrape'] !== 'true' || annotations['prometheus.io/port'] !== String(opsPort) || annotations['prometheus.io/path'] !== '/metrics') {
    problems.push(`pod annotations should have Prometheus scrape /metrics on ${opsPort}`);
  }
  // The kubelet's SIGKILL must not cut the shutdown short: grace covers the
  // preStop pause plus the service's own shutdown timeout.
  const shutdownMs = config?.ops?.shutdownTimeoutMs;
  if (shutdownMs === undefined) {
    problems.push('the config loader reports no ops.shutdownTimeoutMs');
  } else {
    const preStop = c.lifecycle?.preStop?.exec?.command;
    const pause = Array.isArray(preStop) && preStop[0] === 'sleep' ? Number(preStop[1]) : 0;
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    if (grace < pause + shutdownMs / 1000 + SHUTDOWN_HEADROOM_SECONDS) {
      problems.push(`terminationGracePeriodSeconds ${grace} < preStop ${pause}s + shutdown timeout ${shutdownMs / 1000}s + ${SHUTDOWN_HEADROOM_SECONDS}s`);
    }
  }
  return problems;
}

/** `image` is the repository every container must run after kustomize's images rewrite. */
function workloadProblems(docs: Obj[], image: string): string[] {
  const problems: string[] = [];
  const configMaps = configMapsOf(docs);
  const deployments = deploymentsOf(docs);

  const names = deployments.map((d) => d.name).sort();
  if (JSON.stringify(names) !== JSON.stringify([...SERVICES].sort())) problems.push(`Deployments are [${names.join(', ')}]`);
  for (const d of docs) {
    if (d.kind === 'Secret') problems.push(`Secret ${d.metadata?.name} is in the manifests; only references belong here`);
    if (!CLUSTER_SCOPED.has(d.kind) && d.metadata?.namespace !== NAMESPACE) problems.push(`${d.kind} ${d.metadata?.name}: namespace ${d.metadata?.namespace}`);
  }
  if (!docs.some((d) => d.kind === 'Namespace' && d.metadata?.name === NAMESPACE)) problems.push(`no Namespace ${NAMESPACE}`);
  for (const cm of configMaps.values()) {
    // The dashboards' ConfigMap holds files for Grafana, not the services' environment.
    if (cm.metadata.name === DASHBOARDS_CONFIG_MAP) continue;
    for (const key of Object.keys(cm.data ?? {})) if (!ALLOWED_ENV.has(key)) problems.push(`ConfigMap ${cm.metadata.name}: unknown key ${key}`);
  }
  for (const d of deployments) problems.push(...deploymentProblems(d.doc, configMaps, image));

  // Every Deployment has a budget, and the budget never blocks every eviction.
  const pdbs = docs.filter((d) => d.kind === 'PodDisruptionBudget');
  for (const dep of deployments) {
    const mine = pdbs.filter((p) => selects(p.spec?.selector, dep.labels) && !isEmptySelector(p.spec?.selector));
    if (mine.length !== 1) {
      problems.push(`Deployment ${dep.name}: ${mine.length} PodDisruptionBudgets select it, expected 1`);
      continue;
    }
    const spec = mine[0].spec;
    const replicas = dep.doc.spec.replicas;
    if (spec.maxUnavailable !== undefined && (spec.maxUnavailable === 0 || spec.maxUnavailable === '0%')) {
      problems.push(`PodDisruptionBudget ${mine[0].metadata.name}: maxUnavailable 0 blocks every drain`);
    }
    if (typeof spec.minAvailable === 'number' && (replicas === undefined || spec.minAvailable >= replicas)) {
      problems.push(`PodDisruptionBudget ${mine[0].metadata.name}: minAvailable ${spec.minAvailable} blocks drains at ${replicas ?? 'autoscaled'} replicas`);
    }
  }

  // Ports other than ops are served through a Service; ops is scraped per pod.
  const services = docs.filter((d) => d.kind === 'Service');
  for (const dep of deployments) {
    const ports = podContainers(dep.doc).flatMap((c) => c.ports ?? []).filter((p: Obj) => p.name !== OPS_PORT_NAME);
    const svc = services.find((s) => s.metadata.name === dep.name);
    if (ports.length > 0 && !svc) problems.push(`Deployment ${dep.name} has ports but no Service`);
    if (ports.length === 0 && svc) problems.push(`Service ${svc.metadata.name} fronts a Deployment without ports`);
  }
  for (const svc of services) {
    const target = deployments.find((dep) => Object.keys(svc.spec?.selector ?? {}).length > 0 && selects({ matchLabels: svc.spec.selector }, dep.labels));
    if (!target) {
      problems.push(`Service ${svc.metadata.name}: selector matches no Deployment`);
      continue;
    }
    const ports = podContainers(target.doc).flatMap((c) => c.ports ?? []);
    for (const p of svc.spec.ports ?? []) {
      const found = typeof p.targetPort === 'string'
        ? ports.some((cp: Obj) => cp.name === p.targetPort)
        : ports.some((cp: Obj) => cp.containerPort === (p.targetPort ?? p.port));
      if (!found) problems.push(`Service ${svc.metadata.name}: targetPort ${p.targetPort} is not a container port`);
    }
  }
  return problems;
}

// ---------------------------------------------------- autoscaling rules --

/** The log topics the rules-workers read, with the deployment's prefix, sorted. */
function logTopics(prefix: string): string[] {
  return supportedLogTypes()
    .map((t) => prefix + Topics.logs(t))
    .sort();
}

function autoscalerProblems(docs: Obj[]): string[] {
  const problems: string[] = [];
  const configMaps = configMapsOf(docs);
  const deployments = deploymentsOf(docs);
  const scalers = docs.filter((d) => d.kind === 'ScaledObject' || d.kind === 'HorizontalPodAutoscaler');
  for (const s of scalers) {
    const ref = s.spec?.scaleTargetRef ?? {};
    const where = `${s.kind} ${s.metadata.name}`;
    const dep = deployments.find((d) => d.name === ref.name && (ref.kind ?? 'Deployment') === 'Deployment');
    if (!dep) {
      problems.push(`${where}: scales ${ref.kind ?? 'Deployment'} ${ref.name}, which is not here`);
      continue;
    }
    const others = scalers.filter((o) => o !== s && o.spec?.scaleTargetRef?.name === ref.name);
    if (others.length > 0) problems.push(`Deployment ${ref.name}: ${others.length + 1} autoscalers (${[s, ...others].map((o) => o.kind).join(', ')}); they would fight`);
    if (dep.doc.spec.replicas !== undefined) problems.push(`Deployment ${ref.name}: sets replicas, which resets the autoscaler's count on every apply`);

    const config = containerConfig(dep.container, configMaps);
    if (config instanceof Error) continue; // reported with the Deployment
    const partitions = config.kafka.topicPartitions;
    const [min, max] = s.kind === 'ScaledObject' ? [s.spec.minReplicaCount ?? 0, s.spec.maxReplicaCount ?? 100] : [s.spec.minReplicas ?? 1, s.spec.maxReplicas];
    if (!(max <= partitions)) problems.push(`${where}: max replicas ${max} > ${partitions} partitions (CARACAL_KAFKA_TOPIC_PARTITIONS): the extra replicas sit idle`);
    if (!(min >= 1 && min <= max)) problems.push(`${where}: min replicas ${min} should be between 1 and ${max}`);

    if (s.kind !== 'ScaledObject') continue;
    if (ref.name !== AUTOSCALED) problems.push(`${where}: only ${AUTOSCALED} scales on consumer lag`);
    const fallback = s.spec.fallback;
    if (!fallback || !(fallback.failureThreshold > 0) || !(fallback.replicas >= min && fallback.replicas <= max)) {
      problems.push(`${where}: needs a fallback with replicas between ${min} and ${max}`);
    }
    // The real names: the group the workers join and the topics they read,
    // both carrying the deployment's topic prefix.
    const prefix = config.kafka.topicPrefix;
    const group = prefix + RULES_WORKER_GROUP;
    const wanted = logTopics(prefix);
    const triggers: Obj[] = s.spec.triggers ?? [];
    const topics = triggers.map((t) => t.metadata?.topic).sort();
    if (JSON.stringify(topics) !== JSON.stringify(wanted)) problems.push(`${where}: trigger topics [${topics.join(', ')}], the workers read [${wanted.join(', ')}]`);
    for (const t of triggers) {
      const m = t.metadata ?? {};
      const at = `${where}: trigger ${m.topic}`;
      if (t.type !== 'kafka') problems.push(`${at}: type ${t.type}, expected kafka`);
      if (m.consumerGroup !== group) problems.push(`${at}: consumerGroup ${m.consumerGroup}, the workers' group is ${group}`);
      if (m.bootstrapServers !== config.kafka.brokers.join(',')) problems.push(`${at}: bootstrapServers ${m.bootstrapServers}, the workers use ${config.kafka.brokers.join(',')}`);
      if (!/^[1-9]\d*$/.test(String(m.lagThreshold ?? ''))) problems.push(`${at}: lagThreshold should be a positive integer`);
      if (m.allowIdleConsumers === 'true') problems.push(`${at}: allowIdleConsumers lets it scale past the partitions`);
    }
  }
  return problems;
}

// --------------------------------------------------- network policy rules --

interface Reach {
  namespace?: string;
  cidr?: string;
  port?: number | string;
}

/** What the policies selecting these pod labels allow, one entry per (peer, port). */
function allowed(policies: Obj[], labels: Record<string, string>, direction: 'ingress' | 'egress'): { rules: Reach[]; covered: boolean; problems: string[] } {
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  const field = direction === 'ingress' ? 'from' : 'to';
  const rules: Reach[] = [];
  const problems: string[] = [];
  let covered = false;
  for (const p of policies) {
    if (!selects(p.spec?.podSelector, labels)) continue;
    const types: string[] = p.spec.policyTypes ?? (direction === 'ingress' ? ['Ingress'] : []);
    if (!types.includes(type)) continue;
    covered = true;
    for (const rule of p.spec[direction] ?? []) {
      const peers: Obj[] = rule[field] ?? [];
      const ports: Obj[] = rule.ports ?? [];
      // A missing list means "any": spell that out so the checks see it.
      const peerList: (Reach | undefined)[] = peers.length === 0 ? [{ cidr: '0.0.0.0/0' }] : peers.map((peer) => {
        if (peer.ipBlock) return { cidr: peer.ipBlock.except?.length ? `${peer.ipBlock.cidr} except ${peer.ipBlock.except.join(',')}` : peer.ipBlock.cidr };
        if (peer.namespaceSelector) {
          const ns = peer.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'];
          if (isEmptySelector(peer.namespaceSelector) || !ns) problems.push(`NetworkPolicy ${p.metadata.name}: a peer selects more than one namespace`);
          return { namespace: ns ?? '*' };
        }
        // A podSelector alone means this namespace.
        return { namespace: p.metadata.namespace };
      });
      const portList = ports.length === 0 ? [undefined] : ports.map((pt) => pt.port);
      for (const peer of peerList) for (const port of portList) rules.push({ ...peer, port });
    }
  }
  return { rules, covered, problems };
}

function networkPolicyProblems(docs: Obj[]): string[] {
  const problems: string[] = [];
  const policies = docs.filter((d) => d.kind === 'NetworkPolicy');
  const configMaps = configMapsOf(docs);
  const deployments = deploymentsOf(docs);
  const denyAll = policies.some(
    (p) => isEmptySelector(p.spec?.podSelector) && ['Ingress', 'Egress'].every((t) => p.spec.policyTypes?.includes(t)) && !p.spec.ingress && !p.spec.egress,
  );
  if (!denyAll) problems.push('no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)');

  for (const dep of deployments) {
    const say = (msg: string) => problems.push(`Deployment ${dep.name}: ${msg}`);
    const env = containerEnv(dep.container, configMaps);
    const kafka = (env.CARACAL_KAFKA_BROKERS ?? '').split(',').filter(Boolean).map((b) => hostPort(b, 9092));
    const redis = env.CARACAL_REDIS_URL ? [hostPort(env.CARACAL_REDIS_URL, 6379)] : [];
    const clickhouse = env.CARACAL_CLICKHOUSE_URL ? [hostPort(env.CARACAL_CLICKHOUSE_URL, 8123)] : [];
    const opsPorts = [OPS_PORT_NAME, OPS_PORT];
    const egress = allowed(policies, dep.labels, 'egress');
    const ingress = allowed(policies, dep.labels, 'ingress');
    problems.push(...egress.problems, ...ingress.problems);
    if (!egress.covered || !ingress.covered) say('not covered by a NetworkPolicy in both directions');

    const reaches = (rules: Reach[], target: HostPort) =>
      rules.some((r) => r.port === target.port && (target.namespace ? r.namespace === target.namespace : r.cidr !== undefined));
    const isDns = (r: Reach) => r.port === DNS_PORT && r.namespace === 'kube-system';
    const backends = [...kafka, ...(NEEDS_REDIS.includes(dep.name) ? redis : []), ...(NEEDS_CLICKHOUSE.includes(dep.name) ? clickhouse : [])];
    for (const b of backends) if (!reaches(egress.rules, b)) say(`cannot reach ${b.host}:${b.port}${b.namespace ? ` (namespace ${b.namespace})` : ''}`);
    if (!egress.rules.some(isDns)) say('cannot reach DNS in kube-system');
    if (!ingress.rules.some((r) => opsPorts.includes(r.port as never) && r.namespace && r.namespace !== '*')) say('Prometheus cannot scrape the ops port from a monitoring namespace');
    if (INBOUND[dep.name] && !ingress.rules.some((r) => r.port === INBOUND[dep.name])) say(`no ingress on ${INBOUND[dep.name]}`);
    if (dep.name === 'alert-stage' && !egress.rules.some((r) => r.port === 443 && r.cidr?.startsWith('0.0.0.0/0'))) say('cannot reach destinations over HTTPS');
    if (!NEEDS_REDIS.includes(dep.name)) for (const r of redis) if (r.namespace && reaches(egress.rules, r)) say(`reaches Redis, which it never uses`);
    if (!NEEDS_CLICKHOUSE.includes(dep.name)) {
      const ch = hostPort(configMapsOf(docs).get('caracal-endpoints')?.data?.CARACAL_CLICKHOUSE_URL ?? 'http://none:8123', 8123);
      if (ch.namespace && reaches(egress.rules, ch)) say('reaches ClickHouse, which it never uses');
    }

    if (dep.name === 'rules-worker') {
      // Customer Python: exactly the broker, the cache and DNS, nothing wider.
      const fine = [...kafka, ...redis];
      for (const r of egress.rules) {
        const ok = isDns(r) || fine.some((b) => r.port === b.port && b.namespace !== undefined && r.namespace === b.namespace);
        if (!ok) say(`egress to ${r.namespace ? `namespace ${r.namespace}` : r.cidr} port ${r.port ?? 'any'} is more than Kafka, Redis and DNS`);
      }
      for (const r of ingress.rules) {
        if (!opsPorts.includes(r.port as never) || !r.namespace || r.namespace === '*') say(`ingress from ${r.namespace ?? r.cidr} port ${r.port ?? 'any'}: only the ops scrape may reach it`);
      }
    }
  }
  return problems;
}

// ------------------------------------------------ detection sandbox rules --

/**
 * rules-worker and query run customers' Python in child processes that have
 * Node's permission model but no bubblewrap (pods may not create user
 * namespaces), so the pod is their OS boundary: every pod must pass the
 * restricted Pod Security Standard, the namespace must enforce it, and the
 * detection services must ask for the `process` sandbox.
 */
function podSecurityProblems(docs: Obj[]): string[] {
  const problems: string[] = [];
  const configMaps = configMapsOf(docs);
  const ns = docs.find((d) => d.kind === 'Namespace' && d.metadata?.name === NAMESPACE);
  const labels = ns?.metadata?.labels ?? {};
  if (ns && labels['pod-security.kubernetes.io/enforce'] !== POD_SECURITY_LEVEL) {
    problems.push(`Namespace ${NAMESPACE}: pod-security.kubernetes.io/enforce should be ${POD_SECURITY_LEVEL}, is ${labels['pod-security.kubernetes.io/enforce'] ?? 'unset'}`);
  }
  for (const dep of deploymentsOf(docs)) {
    const template = dep.doc.spec?.template ?? {};
    for (const p of restrictedPodProblems(template.spec, template.metadata?.annotations)) problems.push(`Deployment ${dep.name}: not ${POD_SECURITY_LEVEL}: ${p}`);
    for (const c of podContainers(dep.doc)) {
      const say = (msg: string) => problems.push(`Deployment ${dep.name}: container ${c.name}: ${msg}`);
      const sandbox = envValue(c, configMaps, DETECTION_SANDBOX_ENV);
      if (DETECTION_SERVICES.includes(dep.name)) {
        if (sandbox !== CONTAINER_DETECTION_SANDBOX) say(`${DETECTION_SANDBOX_ENV} should be ${CONTAINER_DETECTION_SANDBOX}, is ${sandbox ?? 'unset (bwrap, which a pod cannot start)'}`);
      } else if (envNamesOf(c, configMaps).includes(DETECTION_SANDBOX_ENV)) {
        say(`runs no detections, so ${DETECTION_SANDBOX_ENV} does not belong here`);
      }
    }
  }
  return problems;
}

/** components/gvisor: a runtimeClassName names a RuntimeClass of the build; with gVisor in, both detection services use it. */
function runtimeClassProblems(docs: Obj[]): string[] {
  const problems: string[] = [];
  const classes = new Map(docs.filter((d) => d.kind === 'RuntimeClass').map((d) => [d.metadata?.name, d]));
  for (const [name, rc] of classes) {
    if (name === GVISOR_RUNTIME_CLASS && rc.handler !== GVISOR_HANDLER) problems.push(`RuntimeClass ${name}: handler ${rc.handler}, expected ${GVISOR_HANDLER}`);
    if (rc.metadata?.namespace !== undefined) problems.push(`RuntimeClass ${name}: is cluster-scoped, but has namespace ${rc.metadata.namespace}`);
  }
  for (const dep of deploymentsOf(docs)) {
    const runtimeClass = dep.doc.spec?.template?.spec?.runtimeClassName;
    if (runtimeClass !== undefined && !classes.has(runtimeClass)) problems.push(`Deployment ${dep.name}: runtimeClassName ${runtimeClass} names no RuntimeClass in the build`);
    if (classes.has(GVISOR_RUNTIME_CLASS) && DETECTION_SERVICES.includes(dep.name) && runtimeClass !== GVISOR_RUNTIME_CLASS) {
      problems.push(`Deployment ${dep.name}: runs detections, so with the gvisor component it should have runtimeClassName ${GVISOR_RUNTIME_CLASS}, has ${runtimeClass ?? 'none'}`);
    }
  }
  return problems;
}

// -------------------------------------------------- production-only rules --

function productionProblems(docs: Obj[]): string[] {
  const problems: string[] = [];
  const deployments = deploymentsOf(docs);
  const scaled = new Set(docs.filter((d) => d.kind === 'ScaledObject' || d.kind === 'HorizontalPodAutoscaler').map((d) => d.spec.scaleTargetRef?.name));
  for (const dep of deployments) {
    if (HA_SERVICES.includes(dep.name) && !(dep.doc.spec.replicas >= 2)) problems.push(`Deployment ${dep.name}: ${dep.doc.spec.replicas ?? 1} replica(s); production runs at least 2`);
    const spread: Obj[] = dep.doc.spec.template.spec.topologySpreadConstraints ?? [];
    const anti = dep.doc.spec.template.spec.affinity?.podAntiAffinity;
    const byNode = spread.some((c) => c.topologyKey === 'kubernetes.io/hostname' && (selects(c.labelSelector, dep.labels) || false) && (c.matchLabelKeys ?? []).includes('app.kubernetes.io/name'));
    if (!byNode && !anti) problems.push(`Deployment ${dep.name}: replicas are not spread over nodes`);
  }
  if (!scaled.has(AUTOSCALED)) problems.push(`Deployment ${AUTOSCALED}: no autoscaler`);
  const scaler = docs.find((d) => (d.kind === 'ScaledObject' || d.kind === 'HorizontalPodAutoscaler') && d.spec.scaleTargetRef?.name === AUTOSCALED);
  const min = scaler?.kind === 'ScaledObject' ? scaler.spec.minReplicaCount : scaler?.spec.minReplicas;
  if (scaler && !(min >= 2)) problems.push(`${scaler.kind} ${scaler.metadata.name}: minimum ${min}; production runs at least 2`);
  if (!docs.some((d) => d.kind === 'NetworkPolicy')) problems.push('no NetworkPolicies');
  return problems;
}

function imageOf(docs: Obj[]): string {
  return splitImage(deploymentsOf(docs)[0]?.container.image ?? '')[0];
}

function allProblems(docs: Obj[], image: string): string[] {
  return [
    ...workloadProblems(docs, image),
    ...podSecurityProblems(docs),
    ...runtimeClassProblems(docs),
    ...autoscalerProblems(docs),
    ...(docs.some((d) => d.kind === 'NetworkPolicy') ? networkPolicyProblems(docs) : []),
  ];
}

function expectProblems(problems: string[], expected: string[]): void {
  for (const e of expected) assert.ok(problems.some((p) => p.includes(e)), `missing "${e}" in:\n${problems.join('\n')}`);
}

// ------------------------------------------------------------------ tests --

test('scripts/kustomize.sh renders base, dev, prod and prod-hpa', () => {
  const via = execFileSync('bash', [path.join(ROOT, 'scripts', 'kustomize.sh'), 'which'], { encoding: 'utf8' }).trim();
  for (const dir of OVERLAYS) {
    const kinds = rendered(dir).map((d) => d.kind);
    assert.ok(kinds.filter((k) => k === 'Deployment').length === SERVICES.length, `${dir} (via ${via}): ${kinds.join(', ')}`);
  }
});

test('every rendered document is valid for its apiVersion and kind', () => {
  for (const dir of OVERLAYS) assert.deepEqual(schemaProblems(rendered(dir)), [], dir);
  // The components really are in the overlays they are documented for.
  const prodKinds = new Set(rendered('deploy/overlays/prod').map((d) => d.kind));
  for (const kind of ['ScaledObject', 'NetworkPolicy', 'PodDisruptionBudget']) assert.ok(prodKinds.has(kind), `prod renders no ${kind}`);
  const hpaKinds = new Set(rendered('deploy/overlays/prod-hpa').map((d) => d.kind));
  assert.ok(hpaKinds.has('HorizontalPodAutoscaler') && !hpaKinds.has('ScaledObject'), 'prod-hpa should swap the ScaledObject for an HPA');
});

test('the schema check rejects misspelt fields and wrong types, KEDA included', () => {
  const docs = rendered('deploy/overlays/prod');
  const ingest = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'ingest')!;
  const misspelt = clone(ingest);
  const container = misspelt.spec.template.spec.containers[0];
  container.readinesProbe = container.readinessProbe;
  delete container.readinessProbe;
  assert.deepEqual(k8sProblems(misspelt), ['unknown field /spec/template/spec/containers/0/readinesProbe']);
  const wrongType = clone(ingest);
  wrongType.spec.template.spec.containers[0].ports[0].containerPort = '8080';
  assert.match(k8sProblems(wrongType).join('\n'), /containerPort must be integer/);
  assert.match(k8sProblems({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } })[0], /no schema/);

  const scaled = docs.find((d) => d.kind === 'ScaledObject')!;
  const badScaler = clone(scaled);
  badScaler.spec.maxReplicaCount = '12';
  badScaler.spec.minReplicas = 2;
  const problems = k8sProblems(badScaler);
  assert.ok(problems.some((p) => /maxReplicaCount must be integer/.test(p)), problems.join('\n'));
  assert.ok(problems.includes('unknown field /spec/minReplicas'), problems.join('\n'));
});

test('base, dev, prod and prod-hpa follow the rules Caracal depends on', () => {
  for (const dir of OVERLAYS) {
    const docs = rendered(dir);
    assert.deepEqual(allProblems(docs, imageOf(docs)), [], dir);
  }
  assert.equal(rendered('deploy/overlays/prod').find((d) => d.kind === 'Deployment')!.spec.template.spec.containers[0].image.split(':')[0], 'registry.example.com/caracal');
});

test('prod runs every stateless service twice, spread, autoscaled and fenced', () => {
  for (const dir of PRODUCTION) assert.deepEqual(productionProblems(rendered(dir)), [], dir);
  const dev = rendered('deploy/overlays/dev');
  for (const dep of deploymentsOf(dev)) assert.equal(dep.doc.spec.replicas, 1, `dev ${dep.name}`);
  expectProblems(productionProblems(dev), [
    'Deployment ingest: 1 replica(s); production runs at least 2',
    'Deployment query: replicas are not spread over nodes',
    'Deployment rules-worker: no autoscaler',
    'no NetworkPolicies',
  ]);
});

test('the workload rules catch a weakened rules-worker', () => {
  const docs = rendered('deploy/overlays/prod');
  const worker = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'rules-worker')!;
  const pod = worker.spec.template.spec;
  const c = pod.containers[0];
  delete c.resources.limits;
  c.securityContext.readOnlyRootFilesystem = false;
  delete pod.securityContext.seccompProfile;
  c.env.push({ name: 'CARACAL_CLICKHOUSE_PASSWORD', valueFrom: { secretKeyRef: { name: 'caracal-clickhouse', key: 'password' } } });
  c.env.push({ name: 'CARACAL_KAFKA_BROKER', value: 'kafka:9092' });
  pod.volumes.push({ name: 'control', secret: { secretName: 'caracal-control' } });
  c.volumeMounts.push({ name: 'control', mountPath: '/etc/caracal', readOnly: true });
  expectProblems(workloadProblems(docs, 'registry.example.com/caracal'), [
    'Deployment rules-worker: container rules-worker: no resources.limits.cpu',
    'readOnlyRootFilesystem not set',
    'Deployment rules-worker: seccompProfile should be RuntimeDefault',
    'must not get CARACAL_CLICKHOUSE_PASSWORD',
    'CARACAL_CLICKHOUSE_PASSWORD must not come from a Secret',
    'unknown environment variable CARACAL_KAFKA_BROKER',
    'Deployment rules-worker: container rules-worker: must not mount Secrets',
    'Deployment rules-worker: container rules-worker: must not get the control file',
  ]);
});

test('the workload rules catch probes off the ops endpoint, a short grace period and missing budgets', () => {
  const docs = rendered('deploy/base');
  const get = (name: string) => docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name)!;
  const worker = get('rules-worker').spec.template.spec;
  worker.containers[0].startupProbe.failureThreshold = 6;
  worker.containers[0].readinessProbe.httpGet.path = '/healthz';
  const ingest = get('ingest').spec.template;
  ingest.spec.containers[0].livenessProbe.httpGet.port = 'http';
  ingest.spec.terminationGracePeriodSeconds = 30; // the preStop pause eats into it
  delete ingest.metadata.annotations['prometheus.io/scrape'];
  const query = get('query').spec.template.spec.containers[0];
  query.ports = query.ports.filter((p: Obj) => p.name !== OPS_PORT_NAME);
  get('alert-stage').spec.template.spec.terminationGracePeriodSeconds = 20;
  const withoutPdb = docs.filter((d) => !(d.kind === 'PodDisruptionBudget' && d.metadata.name === 'clickhouse-writer'));
  const ingestPdbBlocks = clone(docs);
  ingestPdbBlocks.find((d) => d.kind === 'PodDisruptionBudget' && d.metadata.name === 'ingest')!.spec = {
    minAvailable: 2,
    selector: { matchLabels: podLabels(get('ingest')) },
  };
  expectProblems(workloadProblems(withoutPdb, IMAGE), [
    `Deployment rules-worker: container rules-worker: startupProbe allows 30s, loading Pyodide needs ${RULES_WORKER_START_SECONDS}s`,
    'Deployment rules-worker: container rules-worker: readinessProbe should GET /readyz on the ops port',
    'Deployment ingest: container ingest: livenessProbe should GET /livez on the ops port',
    'Deployment ingest: container ingest: terminationGracePeriodSeconds 30 < preStop 5s + shutdown timeout 25s',
    'Deployment ingest: container ingest: pod annotations should have Prometheus scrape /metrics',
    `Deployment query: container query: port ops should be containerPort ${OPS_PORT}`,
    'Deployment alert-stage: container alert-stage: terminationGracePeriodSeconds 20',
    'Deployment clickhouse-writer: 0 PodDisruptionBudgets select it, expected 1',
  ]);
  expectProblems(workloadProblems(ingestPdbBlocks, IMAGE), ['PodDisruptionBudget ingest: minAvailable 2 blocks drains at 2 replicas']);
  const badPort = rendered('deploy/base');
  badPort.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'caracal-config')!.data.CARACAL_OPS_PORT = 'nine';
  expectProblems(workloadProblems(badPort, IMAGE), ['Deployment ingest: container ingest: the config loader refuses its environment']);
});

test('the autoscaling rules catch both autoscalers, a scaler off the real group or topics, and too many replicas', () => {
  // A real build with both components: the mistake the README warns about.
  const both = renderedOverlay({ resources: ['overlays/prod'], components: ['components/autoscaling-hpa'] });
  expectProblems(autoscalerProblems(both), ['Deployment rules-worker: 2 autoscalers']);

  // An overlay that moves the brokers but lacks the replacement prod carries.
  const stale = renderedOverlay({
    resources: ['base'],
    components: ['components/autoscaling'],
    patches: [{ target: { kind: 'ConfigMap', name: 'caracal-endpoints' }, patch: '- op: replace\n  path: /data/CARACAL_KAFKA_BROKERS\n  value: elsewhere:9092' }],
  });
  expectProblems(autoscalerProblems(stale), ['bootstrapServers kafka-bootstrap.kafka.svc.cluster.local:9092, the workers use elsewhere:9092']);

  const docs = rendered('deploy/overlays/prod');
  const so = docs.find((d) => d.kind === 'ScaledObject')!;
  so.spec.maxReplicaCount = 13;
  so.spec.triggers[0].metadata.consumerGroup = 'rules-worker';
  so.spec.triggers.pop();
  delete so.spec.fallback;
  docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'rules-worker')!.spec.replicas = 2;
  const prefixed = clone(rendered('deploy/overlays/prod'));
  prefixed.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'caracal-config')!.data.CARACAL_KAFKA_TOPIC_PREFIX = 'acme.';
  expectProblems(autoscalerProblems(docs), [
    'ScaledObject rules-worker: max replicas 13 > 12 partitions',
    'consumerGroup rules-worker, the workers\' group is caracal-rules-worker',
    `ScaledObject rules-worker: trigger topics [${logTopics('').slice(0, -1).join(', ')}], the workers read [${logTopics('').join(', ')}]`,
    'ScaledObject rules-worker: needs a fallback',
    "Deployment rules-worker: sets replicas, which resets the autoscaler's count",
  ]);
  expectProblems(autoscalerProblems(prefixed), [`the workers read [${logTopics('acme.').join(', ')}]`, "the workers' group is acme.caracal-rules-worker"]);
  const hpa = rendered('deploy/overlays/prod-hpa');
  hpa.find((d) => d.kind === 'HorizontalPodAutoscaler')!.spec.maxReplicas = 13;
  expectProblems(autoscalerProblems(hpa), ['HorizontalPodAutoscaler rules-worker: max replicas 13 > 12 partitions']);
});

test('the network policy rules catch a rules-worker let out, a missing default deny and backends out of step', () => {
  const docs = rendered('deploy/overlays/prod');
  const workerLabels = podLabels(docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'rules-worker')!);
  docs.push(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'pip-install', namespace: NAMESPACE },
      spec: { podSelector: { matchLabels: workerLabels }, policyTypes: ['Egress', 'Ingress'], egress: [{ ports: [{ port: 443, protocol: 'TCP' }] }], ingress: [{ ports: [{ port: 8080 }] }] },
    },
  );
  expectProblems(networkPolicyProblems(docs), [
    'Deployment rules-worker: egress to 0.0.0.0/0 port 443 is more than Kafka, Redis and DNS',
    'Deployment rules-worker: ingress from 0.0.0.0/0 port 8080: only the ops scrape may reach it',
  ]);

  const open = rendered('deploy/overlays/prod').filter((d) => !(d.kind === 'NetworkPolicy' && d.metadata.name === 'caracal-default-deny'));
  expectProblems(networkPolicyProblems(open), ['no default-deny NetworkPolicy']);

  // Endpoints moved to another namespace, policies not: the services would hang on connect.
  const moved = rendered('deploy/overlays/prod');
  moved.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'caracal-endpoints')!.data.CARACAL_REDIS_URL = 'redis://redis.cache.svc.cluster.local:6379';
  const kafkaPolicy = moved.find((d) => d.kind === 'NetworkPolicy' && d.metadata.name === 'caracal-egress-kafka')!;
  kafkaPolicy.spec.egress[0].to[0].namespaceSelector = {};
  const chPolicy = moved.find((d) => d.kind === 'NetworkPolicy' && d.metadata.name === 'caracal-egress-clickhouse')!;
  chPolicy.spec.podSelector.matchExpressions[0].values.push('alert-stage');
  expectProblems(networkPolicyProblems(moved), [
    'Deployment rules-worker: cannot reach redis.cache.svc.cluster.local:6379 (namespace cache)',
    'NetworkPolicy caracal-egress-kafka: a peer selects more than one namespace',
    'Deployment ingest: cannot reach caracal-kafka-bootstrap.kafka.svc.cluster.local:9092',
    'Deployment alert-stage: reaches ClickHouse, which it never uses',
  ]);
});

test('the deployment rules read the real config loader, consumer group and log topics', () => {
  // If these moved, the rules above would check against stale names.
  assert.equal(RULES_WORKER_GROUP, 'caracal-rules-worker');
  const topics = supportedLogTypes().map((t) => Topics.logs(t));
  for (const topic of ['logs.github_audit', 'logs.panther_audit', 'logs.aws_cloudtrail', 'logs.okta_systemlog']) assert.ok(topics.includes(topic), topic);
  const config = loadConfig({ CARACAL_MODE: 'kafka', CARACAL_KAFKA_BROKERS: 'k:9092', CARACAL_REDIS_URL: 'redis://r:6379' }, '/');
  assert.equal(config.ops.port, OPS_PORT);
  assert.equal(config.ops.shutdownTimeoutMs, 25000);
});

test('every pod passes the restricted Pod Security Standard the namespace enforces; the detection services ask for the process sandbox', () => {
  for (const dir of OVERLAYS) assert.deepEqual(podSecurityProblems(rendered(dir)), [], dir);
  for (const dir of OVERLAYS) {
    const docs = rendered(dir);
    for (const name of DETECTION_SERVICES) {
      const dep = deploymentsOf(docs).find((d) => d.name === name)!;
      assert.equal(dep.doc.spec.template.spec.runtimeClassName, undefined, `${dir}: ${name} should need no RuntimeClass without the gvisor component`);
    }
  }
});

test('the pod security rules catch a detection pod off the restricted profile, an unenforced namespace and a wrong sandbox', () => {
  const docs = rendered('deploy/overlays/prod');
  const get = (name: string) => docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name)!;
  const worker = get('rules-worker').spec.template.spec;
  worker.hostPID = true;
  worker.securityContext.runAsUser = 0;
  worker.securityContext.sysctls = [{ name: 'kernel.unprivileged_userns_clone', value: '1' }];
  const wc = worker.containers[0];
  wc.securityContext.capabilities.add = ['SYS_ADMIN'];
  wc.securityContext.seccompProfile = { type: 'Unconfined' };
  worker.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } });
  const query = get('query').spec.template.spec;
  const qc = query.containers[0];
  qc.securityContext.allowPrivilegeEscalation = true;
  qc.securityContext.runAsNonRoot = false;
  qc.env = qc.env.filter((e: Obj) => e.name !== DETECTION_SANDBOX_ENV);
  get('ingest').spec.template.spec.containers[0].env.push({ name: DETECTION_SANDBOX_ENV, value: 'process' });
  const ns = docs.find((d) => d.kind === 'Namespace')!;
  ns.metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline';
  expectProblems(podSecurityProblems(docs), [
    'Namespace caracal: pod-security.kubernetes.io/enforce should be restricted, is baseline',
    'Deployment rules-worker: not restricted: hostPID is set',
    'Deployment rules-worker: not restricted: pod runAsUser is 0',
    'Deployment rules-worker: not restricted: sysctl kernel.unprivileged_userns_clone is not in the safe set',
    'Deployment rules-worker: not restricted: container rules-worker: adds capability SYS_ADMIN',
    'Deployment rules-worker: not restricted: container rules-worker: seccompProfile is Unconfined',
    'Deployment rules-worker: not restricted: volume docker: type hostPath is not allowed',
    'Deployment query: not restricted: container query: allowPrivilegeEscalation is not false',
    'Deployment query: not restricted: container query: runAsNonRoot is not true',
    'Deployment query: container query: CARACAL_DETECTION_SANDBOX should be process, is unset',
    'Deployment ingest: container ingest: runs no detections, so CARACAL_DETECTION_SANDBOX does not belong here',
  ]);
  const bwrap = rendered('deploy/base');
  bwrap.find((d) => d.kind === 'Deployment' && d.metadata.name === 'rules-worker')!.spec.template.spec.containers[0].env.find((e: Obj) => e.name === DETECTION_SANDBOX_ENV).value = 'bwrap';
  const noUser = rendered('deploy/base');
  delete noUser.find((d) => d.kind === 'Deployment' && d.metadata.name === 'query')!.spec.template.spec.securityContext.runAsUser;
  expectProblems(podSecurityProblems(bwrap), ['Deployment rules-worker: container rules-worker: CARACAL_DETECTION_SANDBOX should be process, is bwrap']);
  expectProblems(podSecurityProblems(noUser), ['Deployment query: not restricted: container query: runAsUser is not set']);
});

test('components/gvisor runs rules-worker and query, and only them, under a runsc RuntimeClass', () => {
  for (const base of ['base', 'overlays/prod', 'overlays/dev']) {
    const docs = renderedOverlay({ resources: [base], components: ['components/gvisor'] });
    assert.deepEqual(schemaProblems(docs), [], base);
    assert.deepEqual(allProblems(docs, imageOf(docs)), [], base);
    const rc = docs.filter((d) => d.kind === 'RuntimeClass');
    assert.deepEqual(rc.map((d) => [d.metadata.name, d.handler]), [[GVISOR_RUNTIME_CLASS, GVISOR_HANDLER]], base);
    const classes = Object.fromEntries(deploymentsOf(docs).map((d) => [d.name, d.doc.spec.template.spec.runtimeClassName]));
    assert.deepEqual(classes, { ingest: undefined, 'rules-worker': GVISOR_RUNTIME_CLASS, 'alert-stage': undefined, 'clickhouse-writer': undefined, query: GVISOR_RUNTIME_CLASS }, base);
  }
});

test('the RuntimeClass rules catch a detection pod left off gVisor, a wrong handler and a class that is not there', () => {
  const docs = renderedOverlay({ resources: ['overlays/prod'], components: ['components/gvisor'] });
  const get = (name: string) => docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name)!;
  delete get('query').spec.template.spec.runtimeClassName;
  get('ingest').spec.template.spec.runtimeClassName = 'kata';
  const rc = docs.find((d) => d.kind === 'RuntimeClass')!;
  rc.handler = 'runc';
  rc.metadata.namespace = NAMESPACE;
  expectProblems(runtimeClassProblems(docs), [
    'Deployment query: runs detections, so with the gvisor component it should have runtimeClassName gvisor, has none',
    'Deployment ingest: runtimeClassName kata names no RuntimeClass in the build',
    'RuntimeClass gvisor: handler runc, expected runsc',
    'RuntimeClass gvisor: is cluster-scoped, but has namespace caracal',
  ]);
  // The component's class dropped (as on GKE Sandbox, which has its own) but the pods still name it.
  const without = renderedOverlay({ resources: ['overlays/prod'], components: ['components/gvisor'] }).filter((d) => d.kind !== 'RuntimeClass');
  expectProblems(runtimeClassProblems(without), ['Deployment rules-worker: runtimeClassName gvisor names no RuntimeClass in the build']);
});

test('base and every overlay carry the Grafana dashboards as one ConfigMap, byte for byte, with the sidecar label', () => {
  const dir = path.join(ROOT, 'deploy', 'grafana', 'dashboards');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  assert.deepEqual(files, ['caracal-lake.json', 'caracal-pipeline.json']);
  for (const overlay of OVERLAYS) {
    const maps = rendered(overlay).filter((d) => d.kind === 'ConfigMap' && d.metadata.name === DASHBOARDS_CONFIG_MAP);
    assert.equal(maps.length, 1, `${overlay}: ${maps.length} dashboard ConfigMaps`);
    const [cm] = maps;
    assert.equal(cm.metadata.namespace, NAMESPACE);
    assert.equal(cm.metadata.labels?.[DASHBOARD_SIDECAR_LABEL], '1', `${overlay}: no ${DASHBOARD_SIDECAR_LABEL} label`);
    assert.deepEqual(Object.keys(cm.data ?? {}).sort(), files, overlay);
    for (const f of files) assert.equal(cm.data[f], fs.readFileSync(path.join(dir, f), 'utf8'), `${overlay}: ${f} differs from deploy/grafana/dashboards`);
    // A ConfigMap is refused by the API server above 1 MiB.
    assert.ok(JSON.stringify(cm.data).length < 1024 * 1024, `${overlay}: the dashboards ConfigMap is too large`);
  }
});
