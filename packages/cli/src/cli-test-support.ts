import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@caracal/core';
import type { CaracalConfig } from '@caracal/core';
import type { CliIo } from './cli-output';
import { runProgram, USAGE_EXIT } from './main';

/**
 * For the commands' argument tests: a config with no endpoint or token, so a
 * call that got past validation fails UNAUTHENTICATED, never INVALID_ARGUMENT.
 * `run(args)` runs `caracal <command> ...args` and throws what the command
 * throws; `refused(args, pattern)` expects the command line to be refused,
 * either by the parser (exit 2, the message on stderr) or by the command's
 * own checks (an INVALID_ARGUMENT error), with a message matching `pattern`
 * (the "caracal: " before a parser message left out).
 */
export function argumentChecks(command: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `caracal-cli-${command}-`));
  const config = loadConfig({ CARACAL_DATA_DIR: dir }, dir);
  const io: CliIo = { out: () => undefined, err: () => undefined };
  const run = (args: string[], into: CliIo = io) => runProgram([command, ...args], into, () => config);
  const refused = async (args: string[], pattern: RegExp) => {
    const err: string[] = [];
    let code: number;
    try {
      code = await run(args, { out: () => undefined, err: (t) => void err.push(t) });
    } catch (e) {
      assert.equal((e as { code?: string }).code, 'INVALID_ARGUMENT', (e as Error).message);
      assert.match((e as Error).message, pattern, args.join(' '));
      return;
    }
    assert.equal(code, USAGE_EXIT, `${args.join(' ')}: exit ${code}, stderr ${err.join('')}`);
    assert.match(err.join('\n').replace(/^caracal: /, ''), pattern, args.join(' '));
  };
  return { config, io, dir, run, refused };
}
