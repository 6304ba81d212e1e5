import { format } from 'node:util';
import { truncateUtf8 } from './text-truncation';

/** One error-level log entry as `caracal status` shows it: what and where, never the data it was about. */
export interface RecentError {
  /** ISO 8601. */
  time: string;
  level: 'error' | 'fatal';
  /** The logger's service name; the process's services say which one logged it. */
  service: string;
  /** The error's code (a CaracalError's, a system error's, or a dead letter's reason), when it has one. */
  code?: string;
  /** The consumer group, for errors of a consumer (dead letters among them). */
  group?: string;
  message: string;
}

/** The entries kept: enough to see a pattern, few enough to fit one screen. */
export const RECENT_ERRORS_KEPT = 20;
// A log message is normally a fixed sentence; the bound is for the ones that interpolate.
const MAX_MESSAGE_BYTES = 500;
const CODE_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

function codeOf(value: unknown): string | undefined {
  return typeof value === 'string' && CODE_PATTERN.test(value) ? value : undefined;
}

/**
 * The last error-level log entries of a process, newest last. Only the log
 * message and identifiers are copied: the fields logged beside them (an
 * error's text, a tenant's event, a request) stay out, since the status
 * endpoint is read by operators who may not see tenants' data.
 */
export class RecentErrors {
  private readonly entries: RecentError[] = [];

  constructor(private readonly capacity = RECENT_ERRORS_KEPT) {}

  add(entry: RecentError): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  /** Newest first. */
  list(): RecentError[] {
    return [...this.entries].reverse();
  }

  /**
   * Records the arguments of one pino call (`(msg, ...args)`,
   * `(obj, msg?, ...args)` or `(err, msg?)`) the way pino would word it.
   */
  addLogCall(args: readonly unknown[], level: 'error' | 'fatal', service: string, now = new Date()): void {
    const [first, ...rest] = args;
    let message: string;
    let fields: Record<string, unknown> = {};
    if (typeof first === 'string') {
      message = format(first, ...rest);
    } else {
      if (first !== null && typeof first === 'object') fields = first as Record<string, unknown>;
      const [msg, ...interpolated] = rest;
      const err = first instanceof Error ? first : fields.err instanceof Error ? fields.err : undefined;
      message = typeof msg === 'string' ? format(msg, ...interpolated) : (err?.message ?? '');
    }
    const err = (first instanceof Error ? first : fields.err) as { code?: unknown } | undefined;
    const code = codeOf(err?.code) ?? codeOf(fields.reason) ?? codeOf(fields.code);
    const group = codeOf(fields.groupId);
    this.add({
      time: now.toISOString(),
      level,
      service: codeOf(fields.service) ?? service,
      ...(code ? { code } : {}),
      ...(group ? { group } : {}),
      message: truncateUtf8(message, MAX_MESSAGE_BYTES),
    });
  }
}
