import * as fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { argumentChecks } from './cli-test-support';

const { dir, refused } = argumentChecks('detections');

test('a missing or extra RuleID is refused, naming the argument', async () => {
  await refused(['get'], /^missing required argument 'RuleID'\n\(add --help for usage and examples\)/);
  await refused(['delete'], /^missing required argument 'RuleID'/);
  await refused(['delete', 'A', 'B'], /^too many arguments for 'delete'\. Expected 1 argument but got 2/);
  await refused(['test'], /^missing required argument 'RuleID \| file\.yml'/);
  await refused(['put'], /^missing required argument 'file\.yml'/);
  await refused(['list', 'extra'], /^too many arguments for 'list'/);
});

test('a bad --format is refused with the allowed ones', async () => {
  await refused(['get', 'Some.Rule', '--format', 'table'], /option '--format <format>' argument 'table' is invalid\. Allowed choices are yaml, json/);
  await refused(['list', '--format', 'yaml'], /argument 'yaml' is invalid\. Allowed choices are table, json/);
});

test('an unknown flag is named, with the nearest one', async () => {
  await refused(['list', '--logtype', 'Panther.Audit'], /^unknown option '--logtype'\n\(Did you mean --log-type\?\)/);
  await refused(['put', 'x.yml', '--skip-test'], /unknown option '--skip-test'\n\(Did you mean --skip-tests\?\)/);
  await refused(['delete', 'Some.Rule', '--force'], /unknown option '--force'/);
});

test('--python goes with a spec file only; unknown subcommands are named', async () => {
  await refused(['test', 'Some.Rule', '--python', 'x.py'], /--python goes with a spec file, not the RuleID "Some.Rule"/);
  await refused(['remove', 'Some.Rule'], /^unknown command 'remove'/);
  // Without a subcommand, the command's help (its subcommands) goes to stderr.
  await refused([], /^Usage: caracal detections \[options\] \[command\][^]*replay \[options\]/);
});

test('event and spec files are read and checked before any call', async () => {
  const events = path.join(dir, 'events.ndjson');
  fs.writeFileSync(events, '{"a": 1}\n{"a": \n');
  await refused(['test', 'Some.Rule', '--event', events], /events\.ndjson:2: not valid JSON/);
  await refused(['test', 'Some.Rule', '--event', path.join(dir, 'missing.json')], /--event .*missing\.json: cannot read it \(ENOENT\)/);
  await refused(['put', path.join(dir, 'missing.yml')], /cannot read the detection spec/);
});
