import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@caracal/core';
import type { CaracalConfig } from '@caracal/core';
import type { CliIo } from './cli-output';

/**
 * For the commands' argument tests: a config with no endpoint or token, so a
 * call that got past validation fails UNAUTHENTICATED, never INVALID_ARGUMENT.
 * Returns `refused(args, pattern)`, which expects the command to refuse the
 * arguments with a message matching `pattern`.
 */
export function argumentChecks(label: string, command: (config: CaracalConfig, args: string[], io: CliIo) => Promise<number>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `caracal-cli-${label}-`));
  const config = loadConfig({ CARACAL_DATA_DIR: dir }, dir);
  const io: CliIo = { out: () => undefined, err: () => undefined };
  const refused = (args: string[], pattern: RegExp) =>
    assert.rejects(
      command(config, args, io),
      (err: Error) => {
        assert.equal((err as { code?: string }).code, 'INVALID_ARGUMENT', err.message);
        assert.match(err.message, pattern);
        return true;
      },
      args.join(' '),
    );
  return { config, io, dir, refused };
}
