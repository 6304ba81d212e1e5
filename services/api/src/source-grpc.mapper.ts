import type { Source, SourceAuthModeProto__Output, SourceSecretInfo } from '@caracal/api';
import { SOURCE_AUTH_MODES, SourceAuthMode, SourceRecord, SourceSecret } from '@caracal/core/control-plane';
import { fromEnum, toTimestamp } from './grpc-values.mapper';

const PROTO_AUTH_MODES: Record<SourceAuthMode, SourceAuthModeProto__Output> = {
  'shared-secret': 'SOURCE_AUTH_MODE_SHARED_SECRET',
  'hmac-sha256': 'SOURCE_AUTH_MODE_HMAC_SHA256',
  bearer: 'SOURCE_AUTH_MODE_BEARER',
};

/** The control store's mode for the proto's; UNSPECIFIED (or a client that never heard of modes) is undefined, the default. */
export function authModeFromProto(value: string | number): SourceAuthMode | undefined {
  if (value === 'SOURCE_AUTH_MODE_UNSPECIFIED' || value === 0) return undefined;
  const name = fromEnum('auth_mode', 'SOURCE_AUTH_MODE_', ['SHARED_SECRET', 'HMAC_SHA256', 'BEARER'], value);
  return SOURCE_AUTH_MODES.find((m) => PROTO_AUTH_MODES[m] === `SOURCE_AUTH_MODE_${name}`);
}

// Only what tells the secrets apart: never the hash, never an HMAC key.
function toSecretInfo(s: SourceSecret): SourceSecretInfo {
  return {
    secretId: s.id,
    createdTime: toTimestamp(new Date(s.createdAt)),
    expireTime: s.expiresAt === undefined ? null : toTimestamp(new Date(s.expiresAt)),
  };
}

export function toSourceMessage(s: SourceRecord): Source {
  return {
    sourceId: s.id,
    label: s.label,
    logType: s.logType,
    authMode: PROTO_AUTH_MODES[s.authMode],
    authHeader: s.authHeader,
    rateLimitPerSecond: s.rateLimitPerSecond ?? 0,
    secrets: s.secrets.map(toSecretInfo),
    createdTime: toTimestamp(new Date(s.createdAt)),
  };
}
