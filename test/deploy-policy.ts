// What Caracal's deployments (docker-compose.yml and deploy/) must agree on,
// shared by deploy-manifests.test.ts (Compose, Dockerfile) and
// deploy-kustomize.test.ts (the rendered Kubernetes manifests).
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Obj = Record<string, any>;

export const SERVICES = ['ingest', 'rules-worker', 'alert-stage', 'clickhouse-writer', 'query'];
export const IMAGE = 'caracal';
export const NAMESPACE = 'caracal';
// The variables the services read in containers; anything else in a manifest
// is a typo or a setting the services would silently ignore.
export const ALLOWED_ENV = new Set([
  'CARACAL_MODE',
  'CARACAL_KAFKA_BROKERS',
  'CARACAL_KAFKA_TOPIC_PREFIX',
  'CARACAL_KAFKA_TOPIC_PARTITIONS',
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
  'CARACAL_OPS_PORT',
  'CARACAL_SHUTDOWN_TIMEOUT_MS',
  'CARACAL_LOG_LEVEL',
  'CARACAL_OTEL_TRACES_URL',
  'CARACAL_OTEL_SAMPLE_RATIO',
  'CARACAL_ALERT_DELIVERY_TIMEOUT_MS',
  'CARACAL_ALERT_DELIVERY_MAX_ATTEMPTS',
  'CARACAL_ALERT_DELIVERY_BACKOFF_MS',
  'CARACAL_ALERT_ALLOW_PRIVATE_DESTINATIONS',
  'CARACAL_DETECTION_SANDBOX',
  'CARACAL_DETECTION_MAX_PROCESSES',
]);
// Customer Python runs in the rules workers, so they must see none of these.
export const SECRET_ENV = ['CARACAL_CLICKHOUSE_PASSWORD', 'CARACAL_CLICKHOUSE_USER', 'CARACAL_CONTROL_FILE'];
// The services that run customers' detections: rules-worker on the stream,
// query for TestDetection and the Tests a PutDetection runs.
export const DETECTION_SERVICES = ['rules-worker', 'query'];
// In containers the detection processes get Node's permission model but no
// bubblewrap (no user namespaces there): the pod or container is the boundary.
export const DETECTION_SANDBOX_ENV = 'CARACAL_DETECTION_SANDBOX';
export const CONTAINER_DETECTION_SANDBOX = 'process';
// The services that read tenants, sources, tokens or destinations, and only they.
export const CONTROL_FILE_SERVICES = ['ingest', 'query', 'alert-stage'];
export const CONTROL_FILE = '/etc/caracal/control.json';
// alert-stage never reads the lake.
export const CLICKHOUSE_ENV = ['CARACAL_CLICKHOUSE_URL', 'CARACAL_CLICKHOUSE_USER', 'CARACAL_CLICKHOUSE_PASSWORD'];
// Referenced by the manifests, created by the operator (deploy/README.md).
export const EXTERNAL_SECRETS: Record<string, string[]> = {
  'caracal-clickhouse': ['username', 'password'],
  'caracal-control': ['control.json'],
};
export const WRITABLE_DIRS = ['/var/lib/caracal', '/tmp'];
// The ops port every process serves livez/readyz/metrics on, and its name in pods.
export const OPS_PORT = 9464;
export const OPS_PORT_NAME = 'ops';
// Pyodide plus every tenant's content: how long rules-worker may take to start.
export const RULES_WORKER_START_SECONDS = 120;
// Time between the shutdown timeout running out and SIGKILL, for the last
// commit and the process exit.
export const SHUTDOWN_HEADROOM_SECONDS = 3;

