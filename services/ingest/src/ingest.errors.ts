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

/** An HTTP request to a source that ingest reads itself (s3, kafka): nobody sends to it. */
export class PullSourceRequestError extends CaracalError {
  constructor(sourceId: string, transport: string) {
    super('PERMISSION_DENIED', `source "${sourceId}" is read by Caracal from ${transport} and takes no HTTP requests`);
    this.name = 'PullSourceRequestError';
  }
}

/**
 * An S3 object or Kafka message that holds no events to read (not gzip, not
 * UTF-8, not JSON, too large): it becomes one rejection and is passed over,
 * since reading it again cannot help.
 */
export class UnreadableInputError extends CaracalError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('INVALID_ARGUMENT', message, options);
    this.name = 'UnreadableInputError';
  }
}
