import * as fs from 'node:fs';
import type { KafkaSaslMechanismProto__Output, SourceAuthModeProto__Output, SourceTransportProto__Output } from '@caracal/api';
import { CaracalError } from '@caracal/core';
import {
  KAFKA_SASL_MECHANISMS,
  KafkaSaslMechanism,
  MAX_PREVIOUS_SECRET_VALID_SECONDS,
  MAX_SOURCE_RATE_LIMIT_PER_SECOND,
  SOURCE_AUTH_MODES,
  SOURCE_TRANSPORTS,
  SourceAuthMode,
  SourceTransport,
} from '@caracal/core/control-plane';
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

/** The transport names people type (the control file's), and the API's for each. */
const PROTO_TRANSPORTS: Record<SourceTransport, SourceTransportProto__Output> = {
  http: 'SOURCE_TRANSPORT_HTTP',
  s3: 'SOURCE_TRANSPORT_S3',
  kafka: 'SOURCE_TRANSPORT_KAFKA',
};

/** --transport; unset leaves the choice to the server (http). */
export function parseTransport(text: string | undefined): SourceTransportProto__Output {
  if (text === undefined) return 'SOURCE_TRANSPORT_UNSPECIFIED';
  const name = text.trim().toLowerCase();
  if (!(SOURCE_TRANSPORTS as readonly string[]).includes(name)) throw bad(`--transport must be one of ${SOURCE_TRANSPORTS.join(', ')}, got "${text}"`);
  return PROTO_TRANSPORTS[name as SourceTransport];
}

/** A listed source's transport; a server from before transports lists none, and all its sources are http. */
export function transportName(transport: SourceTransportProto__Output | undefined): SourceTransport {
  return SOURCE_TRANSPORTS.find((t) => PROTO_TRANSPORTS[t] === transport) ?? 'http';
}

const PROTO_SASL_MECHANISMS: Record<KafkaSaslMechanism, KafkaSaslMechanismProto__Output> = {
  plain: 'KAFKA_SASL_MECHANISM_PLAIN',
  'scram-sha-256': 'KAFKA_SASL_MECHANISM_SCRAM_SHA_256',
  'scram-sha-512': 'KAFKA_SASL_MECHANISM_SCRAM_SHA_512',
};

/** --sasl-mechanism; unset is no SASL. */
export function parseSaslMechanism(text: string | undefined): KafkaSaslMechanismProto__Output {
  if (text === undefined) return 'KAFKA_SASL_MECHANISM_UNSPECIFIED';
  const name = text.trim().toLowerCase();
  if (!(KAFKA_SASL_MECHANISMS as readonly string[]).includes(name)) throw bad(`--sasl-mechanism must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}, got "${text}"`);
  return PROTO_SASL_MECHANISMS[name as KafkaSaslMechanism];
}

export function saslMechanismName(mechanism: KafkaSaslMechanismProto__Output | undefined): KafkaSaslMechanism | undefined {
  return KAFKA_SASL_MECHANISMS.find((m) => PROTO_SASL_MECHANISMS[m] === mechanism);
}

/**
 * A secret from the file a flag names (`-` for standard input), without its
 * final line break. Secrets are never flags themselves: a command line is
 * visible to every user of the machine and kept in shell histories.
 */
export function readSecretFile(flag: string, file: string | undefined, readStdin: () => string = () => fs.readFileSync(0, 'utf8')): string | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = file === '-' ? readStdin() : fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw bad(`${flag}: cannot read "${file}": ${(err as Error).message}`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '') throw bad(`${flag}: "${file}" is empty`);
  return secret;
}
