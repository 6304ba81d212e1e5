import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argumentChecks } from './cli-test-support';
import { parseRole, roleName } from './tokens-command';

const { refused } = argumentChecks('tokens');

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
  await refused(['create', '--name', 'ci'], /^required option '--role <role>' not specified/);
  await refused(['create', '--name', 'ci', '--role', 'superuser'], /argument 'superuser' is invalid\. Allowed choices are admin, analyst, read-only/);
  await refused(['create', '--role', 'admin'], /^required option '--name <name>' not specified/);
  await refused(['create', '--name', ' ', '--role', 'admin'], /^tokens create needs a --name that is not empty/);
  await refused(['create', '--name', 'ci', '--role', 'admin', '--expires', '1d'], /^unknown option '--expires'/);
  await refused(['list', '--format', 'csv'], /argument 'csv' is invalid\. Allowed choices are table, json/);
  await refused(['revoke'], /^missing required argument 'tokenId'/);
  await refused(['delete', 'abc'], /^unknown command 'delete'/);
});
