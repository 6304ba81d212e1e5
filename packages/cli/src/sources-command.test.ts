import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '@caracal/core';
import { sourcesCommand } from './sources-command';

// No endpoint or token is configured: a call that got past validation would fail UNAUTHENTICATED, not INVALID_ARGUMENT.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-cli-sources-'));
const config = loadConfig({ CARACAL_DATA_DIR: dir }, dir);
const io = { out: () => undefined, err: () => undefined };

function refused(args: string[], pattern: RegExp) {
  return assert.rejects(sourcesCommand(config, args, io), (err: Error) => {
    assert.equal((err as { code?: string }).code, 'INVALID_ARGUMENT', err.message);
    assert.match(err.message, pattern);
    return true;
  }, args.join(' '));
}

test('sources arguments are checked before any call', async () => {
  await refused(['create', '--log-type', 'Panther.Audit'], /^sources create needs --id\nusage:/);
  await refused(['create', '--id', 'okta'], /^sources create needs --log-type/);
  await refused(['create', '--id', 'okta', '--log-type', 'Panther.Audit', '--header', 'x'], /^sources create: Unknown option '--header'/);
  await refused(['create', 'okta'], /^sources create takes no arguments, got "okta"/);
  await refused(['list', '--format', 'yaml'], /--format must be table or json/);
  await refused(['delete'], /^sources delete takes one source id/);
  await refused(['rm', 'okta'], /^unknown sources command "rm"/);
});

test('with valid arguments and no credentials, the command says how to give them', async () => {
  await assert.rejects(sourcesCommand(config, ['list'], io), (err: Error) => (err as { code?: string }).code === 'UNAUTHENTICATED' && /--endpoint and --token/.test(err.message));
});
