import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argumentChecks } from './cli-test-support';
import { sourcesCommand } from './sources-command';

const { config, io, refused } = argumentChecks('sources', sourcesCommand);

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
