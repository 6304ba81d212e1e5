/**
 * @caracal/core/control-plane: the state an operator changes through the API:
 * tenants, their sources and secrets, API tokens and alert destinations.
 */
export { ControlStore, TOKEN_ROLES } from './control-store';
export type { DestinationRecord, DestinationType, TokenRecord, TokenRole } from './control-store';
export { sourceAuthNeedsBody } from './source-auth';
export { BEARER_HEADER, DEFAULT_SECRET_HEADER, DEFAULT_SIGNATURE_HEADER, isPullSource, KAFKA_SASL_MECHANISMS, MAX_PREVIOUS_SECRET_VALID_SECONDS, MAX_SOURCE_RATE_LIMIT_PER_SECOND, SOURCE_AUTH_MODES, SOURCE_TRANSPORTS, sourceTransport } from './source.types';
export type { KafkaSaslMechanism, KafkaSourceSettings, S3SourceSettings, SourceAuthMode, SourceRecord, SourceSecret, SourceTransport } from './source.types';
export { DEFAULT_S3_REGION } from './source-transport.settings';
export type { KafkaSourceInput, S3SourceInput } from './source-transport.settings';
