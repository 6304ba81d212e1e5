import { CaracalError } from '@caracal/core';

/** Wraps what the engine said about a user's query: the user's mistake, not ours. */
export function engineQueryError(err: unknown): CaracalError {
  if (err instanceof CaracalError) return err;
  const e = err as { message?: string; type?: string; code?: string };
  const message = (e.message ?? String(err)).trim();
  if (e.type === 'TIMEOUT_EXCEEDED') return new CaracalError('DEADLINE_EXCEEDED', `query took too long: ${message}`, { cause: err });
  if (e.type === 'TOO_MANY_ROWS_OR_BYTES' || e.type === 'TOO_MANY_ROWS') {
    return new CaracalError('RESOURCE_EXHAUSTED', `query result too large: ${message}`, { cause: err });
  }
  if (e.type !== undefined) return new CaracalError('INVALID_ARGUMENT', `query failed: ${message}`, { cause: err });
  return new CaracalError('UNAVAILABLE', `the data lake did not answer: ${message}`, { cause: err, retriable: true });
}

/**
 * Wraps a failure of SQL the service wrote itself: an engine complaint there
 * is our bug, not the caller's, so it is INTERNAL rather than INVALID_ARGUMENT.
 */
export function serviceQueryError(err: unknown): CaracalError {
  if (err instanceof CaracalError) return err;
  const e = err as { message?: string; type?: string };
  const message = (e.message ?? String(err)).trim();
  if (e.type === 'TIMEOUT_EXCEEDED') return new CaracalError('DEADLINE_EXCEEDED', `the data lake took too long: ${message}`, { cause: err });
  if (e.type !== undefined) return new CaracalError('INTERNAL', `the data lake refused a query: ${message}`, { cause: err });
  return new CaracalError('UNAVAILABLE', `the data lake did not answer: ${message}`, { cause: err, retriable: true });
}
