import type { CreateSourceRequest, KafkaSaslMechanismProto__Output, KafkaSourceSettings, S3SourceSettings, Source, SourceAuthModeProto__Output, SourceSecretInfo, SourceTransportProto__Output } from '@caracal/api';
import {
  KAFKA_SASL_MECHANISMS,
  KafkaSaslMechanism,
  KafkaSourceInput,
  S3SourceInput,
  SOURCE_AUTH_MODES,
  SOURCE_TRANSPORTS,
  SourceAuthMode,
  SourceRecord,
  SourceSecret,
  sourceTransport,
  SourceTransport,
} from '@caracal/core/control-plane';
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

const PROTO_TRANSPORTS: Record<SourceTransport, SourceTransportProto__Output> = {
  http: 'SOURCE_TRANSPORT_HTTP',
  s3: 'SOURCE_TRANSPORT_S3',
  kafka: 'SOURCE_TRANSPORT_KAFKA',
};

const PROTO_SASL_MECHANISMS: Record<KafkaSaslMechanism, KafkaSaslMechanismProto__Output> = {
  plain: 'KAFKA_SASL_MECHANISM_PLAIN',
  'scram-sha-256': 'KAFKA_SASL_MECHANISM_SCRAM_SHA_256',
  'scram-sha-512': 'KAFKA_SASL_MECHANISM_SCRAM_SHA_512',
};

/** The control store's transport for the proto's; UNSPECIFIED (or a client from before transports) is undefined, http. */
export function transportFromProto(value: string | number | undefined): SourceTransport | undefined {
  if (value === undefined || value === 'SOURCE_TRANSPORT_UNSPECIFIED' || value === 0) return undefined;
  const name = fromEnum('transport', 'SOURCE_TRANSPORT_', ['HTTP', 'S3', 'KAFKA'], value);
  return SOURCE_TRANSPORTS.find((t) => PROTO_TRANSPORTS[t] === `SOURCE_TRANSPORT_${name}`);
}

function saslMechanismFromProto(value: string | number | undefined): KafkaSaslMechanism | undefined {
  if (value === undefined || value === 'KAFKA_SASL_MECHANISM_UNSPECIFIED' || value === 0) return undefined;
  const name = fromEnum('kafka.sasl_mechanism', 'KAFKA_SASL_MECHANISM_', ['PLAIN', 'SCRAM_SHA_256', 'SCRAM_SHA_512'], value);
  return KAFKA_SASL_MECHANISMS.find((m) => PROTO_SASL_MECHANISMS[m] === `KAFKA_SASL_MECHANISM_${name}`);
}

/** A request's S3 settings for the control store; empty fields are left to its defaults and checks. */
export function s3InputFromProto(s3: S3SourceSettings | null | undefined): S3SourceInput | undefined {
  if (!s3) return undefined;
  return {
    ...(s3.bucket ? { bucket: s3.bucket } : {}),
    ...(s3.prefix ? { prefix: s3.prefix } : {}),
    ...(s3.region ? { region: s3.region } : {}),
    ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
    ...(s3.forcePathStyle ? { forcePathStyle: true } : {}),
    ...(s3.accessKeyId ? { accessKeyId: s3.accessKeyId } : {}),
    ...(s3.secretAccessKey ? { secretAccessKey: s3.secretAccessKey } : {}),
  };
}

export function kafkaInputFromProto(kafka: KafkaSourceSettings | null | undefined): KafkaSourceInput | undefined {
  if (!kafka) return undefined;
  const mechanism = saslMechanismFromProto(kafka.saslMechanism);
  const sasl = mechanism !== undefined || kafka.saslUsername || kafka.saslPassword;
  return {
    brokers: kafka.brokers ?? [],
    ...(kafka.topic ? { topic: kafka.topic } : {}),
    ...(kafka.tls ? { tls: true } : {}),
    ...(sasl ? { sasl: { ...(mechanism ? { mechanism } : {}), ...(kafka.saslUsername ? { username: kafka.saslUsername } : {}), ...(kafka.saslPassword ? { password: kafka.saslPassword } : {}) } } : {}),
  };
}

/** What the audit trail keeps of a create request's pull settings: never a secret access key or a password. */
export function auditedPullSettings(r: CreateSourceRequest): Record<string, unknown> {
  return {
    ...(r.s3 ? { s3: { ...r.s3, secretAccessKey: r.s3.secretAccessKey ? '(set)' : '' } } : {}),
    ...(r.kafka ? { kafka: { ...r.kafka, saslPassword: r.kafka.saslPassword ? '(set)' : '' } } : {}),
  };
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
    transport: PROTO_TRANSPORTS[sourceTransport(s)],
    // Where the source reads, never the secret access key or the SASL password.
    s3: s.s3
      ? { bucket: s.s3.bucket, prefix: s.s3.prefix, region: s.s3.region, endpoint: s.s3.endpoint ?? '', forcePathStyle: s.s3.forcePathStyle, accessKeyId: s.s3.accessKeyId, secretAccessKey: '' }
      : null,
    kafka: s.kafka
      ? {
          brokers: s.kafka.brokers,
          topic: s.kafka.topic,
          tls: s.kafka.tls,
          saslMechanism: s.kafka.sasl ? PROTO_SASL_MECHANISMS[s.kafka.sasl.mechanism] : 'KAFKA_SASL_MECHANISM_UNSPECIFIED',
          saslUsername: s.kafka.sasl?.username ?? '',
          saslPassword: '',
        }
      : null,
  };
}
