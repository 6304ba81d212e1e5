import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '@caracal/core';
import { parseRole, roleName, tokensCommand } from './tokens-command';

// No endpoint or token is configured: a call that got past validation would fail UNAUTHENTICATED, not INVALID_ARGUMENT.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-cli-tokens-'));
const config = loadConfig({ CARACAL_DATA_DIR: dir }, dir);
const io = { out: () => undefined, err: () => undefined };

function refused(args: string[], pattern: RegExp) {
  return assert.rejects(tokensCommand(config, args, io), (err: Error) => {
    assert.equal((err as { code?: string }).code, 'INVALID_ARGUMENT', err.message);
    assert.match(err.message, pattern);
    return true;
  }, args.join(' '));
}

test('roles are the control file names, case-insensitive, mapped to the API enum and back', () => {
  assert.equal(parseRole('admin'), 'ROLE_ADMIN');
  assert.equal(parseRole('Analyst'), 'ROLE_ANALYST');
  assert.equal(parseRole('read-only'), 'ROLE_READ_ONLY');
  assert.equal(roleName('ROLE_READ_ONLY'), 'read-only');
  assert.equal(roleName('ROLE_UNSPECIFIED'), 'ROLE_UNSPECIFIED');
  for (const bad of ['root', 'ROLE_ADMIN', 'read_only', 'toString']) {
    assert.throws(() => parseRole(bad), /--role must be one of admin, analyst, read-only/, bad);
  }
});

test('tokens arguments are checked before any call', async () => {
  await refused(['create', '--name', 'ci'], /tokens create needs --role, one of admin, analyst, read-only\nusage:/);
  await refused(['create', '--name', 'ci', '--role', 'superuser'], /--role must be one of admin, analyst, read-only, got "superuser"/);
  await refused(['create', '--role', 'admin'], /^tokens create needs --name/);
  await refused(['create', '--name', 'ci', '--role', 'admin', '--expires', '1d'], /^tokens create: Unknown option '--expires'[^]*caracal tokens create/);
  await refused(['list', '--format', 'csv'], /--format must be table or json, got "csv"/);
  await refused(['revoke'], /^tokens revoke takes one token id/);
  await refused(['delete', 'abc'], /^unknown tokens command "delete"/);
});
