import { createHmac, randomBytes } from 'node:crypto';
import { CaracalError, UnauthenticatedError } from '../kernel/errors';
import { sameDigest, sameSha256, secretSha256 } from './secret-digest';
import { SourceAuthMode, SourceRecord, SourceSecret } from './source.types';

type Headers = Record<string, string | string[] | undefined>;

const HMAC_SIGNATURE = /^(?:sha256=)?([0-9a-f]{64})$/i;
// RFC 6750's b64token after the scheme, which RFC 7235 makes case-insensitive.
const BEARER_CREDENTIALS = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

function headerValue(headers: Headers, name: string): string | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined || value === '' ? undefined : value;
}

function isExpired(secret: SourceSecret, now: Date): boolean {
  if (secret.expiresAt === undefined) return false;
  // An unreadable date is treated as past: a secret is refused rather than kept alive by a typo.
  return !(Date.parse(secret.expiresAt) > now.getTime());
}

/**
 * The secret among `secrets` that `matches` accepts, a live one before an
 * expired one. Every secret is checked in full, so that the time taken tells
 * nothing about which one matched.
 */
function findMatch(secrets: SourceSecret[], matches: (s: SourceSecret) => boolean, now: Date): SourceSecret | undefined {
  let live: SourceSecret | undefined;
  let expired: SourceSecret | undefined;
  for (const s of secrets) {
    if (!matches(s)) continue;
    if (isExpired(s, now)) expired ??= s;
    else live ??= s;
  }
  return live ?? expired;
}

function hashMatcher(presented: string): (s: SourceSecret) => boolean {
  const digest = secretSha256(presented);
  return (s) => s.sha256 !== undefined && sameSha256(s.sha256, digest);
}

function hmacMatcher(rawBody: Buffer, signature: Buffer): (s: SourceSecret) => boolean {
  return (s) => s.key !== undefined && sameDigest(createHmac('sha256', s.key).update(rawBody).digest(), signature);
}

/** Refuses a secret that matched but expired, saying so: the sender needs to pick up the new one. */
function requireLive(source: SourceRecord, match: SourceSecret | undefined, now: Date, wrong: string): void {
  if (match === undefined) throw new UnauthenticatedError(wrong);
  if (isExpired(match, now)) {
    throw new UnauthenticatedError(`the secret ${match.id} of source "${source.id}" was rotated out at ${match.expiresAt}; use the source's current secret`);
  }
}

/**
 * A new secret for a source of `mode`: the value to hand to the sender once,
 * and what the control file keeps of it. Shared secrets and bearer tokens are
 * kept only as SHA-256 hashes (random 256-bit values need no slow hash); an
 * HMAC key is kept as it is, since checking a signature needs the key.
 */
export function issueSourceSecret(mode: SourceAuthMode, now = new Date()): { secret: string; record: SourceSecret } {
  // A prefix, so that the secret never starts with '-' (a command line would read it as an option).
  const secret = `crs_${randomBytes(32).toString('base64url')}`;
  const id = randomBytes(4).toString('hex');
  const createdAt = now.toISOString();
  const record: SourceSecret = mode === 'hmac-sha256' ? { id, key: secret, createdAt } : { id, sha256: secretSha256(secret), createdAt };
  return { secret, record };
}

/** Whether checking a request of this source needs its body (as received, before any decoding). */
export function sourceAuthNeedsBody(source: SourceRecord): boolean {
  return source.authMode === 'hmac-sha256';
}

/**
 * Refuses a request that does not prove it comes from `source`'s sender:
 * the shared secret in its header, `Authorization: Bearer <secret>`, or an
 * HMAC-SHA256 of the body bytes exactly as received. During a rotation both
 * the current and the previous secret are accepted until the previous one
 * expires. `headers` are Node's: names in lower case.
 */
export function verifySourceRequest(source: SourceRecord, headers: Headers, rawBody: Buffer | undefined, now: Date = new Date()): void {
  const { id, authHeader, secrets } = source;
  switch (source.authMode) {
    case 'shared-secret': {
      const presented = headerValue(headers, authHeader);
      if (presented === undefined) throw new UnauthenticatedError(`missing the ${authHeader} header of source "${id}"`);
      requireLive(source, findMatch(secrets, hashMatcher(presented), now), now, `wrong secret for source "${id}"`);
      return;
    }
    case 'bearer': {
      const presented = headerValue(headers, authHeader);
      if (presented === undefined) throw new UnauthenticatedError(`missing the "Authorization: Bearer <secret>" header of source "${id}"`);
      const credentials = BEARER_CREDENTIALS.exec(presented.trim());
      if (!credentials) throw new UnauthenticatedError(`the Authorization header of source "${id}" must be "Bearer <secret>"`);
      requireLive(source, findMatch(secrets, hashMatcher(credentials[1]), now), now, `wrong bearer secret for source "${id}"`);
      return;
    }
    case 'hmac-sha256': {
      if (rawBody === undefined) {
        // The caller's bug, not the sender's: it should have asked sourceAuthNeedsBody.
        throw new CaracalError('INTERNAL', `source "${id}" signs its requests; checking them needs the raw body`);
      }
      const presented = headerValue(headers, authHeader);
      if (presented === undefined) throw new UnauthenticatedError(`missing the ${authHeader} signature header of source "${id}"`);
      const signature = HMAC_SIGNATURE.exec(presented.trim());
      if (!signature) {
        throw new UnauthenticatedError(`the ${authHeader} header of source "${id}" must be sha256=<64 hex digits>, the HMAC-SHA256 of the body`);
      }
      const given = Buffer.from(signature[1], 'hex');
      requireLive(source, findMatch(secrets, hmacMatcher(rawBody, given), now), now, `the ${authHeader} signature does not match the body for source "${id}"`);
      return;
    }
    default:
      throw new CaracalError('INVALID_CONFIG', `source "${id}" has auth mode "${String(source.authMode)}", which this version of Caracal does not know`);
  }
}
