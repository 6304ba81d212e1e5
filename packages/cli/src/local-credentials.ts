import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaracalConfig, CaracalError } from '@caracal/core';
import { ControlStore, SourceAuthMode } from '@caracal/core/control-plane';

/** What `caracal start` leaves in the data dir so the other commands on this machine need no flags. */
export interface LocalCredentials {
  tenantId: string;
  sourceId: string;
  /** The demo source's auth header; named before sources had auth modes, and kept so that older files still read. */
  secretHeader: string;
  /** Absent in files written before sources had auth modes: their source is shared-secret. */
  authMode?: SourceAuthMode;
  sourceSecret: string;
  token: string;
  ingestUrl: string;
  grpcEndpoint: string;
}

export const DEMO_TENANT = 'demo';
export const DEMO_SOURCE = 'panther-audit';

export function credentialsFile(config: CaracalConfig): string {
  return path.join(config.dataDir, 'credentials.json');
}

export function readLocalCredentials(config: CaracalConfig): LocalCredentials | undefined {
  const file = credentialsFile(config);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as LocalCredentials;
}

function writeLocalCredentials(config: CaracalConfig, creds: LocalCredentials): void {
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(credentialsFile(config), JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
}

/**
 * On first start: a demo tenant, its Panther.Audit HTTP source and an admin
 * token. The control file keeps only hashes; the plain values go to a 0600
 * file beside it, for the CLI of the same user. Runs before the services
 * start, so the source exists by the time ingest accepts its first request.
 */
export function ensureDemoCredentials(config: CaracalConfig): { creds: LocalCredentials; created: boolean } {
  const existing = readLocalCredentials(config);
  if (existing) return { creds: existing, created: false };
  const control = ControlStore.open(config.controlFile);
  if (control.snapshot().tenants.some((t) => t.id === DEMO_TENANT)) {
    throw new CaracalError(
      'INVALID_CONFIG',
      `${config.controlFile} has a "${DEMO_TENANT}" tenant but ${credentialsFile(config)} is missing; remove the data dir ${config.dataDir} to start afresh`,
    );
  }
  control.createTenant(DEMO_TENANT, 'Demo tenant');
  const { source, secret } = control.createSource({ id: DEMO_SOURCE, tenantId: DEMO_TENANT, logType: 'Panther.Audit', label: 'Panther audit logs' });
  const { token } = control.createToken({ tenantId: DEMO_TENANT, name: 'admin', role: 'admin' });
  const creds: LocalCredentials = {
    tenantId: DEMO_TENANT,
    sourceId: source.id,
    secretHeader: source.authHeader,
    authMode: source.authMode,
    sourceSecret: secret,
    token,
    ingestUrl: '',
    grpcEndpoint: '',
  };
  writeLocalCredentials(config, creds);
  return { creds, created: true };
}

/** The ports are known only once the services listen (port 0 picks a free one). */
export function recordEndpoints(config: CaracalConfig, creds: LocalCredentials, endpoints: { ingestUrl: string; grpcEndpoint: string }): LocalCredentials {
  const updated = { ...creds, ...endpoints };
  writeLocalCredentials(config, updated);
  return updated;
}
