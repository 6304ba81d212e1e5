import type { SourceAuthModeProto__Output } from '@caracal/api';
import { CaracalError } from '@caracal/core';
import { MAX_PREVIOUS_SECRET_VALID_SECONDS, MAX_SOURCE_RATE_LIMIT_PER_SECOND, SOURCE_AUTH_MODES, SourceAuthMode } from '@caracal/core/control-plane';
import { durationSeconds } from './duration-flag';

function bad(message: string): CaracalError {
  return new CaracalError('INVALID_ARGUMENT', message);
}

/** The mode names people type (the control file's), and the API's for each. */
const PROTO_AUTH_MODES: Record<SourceAuthMode, SourceAuthModeProto__Output> = {
  'shared-secret': 'SOURCE_AUTH_MODE_SHARED_SECRET',
  'hmac-sha256': 'SOURCE_AUTH_MODE_HMAC_SHA256',
  bearer: 'SOURCE_AUTH_MODE_BEARER',
};

/** --auth; unset leaves the choice to the server (shared-secret). */
export function parseAuthMode(text: string | undefined): SourceAuthModeProto__Output {
  if (text === undefined) return 'SOURCE_AUTH_MODE_UNSPECIFIED';
  const name = text.trim().toLowerCase();
  if (!(SOURCE_AUTH_MODES as readonly string[]).includes(name)) throw bad(`--auth must be one of ${SOURCE_AUTH_MODES.join(', ')}, got "${text}"`);
  return PROTO_AUTH_MODES[name as SourceAuthMode];
}

export function authModeName(mode: SourceAuthModeProto__Output): SourceAuthMode | 'unspecified' {
  return SOURCE_AUTH_MODES.find((m) => PROTO_AUTH_MODES[m] === mode) ?? 'unspecified';
}

/** --rate-limit; 0 (unset) is the installation's default on the wire, so it cannot be asked for. */
export function parseRateLimit(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_SOURCE_RATE_LIMIT_PER_SECOND)) {
    throw bad(`--rate-limit must be a whole number of requests per second from 1 to ${MAX_SOURCE_RATE_LIMIT_PER_SECOND}, got "${text}"`);
  }
  return n;
}

/** --previous-valid: seconds, or a duration such as 24h, 30m or 1h30m; undefined leaves the server's default (a day). */
export function parsePreviousValid(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim().toLowerCase();
  const seconds = /^\d+$/.test(trimmed) ? Number(trimmed) : durationSeconds(trimmed);
  if (seconds === undefined) {
    throw bad(`--previous-valid must be seconds or a duration such as 24h, 30m or 1h30m (0 refuses the previous secret at once), got "${text}"`);
  }
  if (seconds > MAX_PREVIOUS_SECRET_VALID_SECONDS) {
    throw bad(`--previous-valid must be at most 30d (${MAX_PREVIOUS_SECRET_VALID_SECONDS} seconds), got "${text}"`);
  }
  return seconds;
}
