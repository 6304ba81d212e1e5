import { parseArgs } from 'node:util';
import { CaracalConfig, CaracalError } from '@caracal/core';
import { SOURCE_AUTH_MODES, SourceAuthMode } from '@caracal/core/control-plane';
import type { CliIo } from './cli-output';
import { sendCommand, SendOptions } from './send-command';

function bad(message: string): CaracalError {
  return new CaracalError('INVALID_ARGUMENT', message);
}

function wholeNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) throw bad(`${flag} must be a whole number, got "${text}"`);
  return Number(text.trim());
}

function authMode(text: string | undefined): SourceAuthMode | undefined {
  if (text === undefined) return undefined;
  const mode = text.trim().toLowerCase();
  if (!(SOURCE_AUTH_MODES as readonly string[]).includes(mode)) throw bad(`--auth must be one of ${SOURCE_AUTH_MODES.join(', ')}, got "${text}"`);
  return mode as SourceAuthMode;
}

/** `caracal send`'s flags, until the commander rewrite of main.ts takes them over. */
export function parseSendFlags(args: string[]): { files: string[]; options: SendOptions } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    allowNegative: true,
    options: {
      source: { type: 'string' },
      url: { type: 'string' },
      secret: { type: 'string' },
      'secret-file': { type: 'string' },
      auth: { type: 'string' },
      header: { type: 'string' },
      'max-body-bytes': { type: 'string' },
      retries: { type: 'string', default: '5' },
      progress: { type: 'boolean' },
      format: { type: 'string', default: 'text' },
    },
  });
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw bad(`--format must be text or json, got "${format}"`);
  return {
    files: positionals,
    options: {
      source: values.source,
      url: values.url,
      secret: values.secret,
      secretFile: values['secret-file'],
      auth: authMode(values.auth),
      header: values.header,
      maxBodyBytes: wholeNumber('--max-body-bytes', values['max-body-bytes']),
      retries: wholeNumber('--retries', values.retries)!,
      progress: values.progress,
      format,
    },
  };
}

/** `caracal send <args>` as main.ts calls it today. */
export function sendFromArgs(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { files, options } = parseSendFlags(args);
  return sendCommand(config, files, options, io);
}
