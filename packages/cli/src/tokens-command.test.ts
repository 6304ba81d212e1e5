import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argumentChecks } from './cli-test-support';
import { parseRole, roleName, tokensCommand } from './tokens-command';

const { refused } = argumentChecks('tokens', tokensCommand);

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
