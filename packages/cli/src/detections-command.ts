import * as fs from 'node:fs';
import type { Detection__Output } from '@caracal/api';
import { CaracalConfig, CaracalError } from '@caracal/core';
import { flagParser, runSubcommand, time, usageError, withClient } from './api-command-support';
import { checkFormat, CliIo, formatTable } from './cli-output';
import { isSpecPath, loadDetectionFiles, specFilename } from './detection-file-loader';
import { formatEventResults, formatTestResults } from './detection-test-output';
import { EventInput, parseEventFile } from './event-file-parser';

export const DETECTIONS_USAGE = `usage:
  caracal detections list [--log-type <LogType>] [--format table|json]
  caracal detections get <RuleID> [--format yaml|json]
  caracal detections put <file.yml> [--python <file.py>] [--skip-tests]
  caracal detections delete <RuleID>
  caracal detections test <RuleID | file.yml> [--python <file.py>] [--event <file>]...
(--python defaults to the spec's Filename, beside the spec; an event file holds a JSON object, a JSON array or NDJSON)`;

const flags = flagParser('detections', DETECTIONS_USAGE);

function onlyArgument(sub: string, positionals: string[], what: string): string {
  if (positionals.length !== 1 || positionals[0] === '') {
    const problem = positionals.length === 0 || positionals[0] === '' ? `needs ${what}` : `takes one argument (${what}), got ${positionals.length}`;
    throw usageError(`detections ${sub} ${problem}`, DETECTIONS_USAGE);
  }
  return positionals[0];
}

function row(d: Detection__Output) {
  return {
    ruleId: d.ruleId,
    displayName: d.displayName,
    enabled: d.enabled,
    severity: d.severity.replace('SEVERITY_', ''),
    logTypes: d.logTypes.join(','),
    origin: d.origin.replace('DETECTION_ORIGIN_', ''),
    version: Number(d.version),
    tests: d.testCount,
    updatedBy: d.updatedBy,
    updatedTime: time(d.updatedTime),
  };
}

async function list(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('list', args, { 'log-type': { type: 'string' }, format: { type: 'string', default: 'table' } } as const);
  if (positionals.length > 0) throw usageError(`detections list takes no arguments, got "${positionals[0]}"`, DETECTIONS_USAGE);
  const format = checkFormat(values.format);
  const detections = await withClient(config, values, (c) => c.listDetections(values['log-type'] ?? ''));
  if (format === 'json') {
    io.out(JSON.stringify(detections.map((d) => ({ ...row(d), logTypes: d.logTypes, description: d.description, tags: d.tags, dedupPeriodMinutes: d.dedupPeriodMinutes, threshold: d.threshold }))));
  } else {
    const columns = ['ruleId', 'enabled', 'severity', 'logTypes', 'origin', 'version', 'tests', 'displayName'];
    io.out(`${formatTable(columns, detections.map(row))}\n(${detections.length} detections)`);
  }
  return 0;
}

async function get(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('get', args, { format: { type: 'string', default: 'yaml' } } as const);
  const ruleId = onlyArgument('get', positionals, 'a RuleID');
  if (values.format !== 'yaml' && values.format !== 'json') throw usageError(`--format must be yaml or json, got "${values.format}"`, DETECTIONS_USAGE);
  const res = await withClient(config, values, (c) => c.getDetection(ruleId));
  if (values.format === 'json') {
    io.out(JSON.stringify(res, null, 2));
    return 0;
  }
  // Headers in the style of `head` with several files: plain enough to cut the output apart by hand.
  const parts = [`==> YAML: ${ruleId} <==`, res.yaml.trimEnd()];
  if (res.python !== '') parts.push('', `==> Python: ${specFilename(res.yaml) ?? ruleId} <==`, res.python.trimEnd());
  io.out(parts.join('\n'));
  return 0;
}

async function put(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('put', args, { python: { type: 'string' }, 'skip-tests': { type: 'boolean', default: false } } as const);
  const yamlPath = onlyArgument('put', positionals, 'a detection spec file (.yml)');
  const files = loadDetectionFiles(yamlPath, values.python);
  const skipTests = values['skip-tests'];
  const res = await withClient(config, values, (c) => c.putDetection({ ...files, skipTests }));
  const d = res.detection;
  const failed = res.testResults.filter((t) => !t.passed).length;
  const lines = [`${res.replaced ? 'replaced' : 'created'} ${d?.ruleId ?? '(no RuleID returned)'}${d ? ` (version ${Number(d.version)})` : ''}`, ...formatTestResults(res.testResults)];
  if (failed > 0 && skipTests) lines.push(`stored although ${failed} Tests failed (--skip-tests)`);
  io.out(lines.join('\n'));
  return 0;
}

async function remove(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('delete', args, {});
  const ruleId = onlyArgument('delete', positionals, 'a RuleID');
  await withClient(config, values, (c) => c.deleteDetection(ruleId));
  io.out(`deleted ${ruleId}`);
  return 0;
}

function readEventFile(file: string): EventInput[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CaracalError('INVALID_ARGUMENT', `--event ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseEventFile(text, file);
}

async function test(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('test', args, { python: { type: 'string' }, event: { type: 'string', multiple: true } } as const);
  const target = onlyArgument('test', positionals, 'a RuleID or a detection spec file (.yml)');
  const fromFile = isSpecPath(target);
  if (!fromFile && values.python !== undefined) throw usageError(`detections test: --python goes with a spec file, not the RuleID "${target}"`, DETECTIONS_USAGE);
  const events = (values.event ?? []).flatMap(readEventFile);
  const files = fromFile ? loadDetectionFiles(target, values.python) : undefined;
  const res = await withClient(config, values, (c) =>
    c.testDetection({ ...(files ?? { ruleId: target }), eventsJson: events.map((e) => e.json) }),
  );
  const lines =
    events.length > 0
      ? formatEventResults(res.eventResults, events.map((e) => e.where))
      : formatTestResults(res.testResults);
  io.out(lines.join('\n'));
  return res.passed ? 0 : 1;
}

/** `caracal detections <list|get|put|delete|test>`: the tenant's detections over the gRPC API. */
export function detectionsCommand(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  return runSubcommand('detections', DETECTIONS_USAGE, { list, get, put, delete: remove, test }, config, args, io);
}
