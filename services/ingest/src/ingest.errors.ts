import { CaracalError } from '@caracal/core';
import type { FieldProblem } from '@caracal/core/log-schemas';

/** One problem with one field of one event: the normalizer's, which lives with the log schemas. */
export type { FieldProblem };

export class BodyTooLargeError extends CaracalError {
  constructor(limitBytes: number, what = 'request body') {
    super('RESOURCE_EXHAUSTED', `${what} exceeds ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export class MalformedBodyError extends CaracalError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('INVALID_ARGUMENT', message, options);
    this.name = 'MalformedBodyError';
  }
}

/** The source sent more than its rate allows; it may try again after `retryAfterSeconds`. */
export class RateLimitedError extends CaracalError {
  constructor(
    sourceId: string,
    ratePerSecond: number,
    readonly retryAfterSeconds: number,
  ) {
    super('RESOURCE_EXHAUSTED', `source "${sourceId}" is over its rate limit of ${ratePerSecond} requests per second; retry after ${retryAfterSeconds} s`, {
      retriable: true,
    });
    this.name = 'RateLimitedError';
  }
}

/**
 * The bus is slow or down: nothing of the request was acknowledged to the
 * caller, who should send the same body again after `retryAfterSeconds`.
 */
export class IngestUnavailableError extends CaracalError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options: { cause?: unknown } = {},
  ) {
    super('UNAVAILABLE', message, { retriable: true, ...options });
    this.name = 'IngestUnavailableError';
  }
}
