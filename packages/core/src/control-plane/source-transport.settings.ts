import { isIP } from 'node:net';
import { InvalidArgumentError } from '../kernel/errors';
import { KAFKA_SASL_MECHANISMS, KafkaSaslMechanism, KafkaSourceSettings, S3SourceSettings, SOURCE_TRANSPORTS, SourceTransport } from './source.types';

/** What a caller gives for an S3 source; checked and completed by checkS3Settings. */
export interface S3SourceInput {
  bucket?: string;
  prefix?: string;
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/** What a caller gives for a Kafka source; checked by checkKafkaSettings. */
export interface KafkaSourceInput {
  brokers?: string[];
  topic?: string;
  tls?: boolean;
  sasl?: { mechanism?: string; username?: string; password?: string };
}

export const DEFAULT_S3_REGION = 'us-east-1';
export const MAX_KAFKA_SOURCE_BROKERS = 20;
const MAX_S3_PREFIX_BYTES = 1024;

// S3's rules for new buckets (3-63 characters, lower case, digits, dots and dashes, a letter or
// digit at each end); S3-compatible servers follow them too.
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const S3_REGION = /^[a-z0-9][a-z0-9-]{0,49}$/;
// Printable ASCII without spaces: what AWS, MinIO and Ceph keys are made of.
const CREDENTIAL = /^[\x21-\x7e]+$/;
// Kafka's own rule for topic names.
const KAFKA_TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export function checkSourceTransport(transport: string | undefined): SourceTransport {
  if (transport === undefined) return 'http';
  if (!(SOURCE_TRANSPORTS as readonly string[]).includes(transport)) {
    throw new InvalidArgumentError(`source transport "${transport}" must be one of ${SOURCE_TRANSPORTS.join(', ')}`);
  }
  return transport as SourceTransport;
}

function credential(field: string, value: string | undefined, maxChars: number): string {
  if (value === undefined || value === '') throw new InvalidArgumentError(`${field} is required for an S3 source`);
  // The value is a secret or half of one: the message never quotes it.
  if (value.length > maxChars || !CREDENTIAL.test(value)) {
    throw new InvalidArgumentError(`${field} must be 1-${maxChars} printable ASCII characters without spaces`);
  }
  return value;
}

function checkS3Endpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined || endpoint === '') return undefined;
  if (endpoint.length > 2048) throw new InvalidArgumentError('s3.endpoint must be at most 2048 characters');
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (err) {
    throw new InvalidArgumentError('s3.endpoint is not a valid URL (e.g. "https://minio.example.com:9000")', { cause: err });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidArgumentError(`s3.endpoint must be an http or https URL, got "${url.protocol.replace(/:$/, '')}"`);
  }
  if (url.username !== '' || url.password !== '') throw new InvalidArgumentError('s3.endpoint must not carry a user name or password; give s3.access_key_id and s3.secret_access_key');
  if (url.search !== '' || url.hash !== '') throw new InvalidArgumentError('s3.endpoint must not carry a query or a fragment');
  return endpoint.replace(/\/+$/, '');
}

/**
 * An S3 source's settings, completed with their defaults. Credentials are
 * required: without them the SDK would sign with the installation's own AWS
 * identity, and any tenant's admin could then read any bucket Caracal's role
 * may read.
 */
