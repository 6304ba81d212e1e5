import pino, { Logger } from 'pino';
import { RecentErrors } from './recent-errors.buffer';
import { truncateUtf8 } from './text-truncation';

export type { Logger } from 'pino';

/**
 * The most one message or one string field keeps in a log line. Logged values
 * carry what tenants control (a rule's exception, a request's argument), and
 * one of those must not turn into a line of megabytes.
 */
export const MAX_LOG_STRING_BYTES = 16 * 1024;
// Deeper than any object Caracal logs; past it a value is replaced, so no string escapes the bound.
const MAX_LOG_DEPTH = 8;

function boundForLog(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return truncateUtf8(value, MAX_LOG_STRING_BYTES);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_LOG_DEPTH) return '[nested too deep to log]';
  if (Array.isArray(value)) return value.map((v) => boundForLog(v, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  // Errors go through the err serializer; other class instances (Dates, Buffers) log as they are.
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = boundForLog(v, depth + 1);
  return out;
}

/** pino's error serializer, then the same bound on what it copied out of the error. */
function boundedErr(err: unknown): unknown {
  const serialized = pino.stdSerializers.err(err as Error) as unknown;
  if (serialized === null || typeof serialized !== 'object') return boundForLog(serialized, 0);
  const fields = serialized as Record<string, unknown>;
  for (const key of Object.keys(fields)) fields[key] = boundForLog(fields[key], 1);
  return fields;
}

const RECENT_ERRORS = Symbol('caracal.recentErrors');
const ERROR_LEVEL = 50;
const FATAL_LEVEL = 60;

/**
 * The last error-level entries of a logger made by createLogger (its children
 * share them); undefined for any other logger. The ops endpoint serves them.
 */
export function recentErrorsOf(logger: Logger): RecentErrors | undefined {
  return (logger as unknown as { [RECENT_ERRORS]?: RecentErrors })[RECENT_ERRORS];
}

/** JSON logs to stderr, so stdout stays free for what the CLI prints (tests pass a stream of their own). */
export function createLogger(level: string, name = 'caracal', destination: pino.DestinationStream = pino.destination(2)): Logger {
  const recent = new RecentErrors();
  const logger = pino(
    {
      name,
      level,
      base: { service: name },
      // Taken from the call, before serialization: parsing every written line back would cost more than the errors are worth.
      hooks: {
        logMethod(args, method, callLevel) {
          if (callLevel >= ERROR_LEVEL) {
            const service = (this.bindings() as { service?: unknown }).service;
            recent.addLogCall(args, callLevel >= FATAL_LEVEL ? 'fatal' : 'error', typeof service === 'string' ? service : name);
          }
          return method.apply(this, args);
        },
      },
      formatters: { log: (obj) => boundForLog(obj, 0) as Record<string, unknown> },
      // pino looks the message up among the serializers too, after interpolation.
      serializers: { err: boundedErr, msg: (msg: unknown) => boundForLog(msg, 0) },
    },
    destination,
  );
  // A property of the root is found from every child, which pino makes with the root as prototype.
  Object.defineProperty(logger, RECENT_ERRORS, { value: recent });
  return logger;
}
