import { CaracalError } from '@caracal/core';
import { engineMessage, QueryLimits } from '@caracal/lake';

interface EngineError {
  message?: string;
  type?: string;
  code?: string;
  name?: string;
}

const LIMIT_TYPES = new Set(['TOO_MANY_ROWS_OR_BYTES', 'TOO_MANY_ROWS', 'TOO_MANY_BYTES']);

/**
 * Wraps what the engine said about a user's query: the user's mistake, not
 * ours. A limit is described with the service's own words and numbers: the
 * engine's "current rows" of a read limit counts the rows of every tenant
 * it scanned before filtering, which is not the caller's business.
 */
export function engineQueryError(err: unknown, limits?: QueryLimits): CaracalError {
  if (err instanceof CaracalError) return err;
  const e = (err ?? {}) as EngineError;
  const raw = e.message ?? String(err);
  const type = e.type ?? /\(([A-Z_]+)\)\s*$/.exec(raw)?.[1];
  if (type === 'QUERY_WAS_CANCELLED' || isAbort(e)) return new CaracalError('CANCELLED', 'the query was cancelled', { cause: err });
  if (type === 'TIMEOUT_EXCEEDED' || type === 'TOO_SLOW') {
    const max = limits ? `${limits.maxExecutionTimeSeconds} s, ` : '';
    return new CaracalError('DEADLINE_EXCEEDED', `the query took too long (${max}the most one query may run); narrow it, e.g. with p_occurs_since('1 day')`, {
      cause: err,
    });
  }
  if (type === 'MEMORY_LIMIT_EXCEEDED') {
    const max = limits ? ` than ${limits.maxMemoryUsageBytes} bytes` : '';
    return new CaracalError('RESOURCE_EXHAUSTED', `the query needs more memory${max}, the most one query may use; aggregate less or narrow it`, { cause: err });
  }
  if (type !== undefined && LIMIT_TYPES.has(type)) return limitError(raw, err, limits);
  if (type !== undefined || /^Code: \d+\./.test(raw)) return new CaracalError('INVALID_ARGUMENT', `query failed: ${engineMessage(err)}`, { cause: err });
  return new CaracalError('UNAVAILABLE', `the data lake did not answer: ${raw.trim()}`, { cause: err, retriable: true });
}

function limitError(raw: string, cause: unknown, limits?: QueryLimits): CaracalError {
  const n = (v: number | undefined) => (v === undefined ? '' : ` ${v}`);
  let message: string;
  if (/max_rows_to_read|rows to read|Limit for rows \(/i.test(raw)) {
    message = `the query would read more than${n(limits?.maxRowsToRead)} rows of the lake; narrow it, e.g. with p_occurs_since('1 day')`;
  } else if (/max_bytes_to_read|bytes to read/i.test(raw)) {
    message = `the query would read more than${n(limits?.maxBytesToRead)} bytes of the lake; narrow it, e.g. with p_occurs_since('1 day')`;
  } else if (/max bytes/i.test(raw)) {
    message = `the result is larger than${n(limits?.maxResultBytes)} bytes, the most one query may return; select fewer columns or add a LIMIT`;
  } else {
    message = `the result has more than${n(limits?.maxResultRows)} rows, the most one query may return; add a LIMIT or aggregate`;
  }
  return new CaracalError('RESOURCE_EXHAUSTED', message, { cause });
}

function isAbort(e: EngineError): boolean {
  return e.name === 'AbortError' || e.code === 'CHDB_ABORT' || /^Query aborted|The user aborted a request/.test(e.message ?? '');
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