export function checkS3Settings(input: S3SourceInput | undefined): S3SourceSettings {
  if (input === undefined) throw new InvalidArgumentError('an S3 source needs its settings: s3.bucket, s3.access_key_id and s3.secret_access_key');
  const bucket = input.bucket ?? '';
  if (bucket === '') throw new InvalidArgumentError('s3.bucket is required for an S3 source');
  if (!S3_BUCKET.test(bucket) || bucket.includes('..')) {
    throw new InvalidArgumentError(`s3.bucket "${bucket.slice(0, 100)}" must be a bucket name: 3-63 lower-case letters, digits, dots or dashes, a letter or digit at each end`);
  }
  const prefix = input.prefix ?? '';
  if (Buffer.byteLength(prefix) > MAX_S3_PREFIX_BYTES || CONTROL_CHARS.test(prefix)) {
    throw new InvalidArgumentError(`s3.prefix must be at most ${MAX_S3_PREFIX_BYTES} bytes without control characters`);
  }
  const region = input.region === undefined || input.region === '' ? DEFAULT_S3_REGION : input.region;
  if (!S3_REGION.test(region)) throw new InvalidArgumentError(`s3.region "${region.slice(0, 100)}" must be a region name such as us-east-1: lower-case letters, digits and dashes`);
  const endpoint = checkS3Endpoint(input.endpoint);
  const accessKeyId = credential('s3.access_key_id', input.accessKeyId, 128);
  const secretAccessKey = credential('s3.secret_access_key', input.secretAccessKey, 256);
  return {
    bucket,
    prefix,
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    forcePathStyle: input.forcePathStyle ?? false,
    accessKeyId,
    secretAccessKey,
  };
}

function checkBroker(entry: string): string {
  const broker = entry.trim();
  // host:port, or [IPv6]:port.
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(broker);
  const port = match ? Number(match[3]) : 0;
  const host = match ? (match[1] ?? match[2]) : '';
  const hostOk = match !== null && (match[1] !== undefined ? isIP(host) === 6 : isIP(host) === 4 || HOSTNAME.test(host));
  if (!hostOk || port < 1 || port > 65535) throw new InvalidArgumentError(`kafka.brokers entry "${broker.slice(0, 300)}" must be host:port (e.g. "kafka-1.example.com:9092")`);
  return broker;
}

/** A Kafka source's settings: at least one broker, a topic, and SASL credentials only with a mechanism. */
export function checkKafkaSettings(input: KafkaSourceInput | undefined): KafkaSourceSettings {
  if (input === undefined) throw new InvalidArgumentError('a Kafka source needs its settings: kafka.brokers and kafka.topic');
  const brokers = (input.brokers ?? []).flatMap((b) => b.split(',')).filter((b) => b.trim() !== '');
  if (brokers.length === 0) throw new InvalidArgumentError('kafka.brokers is required for a Kafka source: at least one host:port');
  if (brokers.length > MAX_KAFKA_SOURCE_BROKERS) throw new InvalidArgumentError(`kafka.brokers may name at most ${MAX_KAFKA_SOURCE_BROKERS} brokers, got ${brokers.length}`);
  const topic = input.topic ?? '';
  if (topic === '') throw new InvalidArgumentError('kafka.topic is required for a Kafka source');
  if (!KAFKA_TOPIC.test(topic) || topic === '.' || topic === '..') {
    throw new InvalidArgumentError(`kafka.topic "${topic.slice(0, 300)}" must be a Kafka topic name: 1-249 letters, digits, '.', '_' or '-'`);
  }
  const settings: KafkaSourceSettings = { brokers: brokers.map(checkBroker), topic, tls: input.tls ?? false };
  const sasl = input.sasl;
  const mechanism = sasl?.mechanism ?? '';
  if (mechanism === '') {
    if ((sasl?.username ?? '') !== '' || (sasl?.password ?? '') !== '') throw new InvalidArgumentError('kafka.sasl_username and kafka.sasl_password need kafka.sasl_mechanism');
    return settings;
  }
  if (!(KAFKA_SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new InvalidArgumentError(`kafka.sasl_mechanism "${mechanism.slice(0, 100)}" must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}`);
  }
  const username = sasl?.username ?? '';
  const password = sasl?.password ?? '';
  if (username === '' || username.length > 256 || CONTROL_CHARS.test(username)) {
    throw new InvalidArgumentError('kafka.sasl_username is required with kafka.sasl_mechanism: 1-256 characters without control characters');
  }
  if (password === '' || password.length > 1024 || CONTROL_CHARS.test(password)) {
    throw new InvalidArgumentError('kafka.sasl_password is required with kafka.sasl_mechanism: 1-1024 characters without control characters');
  }
  return { ...settings, sasl: { mechanism: mechanism as KafkaSaslMechanism, username, password } };
}
