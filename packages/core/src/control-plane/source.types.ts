/** How the sender of an ingest source proves who it is. */
export type SourceAuthMode = 'shared-secret' | 'hmac-sha256' | 'bearer';
export const SOURCE_AUTH_MODES: readonly SourceAuthMode[] = ['shared-secret', 'hmac-sha256', 'bearer'];

export interface SourceSecret {
  /** short random id, shown by List so an operator can tell the secrets apart during a rotation */
  id: string;
  /** shared-secret and bearer: SHA-256 hex of the secret (the secret itself is never stored) */
  sha256?: string;
  /** hmac-sha256 only: the key itself, since verifying an HMAC needs it */
  key?: string;
  createdAt: string;
  /** set by a rotation on the previous secret; from then on it is refused */
  expiresAt?: string;
}

export interface SourceRecord {
  id: string;
  tenantId: string;
  label: string;
  logType: string;
  authMode: SourceAuthMode;
  /** the header carrying the secret (shared-secret) or the signature (hmac-sha256); 'authorization' for bearer */
  authHeader: string;
  /** newest first; at most two (the current one and, during a rotation, the previous one) */
  secrets: SourceSecret[];
  /** requests per second for this source; undefined = the installation default */
  rateLimitPerSecond?: number;
  createdAt: string;
}

export const DEFAULT_SECRET_HEADER = 'x-caracal-secret';
export const DEFAULT_SIGNATURE_HEADER = 'x-caracal-signature-256';
export const BEARER_HEADER = 'authorization';

/** The header a source of each mode reads when none is given. */
export const DEFAULT_AUTH_HEADERS: Readonly<Record<SourceAuthMode, string>> = {
  'shared-secret': DEFAULT_SECRET_HEADER,
  'hmac-sha256': DEFAULT_SIGNATURE_HEADER,
  bearer: BEARER_HEADER,
};

export const MAX_SOURCE_RATE_LIMIT_PER_SECOND = 100_000;
/** How long the previous secret stays valid after a rotation when the caller does not say. */
export const DEFAULT_PREVIOUS_SECRET_VALID_SECONDS = 86_400;
// A rotation is a hand-over, not a second permanent secret: senders get a month at most.
export const MAX_PREVIOUS_SECRET_VALID_SECONDS = 30 * 86_400;
