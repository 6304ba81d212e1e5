import { InvalidArgumentError } from '../kernel/errors';
import {
  BEARER_HEADER,
  DEFAULT_AUTH_HEADERS,
  DEFAULT_PREVIOUS_SECRET_VALID_SECONDS,
  MAX_PREVIOUS_SECRET_VALID_SECONDS,
  MAX_SOURCE_RATE_LIMIT_PER_SECOND,
  SOURCE_AUTH_MODES,
  SourceAuthMode,
} from './source.types';

// RFC 7230 token, once lower-cased (Node hands header names over in lower case).
const HEADER_TOKEN = /^[a-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

/**
 * Headers that cannot carry a source's secret: the server or a proxy reads,
 * rewrites or drops them before Caracal would see the secret.
 */
const RESERVED_HEADERS: Readonly<Record<string, string>> = {
  host: 'it names the server',
  'content-length': 'it frames the body',
  'content-encoding': 'it says how the body is compressed',
  'content-type': 'it says what the body is',
  'transfer-encoding': 'it frames the body',
  connection: 'proxies drop it',
  'keep-alive': 'proxies drop it',
  te: 'proxies drop it',
  trailer: 'proxies drop it',
  upgrade: 'proxies drop it',
  'proxy-authorization': 'proxies consume it',
};

export function checkSourceAuthMode(mode: string | undefined): SourceAuthMode {
  if (mode === undefined) return 'shared-secret';
  if (!(SOURCE_AUTH_MODES as readonly string[]).includes(mode)) {
    throw new InvalidArgumentError(`source auth mode "${mode}" must be one of ${SOURCE_AUTH_MODES.join(', ')}`);
  }
  return mode as SourceAuthMode;
}

/** The header a source of `mode` reads, lower-cased; undefined takes the mode's default. */
export function checkAuthHeader(mode: SourceAuthMode, header: string | undefined): string {
  if (header === undefined) return DEFAULT_AUTH_HEADERS[mode];
  const name = header.trim().toLowerCase();
  if (mode === 'bearer') {
    if (name !== BEARER_HEADER) throw new InvalidArgumentError(`source auth header of a bearer source is always authorization, got "${header}"`);
    return name;
  }
  if (!HEADER_TOKEN.test(name)) {
    throw new InvalidArgumentError(`source auth header "${header}" must be an HTTP header name: 1-100 letters, digits or !#$%&'*+.^_\`|~-`);
  }
  if (name === BEARER_HEADER) {
    throw new InvalidArgumentError(`source auth header "${header}" is for bearer sources only; a ${mode} source needs another header`);
  }
  const reason = Object.hasOwn(RESERVED_HEADERS, name) ? RESERVED_HEADERS[name] : undefined;
  if (reason !== undefined) throw new InvalidArgumentError(`source auth header "${header}" cannot carry a secret: ${reason}`);
  return name;
}

export function checkRateLimit(perSecond: number | undefined): number | undefined {
  if (perSecond === undefined) return undefined;
  if (!Number.isInteger(perSecond) || perSecond < 1 || perSecond > MAX_SOURCE_RATE_LIMIT_PER_SECOND) {
    throw new InvalidArgumentError(`source rate limit per second must be a whole number from 1 to ${MAX_SOURCE_RATE_LIMIT_PER_SECOND}, got ${perSecond}`);
  }
  return perSecond;
}

export function checkPreviousValidSeconds(seconds: number | undefined): number {
  if (seconds === undefined) return DEFAULT_PREVIOUS_SECRET_VALID_SECONDS;
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_PREVIOUS_SECRET_VALID_SECONDS) {
    throw new InvalidArgumentError(
      `previous secret validity (previousValidSeconds) must be a whole number of seconds from 0 to ${MAX_PREVIOUS_SECRET_VALID_SECONDS} (30 days), got ${seconds}`,
    );
  }
  return seconds;
}
