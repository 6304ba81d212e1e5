import { CaracalConfig, CaracalError } from '@caracal/core';
import { BEARER_HEADER, DEFAULT_SECRET_HEADER, DEFAULT_SIGNATURE_HEADER, SourceAuthMode } from '@caracal/core/control-plane';
import type { SendAuth } from './ingest-body-sender';
import { readSecretFile } from './source-cli-flags';
import { readLocalCredentials } from './local-credentials';

/** Flags first, then the environment (through config), then what `caracal start` left in the data dir. */
export function resolveApiAccess(config: CaracalConfig, flags: { endpoint?: string; token?: string }): { endpoint: string; token: string } {
  const local = readLocalCredentials(config);
  const endpoint = flags.endpoint ?? config.client.grpcEndpoint ?? local?.grpcEndpoint;
  const token = flags.token ?? config.client.token ?? local?.token;
  if (!endpoint || !token) {
    throw new CaracalError(
      'UNAUTHENTICATED',
      `no API endpoint/token: pass --endpoint and --token, set CARACAL_ENDPOINT and CARACAL_TOKEN, or run "caracal start" with data dir ${config.dataDir}`,
    );
  }
  return { endpoint, token };
}

/** What `caracal send` needs of the source: where ingest is, and how to prove the requests are the source's. */
export interface SendAccessFlags {
  source?: string;
  url?: string;
  secret?: string;
  secretFile?: string;
  auth?: SourceAuthMode;
  header?: string;
}

function defaultHeader(mode: SourceAuthMode): string {
  if (mode === 'bearer') return BEARER_HEADER;
  return mode === 'hmac-sha256' ? DEFAULT_SIGNATURE_HEADER : DEFAULT_SECRET_HEADER;
}

/**
 * Flags first, then the environment (through config), then the data dir of
 * `caracal start`, whose source is the default one; the data dir's secret,
 * auth mode and header are used only for that source.
 */
export function resolveSendAccess(config: CaracalConfig, flags: SendAccessFlags): { url: string; sourceId: string; auth: SendAuth } {
  if (flags.secret !== undefined && flags.secretFile !== undefined) {
    throw new CaracalError('INVALID_ARGUMENT', 'pass --secret or --secret-file, not both');
  }
  const local = readLocalCredentials(config);
  const sourceId = flags.source ?? local?.sourceId;
  if (!sourceId) {
    throw new CaracalError('INVALID_ARGUMENT', `send needs --source <source id>, or a data dir of "caracal start" (${config.dataDir}) to take its source from`);
  }
  const fromLocal = local && local.sourceId === sourceId ? local : undefined;
  const url = flags.url ?? config.client.ingestUrl ?? (local?.ingestUrl || undefined);
  const secret = flags.secret ?? (flags.secretFile !== undefined ? readSecretFile('--secret-file', flags.secretFile) : undefined) ?? config.client.sourceSecret ?? fromLocal?.sourceSecret;
  if (!url || !secret) {
    throw new CaracalError(
      'UNAUTHENTICATED',
      `no ingest URL/secret for source "${sourceId}": pass --url and --secret (or --secret-file), set CARACAL_INGEST_URL and CARACAL_SOURCE_SECRET, or run "caracal start" with data dir ${config.dataDir}`,
    );
  }
  const localMode = fromLocal ? (fromLocal.authMode ?? 'shared-secret') : undefined;
  const mode = flags.auth ?? localMode ?? 'shared-secret';
  const header = flags.header ?? (localMode === mode && fromLocal ? fromLocal.secretHeader : defaultHeader(mode));
  return { url, sourceId, auth: { mode, header: header.toLowerCase(), secret } };
}
