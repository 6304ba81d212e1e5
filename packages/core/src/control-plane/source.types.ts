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

/**
 * How a source's events reach Caracal: senders push them to `POST /http/<id>`
 * (http), or ingest pulls them itself from new objects of a bucket (s3) or
 * from a topic (kafka). Decision 0029.
 */
export type SourceTransport = 'http' | 's3' | 'kafka';
export const SOURCE_TRANSPORTS: readonly SourceTransport[] = ['http', 's3', 'kafka'];

/** Where an S3 source reads, and as whom. */
export interface S3SourceSettings {
  bucket: string;
  /** Only keys starting with this are read; '' reads the whole bucket. */
  prefix: string;
  region: string;
  /** An S3-compatible server (MinIO, Ceph, ...); absent: AWS's endpoint of the region. */
  endpoint?: string;
  /** Bucket in the path (http://host/bucket/key) rather than the host name, as most S3-compatible servers want. */
  forcePathStyle: boolean;
  accessKeyId: string;
  /** Kept as it is, since signing requests needs it (like an HMAC key); never listed. */
  secretAccessKey: string;
}

export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';
export const KAFKA_SASL_MECHANISMS: readonly KafkaSaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512'];

/** The customer's cluster and topic a Kafka source reads. */
export interface KafkaSourceSettings {
  /** host:port, at least one. */
  brokers: string[];
  topic: string;
  tls: boolean;
  /** The password is kept as it is, since logging in needs it; never listed. */
  sasl?: { mechanism: KafkaSaslMechanism; username: string; password: string };
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
  /** undefined: http (every source written before pull sources) */
  transport?: SourceTransport;
  /** transport s3 only */
  s3?: S3SourceSettings;
  /** transport kafka only */
  kafka?: KafkaSourceSettings;
  createdAt: string;
}

/** A source's transport; records written before transports existed are http sources. */
export function sourceTransport(source: Pick<SourceRecord, 'transport'>): SourceTransport {
  return source.transport ?? 'http';
}

/** Whether ingest pulls this source's events itself (and HTTP requests to it are refused). */
export function isPullSource(source: Pick<SourceRecord, 'transport'>): boolean {
  return sourceTransport(source) !== 'http';
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
