import { CaracalConfig, CaracalError } from '@caracal/core';
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

export function resolveIngestAccess(
  config: CaracalConfig,
  flags: { url?: string; secret?: string; source: string },
): { url: string; secret: string; header: string } {
  const local = readLocalCredentials(config);
  const fromLocal = local && local.sourceId === flags.source ? local : undefined;
  const url = flags.url ?? config.client.ingestUrl ?? local?.ingestUrl;
  const secret = flags.secret ?? config.client.sourceSecret ?? fromLocal?.sourceSecret;
  if (!url || !secret) {
    throw new CaracalError(
      'UNAUTHENTICATED',
      `no ingest URL/secret for source "${flags.source}": pass --url and --secret, set CARACAL_INGEST_URL and CARACAL_SOURCE_SECRET, or run "caracal start" with data dir ${config.dataDir}`,
    );
  }
  return { url, secret, header: fromLocal?.secretHeader ?? 'x-caracal-secret' };
}
