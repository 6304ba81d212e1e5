import { CommanderError } from 'commander';
import type { CaracalConfig } from '@caracal/core';
import { buildProgram, CliContext } from './cli-program';
import { CliIo, processIo } from './cli-output';

/** The exit code of a command line that could not be parsed (documented in `caracal --help`). */
export const USAGE_EXIT = 2;

/** Commander's outcomes that are not failures: help or the version asked for. */
const SHOWN = new Set(['commander.helpDisplayed', 'commander.version']);

function loadDefaultConfig(): CaracalConfig {
  // @caracal/core is loaded here, not at the top: `caracal --help` does not need it.
  return (require('@caracal/core') as typeof import('@caracal/core')).loadConfig();
}

/**
 * Parses and runs one command line; errors are thrown, not printed, so that
 * tests see them whole. A command line commander refuses has been reported
 * by commander already and comes back as its exit code.
 */
export async function runProgram(argv: string[], io: CliIo, config: () => CaracalConfig = loadDefaultConfig): Promise<number> {
  let loaded: CaracalConfig | undefined;
  const ctx: CliContext = { io, config: () => (loaded ??= config()), exitCode: 0 };
  const program = buildProgram(ctx);
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return USAGE_EXIT;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    return SHOWN.has(err.code) ? 0 : USAGE_EXIT;
  }
  return ctx.exitCode;
}

/** Runs one CLI command; returns the exit code. Errors are printed as one clear line, never a stack. */
export async function main(argv: string[], io: CliIo = processIo, config?: () => CaracalConfig): Promise<number> {
  try {
    return await runProgram(argv, io, config);
  } catch (err) {
    // A gRPC error's details are its server's message; a CaracalError's are structured data.
    const details = (err as { details?: unknown }).details;
    const { describeError } = require('@caracal/core') as typeof import('@caracal/core');
    io.err(`caracal: ${typeof details === 'string' ? details : describeError(err)}`);
    return 1;
  }
}
