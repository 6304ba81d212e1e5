import pino, { Logger } from 'pino';

export type { Logger } from 'pino';

/** JSON logs to stderr, so stdout stays free for what the CLI prints. */
export function createLogger(level: string, name = 'caracal'): Logger {
  return pino({ name, level, base: { service: name } }, pino.destination(2));
}