// The compiled file may land in test/dist or in an outDir outside the
// repository, so search upward from its own folder and from the cwd.
export function findRepoRoot(): string {
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

export const ROOT = findRepoRoot();

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export function readText(rel: string): string {
  return fs.readFileSync(path.join(ROOT, rel), 'utf8');
}

// ------------------------------------------- Pod Security Standards --
// The "restricted" profile (which includes "baseline") of the Pod Security
// Standards, version latest, as the namespace's pod-security.kubernetes.io/
// enforce label makes the API server apply it: a pod that breaks one of these
// is refused at admission, so a Deployment would sit with no pods.
// https://kubernetes.io/docs/concepts/security/pod-security-standards/

export const POD_SECURITY_LEVEL = 'restricted';
const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/**
 * What keeps a pod template from passing the restricted profile. Stricter in
 * one place: runAsUser must be set (non-zero) rather than left to the image,
 * so the pod's uid never depends on how the image was built.
 */
export function restrictedPodProblems(podSpec: Obj, podAnnotations: Record<string, string> = {}): string[] {
  const problems: string[] = [];
  const pod = podSpec ?? {};
  const psc = pod.securityContext ?? {};
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[field]) problems.push(`${field} is set`);
  if (psc.runAsUser === 0) problems.push('pod runAsUser is 0');
  if (psc.seccompProfile?.type !== undefined && !['RuntimeDefault', 'Localhost'].includes(psc.seccompProfile.type)) problems.push(`pod seccompProfile ${psc.seccompProfile.type}`);
  if (psc.appArmorProfile?.type === 'Unconfined') problems.push('pod appArmorProfile Unconfined');
  if (psc.seLinuxOptions && seLinuxProblem(psc.seLinuxOptions)) problems.push(`pod ${seLinuxProblem(psc.seLinuxOptions)}`);
  for (const sysctl of psc.sysctls ?? []) if (!SAFE_SYSCTLS.has(sysctl.name)) problems.push(`sysctl ${sysctl.name} is not in the safe set`);
  for (const v of pod.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (!type || !RESTRICTED_VOLUME_TYPES.includes(type)) problems.push(`volume ${v.name}: type ${type} is not allowed`);
  }
  for (const [key, value] of Object.entries(podAnnotations)) {
    if (key.startsWith('container.apparmor.security.beta.kubernetes.io/') && value === 'unconfined') problems.push(`annotation ${key}: unconfined`);
  }
  const containers: Obj[] = [...(pod.initContainers ?? []), ...(pod.containers ?? []), ...(pod.ephemeralContainers ?? [])];
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const say = (msg: string) => problems.push(`container ${c.name}: ${msg}`);
    if (sc.privileged) say('privileged');
    if (sc.allowPrivilegeEscalation !== false) say('allowPrivilegeEscalation is not false');
    const runAsNonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
    if (runAsNonRoot !== true) say('runAsNonRoot is not true');
    const runAsUser = sc.runAsUser ?? psc.runAsUser;
    if (runAsUser === undefined) say('runAsUser is not set');
    else if (runAsUser === 0) say('runAsUser is 0');
    const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
    if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) say(`seccompProfile is ${seccomp ?? 'not set'}, should be RuntimeDefault or Localhost`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) say('capabilities do not drop ALL');
    for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') say(`adds capability ${cap}`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') say(`procMount ${sc.procMount}`);
    if (sc.appArmorProfile?.type === 'Unconfined') say('appArmorProfile Unconfined');
    if (sc.seLinuxOptions && seLinuxProblem(sc.seLinuxOptions)) say(seLinuxProblem(sc.seLinuxOptions)!);
    if (sc.windowsOptions?.hostProcess) say('hostProcess');
    for (const p of c.ports ?? []) if (p.hostPort) say(`hostPort ${p.hostPort}`);
  }
  return problems;
}

function seLinuxProblem(options: Obj): string | undefined {
  if (options.type !== undefined && options.type !== '' && !SELINUX_TYPES.has(options.type)) return `seLinuxOptions.type ${options.type}`;
  if (options.user || options.role) return 'seLinuxOptions sets a user or role';
  return undefined;
}
