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
]);
// Customer Python runs in the rules workers, so they must see none of these.
export const SECRET_ENV = ['CARACAL_CLICKHOUSE_PASSWORD', 'CARACAL_CLICKHOUSE_USER', 'CARACAL_CONTROL_FILE'];
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
