/**
 * @caracal/core/control-plane: the state an operator changes through the API:
 * tenants, their sources and secrets, API tokens and alert destinations.
 */
export { ControlStore, TOKEN_ROLES } from './control-store';
export type { DestinationRecord, DestinationType, TokenRecord, TokenRole } from './control-store';
export { sourceAuthNeedsBody } from './source-auth';
export { MAX_PREVIOUS_SECRET_VALID_SECONDS, MAX_SOURCE_RATE_LIMIT_PER_SECOND, SOURCE_AUTH_MODES } from './source.types';
export type { SourceAuthMode, SourceRecord, SourceSecret } from './source.types';
