import * as fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { argumentChecks } from './cli-test-support';
import { detectionsCommand } from './detections-command';

const { dir, refused } = argumentChecks('detections', detectionsCommand);

test('a missing or extra RuleID is refused with the usage', async () => {
  await refused(['get'], /^detections get needs a RuleID\nusage:/);
  await refused(['delete'], /^detections delete needs a RuleID\n/);
  await refused(['delete', 'A', 'B'], /^detections delete takes one argument \(a RuleID\), got 2\n/);
  await refused(['test'], /^detections test needs a RuleID or a detection spec file/);
  await refused(['put'], /^detections put needs a detection spec file/);
  await refused(['list', 'extra'], /^detections list takes no arguments, got "extra"/);
});

test('a bad --format is refused', async () => {
  await refused(['get', 'Some.Rule', '--format', 'table'], /--format must be yaml or json, got "table"/);
  await refused(['list', '--format', 'yaml'], /--format must be table or json, got "yaml"/);
});

test('an unknown flag is named, with the usage', async () => {
  await refused(['list', '--logtype', 'Panther.Audit'], /^detections list: Unknown option '--logtype'[^]*\nusage:\n {2}caracal detections list/);
  await refused(['put', 'x.yml', '--skip-test'], /Unknown option '--skip-test'/);
  await refused(['delete', 'Some.Rule', '--force'], /Unknown option '--force'/);
});

test('--python goes with a spec file only; unknown subcommands are named', async () => {
  await refused(['test', 'Some.Rule', '--python', 'x.py'], /--python goes with a spec file, not the RuleID "Some.Rule"/);
  await refused(['remove', 'Some.Rule'], /^unknown detections command "remove"/);
  await refused([], /^detections needs a command/);
});

test('event and spec files are read and checked before any call', async () => {
  const events = path.join(dir, 'events.ndjson');
  fs.writeFileSync(events, '{"a": 1}\n{"a": \n');
  await refused(['test', 'Some.Rule', '--event', events], /events\.ndjson:2: not valid JSON/);
  await refused(['test', 'Some.Rule', '--event', path.join(dir, 'missing.json')], /--event .*missing\.json: cannot read it \(ENOENT\)/);
  await refused(['put', path.join(dir, 'missing.yml')], /cannot read the detection spec/);
});
