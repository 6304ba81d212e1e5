import { parseArgs, ParseArgsConfig } from 'node:util';
import { CaracalClient } from '@caracal/api';
import { CaracalConfig, CaracalError } from '@caracal/core';
import { resolveApiAccess } from './client-credentials';
import type { CliIo } from './cli-output';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What parseArgs returns for these options; named so that the factory below can be exported. */
export type ParsedFlags<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/** Every command that talks to the API takes these, on top of its own flags. */
export const API_OPTIONS = { endpoint: { type: 'string' }, token: { type: 'string' } } as const;

/** An INVALID_ARGUMENT error whose message ends with the usage, so the fix is on screen. */
export function usageError(message: string, usage: string): CaracalError {
  return new CaracalError('INVALID_ARGUMENT', `${message}\n${usage}`);
}

/**
 * Strict flag parsing for the subcommands of one command: an unknown or
 * misspelt flag is an error naming it, with the usage, not a silent no-op.
 * `common` is merged into every subcommand's options (the API flags unless
 * the command works on local files only).
 */
export function flagParser<C extends Options = typeof API_OPTIONS>(command: string, usage: string, common: C = API_OPTIONS as unknown as C) {
  return <O extends Options>(sub: string, args: string[], options: O): ParsedFlags<C & O> => {
    try {
      return parseArgs({ args, options: { ...common, ...options }, allowPositionals: true, strict: true });
    } catch (err) {
      throw usageError(`${command} ${sub}: ${(err as Error).message}`, usage);
    }
  };
}

/** One client per command run, closed even when the call fails so that the process can exit. */
export async function withClient<T>(config: CaracalConfig, values: { endpoint?: string; token?: string }, run: (c: CaracalClient) => Promise<T>): Promise<T> {
  const access = resolveApiAccess(config, values);
  const client = new CaracalClient(access.endpoint, access.token);
  try {
    return await run(client);
  } finally {
    client.close();
  }
}

/** A protobuf Timestamp as ISO 8601; empty when unset. */
export function time(ts: { seconds: string; nanos: number } | null): string {
  return ts ? new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6)).toISOString() : '';
}

export type Subcommand = (config: CaracalConfig, args: string[], io: CliIo) => number | Promise<number>;

/** Runs `<command> <sub> ...` by its subcommand; a missing or unknown one is an error with the usage. */
export async function runSubcommand(command: string, usage: string, subcommands: Record<string, Subcommand>, config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const run = sub !== undefined && Object.prototype.hasOwnProperty.call(subcommands, sub) ? subcommands[sub] : undefined;
  if (!run) throw usageError(sub ? `unknown ${command} command "${sub}"` : `${command} needs a command`, usage);
  return run(config, rest, io);
}
