/**
 * The one error type of Caracal. Every failure carries a stable `code` that the
 * edges (HTTP, gRPC, CLI) translate, the underlying `cause`, and whether a
 * retry of the same operation may succeed.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_CONFIG'
  | 'INVALID_EVENT'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'RESOURCE_EXHAUSTED'
  | 'CANCELLED'
  | 'DETECTION_ERROR'
  | 'INTERNAL';

export interface CaracalErrorOptions {
  cause?: unknown;
  retriable?: boolean;
  details?: Record<string, unknown>;
}

export class CaracalError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: CaracalErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CaracalError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.details = options.details;
  }

  static isRetriable(err: unknown): boolean {
    return err instanceof CaracalError ? err.retriable : false;
  }
}

export class InvalidArgumentError extends CaracalError {
  constructor(message: string, options: CaracalErrorOptions = {}) {
    super('INVALID_ARGUMENT', message, options);
    this.name = 'InvalidArgumentError';
  }
}

export class ConfigError extends CaracalError {
  constructor(message: string, options: CaracalErrorOptions = {}) {
    super('INVALID_CONFIG', message, options);
    this.name = 'ConfigError';
  }
}

export class UnauthenticatedError extends CaracalError {
  constructor(message: string) {
    super('UNAUTHENTICATED', message);
    this.name = 'UnauthenticatedError';
  }
}

export class PermissionDeniedError extends CaracalError {
  constructor(message: string) {
    super('PERMISSION_DENIED', message);
    this.name = 'PermissionDeniedError';
  }
}

export class NotFoundError extends CaracalError {
  constructor(message: string) {
    super('NOT_FOUND', message);
    this.name = 'NotFoundError';
  }
}

export class UnavailableError extends CaracalError {
  constructor(message: string, options: CaracalErrorOptions = {}) {
    super('UNAVAILABLE', message, { retriable: true, ...options });
    this.name = 'UnavailableError';
  }
}

/** A message for logs and users that includes the chain of causes. */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur !== undefined && cur !== null && depth < 5; depth++) {
    parts.push(cur instanceof Error ? cur.message : String(cur));
    cur = cur instanceof Error ? (cur as Error & { cause?: unknown }).cause : undefined;
  }
  return parts.join(': caused by: ');
}
