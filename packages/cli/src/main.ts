import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { CaracalClient } from '@caracal/api';
import { CaracalConfig, CaracalError, describeError, loadConfig } from '@caracal/core';
import { alertsCommand } from './alerts-command';
import { parseServiceNames, SERVICE_NAMES, startCaracal } from '@caracal/runtime';
import { resolveApiAccess, resolveIngestAccess } from './client-credentials';
import { checkFormat, CliIo, formatTable, processIo } from './cli-output';
import { destinationsCommand } from './destinations-command';
import { detectionsCommand } from './detections-command';
import { ensureDemoCredentials, recordEndpoints } from './local-credentials';
import { schedulesCommand } from './schedules-command';
import { sendFromArgs } from './send-cli-flags';
import { sourcesCommand } from './sources-command';
import { tenantsCommand } from './tenants-command';
import { testCommand } from './test-command';
import { tokensCommand } from './tokens-command';

const USAGE = `caracal: streaming detections for audit logs

  caracal start                               run everything in this process (embedded mode)
  caracal serve <service>[,<service>...]      run services (${SERVICE_NAMES.join(', ')})
  caracal send --source <id> <file>...        send events (JSON, JSON array or NDJSON; "-" for stdin)
  caracal query "<SQL>" [--format table|json] run SQL over your tenant's data lake
  caracal alerts list [--status OPEN,TRIAGED] [--severity HIGH,CRITICAL] [--rule <RuleID>]
                      [--since <ISO time>] [--until <ISO time>] [--limit <n>] [--page-token <token>] [--format table|json]
  caracal alerts get <alert id> [--events <n>] [--json]
                                              an alert with its matched events, activity and deliveries
  caracal alerts update <alert id>... --status OPEN|TRIAGED|RESOLVED|CLOSED
  caracal alerts assign <alert id> <assignee> assign ("" unassigns)
  caracal alerts comment <alert id> <text>    add a comment to the alert's activity
  caracal detections list [--log-type <LogType>] [--format table|json]
  caracal detections get <RuleID> [--format yaml|json]
                                              a detection's YAML and Python
  caracal detections put <file.yml> [--python <file.py>] [--skip-tests]
                                              add or replace a detection (Python: the spec's Filename, beside it)
  caracal detections delete <RuleID>
  caracal detections test <RuleID | file.yml> [--python <file.py>] [--event <file>]...
                                              run its Tests, or run it on events (JSON, JSON array or NDJSON)
  caracal detections replay <RuleID | file.yml> [--python <file.py>] --since <7d|RFC 3339 time> [--until <same>] [--format table|json]
                                              what it would have raised over the lake's events, against the live alerts
  caracal schedules list [--format table|json]
                                              the scheduled queries: schedule, next run, last run
  caracal schedules run <QueryName> [--format table|json]
                                              run a scheduled query now and wait for it (exit 1 unless it succeeded)
  caracal schedules runs [--query <QueryName>] [--limit <n>] [--format table|json]
                                              the runs recorded, newest first (default 50, at most 1000)
  caracal tokens create --name <name> --role admin|analyst|read-only
                                              an API token (shown once)
  caracal tokens list [--format table|json]
  caracal tokens revoke <token id>
  caracal sources create --log-type Panther.Audit [--id <start of the id>] [--label <text>] [--auth shared-secret|hmac-sha256|bearer]
                         [--header <name>] [--rate-limit <requests per second>]
                                              an ingest source (its id is made by the server, its secret shown once)
  caracal sources rotate <id> [--previous-valid <seconds or duration, e.g. 24h>]
                                              a new secret; the old one stays valid that long (default 24h, 0: not at all)
  caracal sources list [--format table|json]
  caracal sources delete <id>
  caracal destinations create --tenant <id> --id <id> --type webhook|slack --url <url> [--name <name>] [--severities HIGH,CRITICAL]
                                              add an alert destination (a webhook's signing secret is shown once)
  caracal destinations list --tenant <id> [--format table|json]
  caracal tenants create <tenant id> [--name <name>]
                                              a tenant and its first admin token (shown once)
  caracal tenants list [--format table|json]
  caracal test [<dir>] [--filter <RuleID>]... [--format text|json]
                                              run the Tests of the detections in <dir> (default CARACAL_RULES_DIR);
                                              --filter takes an exact RuleID, * matches any characters

Options for the API commands (query, alerts, detections, schedules, tokens, sources): --endpoint host:port, --token <API token>
(or CARACAL_ENDPOINT, CARACAL_TOKEN); tokens and sources need an admin token.
destinations and tenants change the control file (CARACAL_CONTROL_FILE) directly: run them where it is kept.
Options for send: --url http://host:port, --secret <source secret> (or CARACAL_INGEST_URL, CARACAL_SOURCE_SECRET).
In embedded mode the commands find the endpoints and credentials in the data dir (CARACAL_DATA_DIR, default ./.caracal).`;

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const done = (sig: string) => resolve(sig);
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
}

async function runServices(config: CaracalConfig, names: string[], io: CliIo, banner: boolean): Promise<number> {
  const services = parseServiceNames(names);
  const demo = banner ? ensureDemoCredentials(config) : undefined;
  const running = await startCaracal(config, services);
  if (demo) {
    const created = demo.created;
    const creds = recordEndpoints(config, demo.creds, {
      ingestUrl: `http://${config.bindHost}:${running.httpPort}`,
      grpcEndpoint: `${config.bindHost}:${running.grpcPort}`,
    });
    io.out(
      [
        `Caracal is running (embedded mode, data in ${config.dataDir}).`,
        `  ingest:  POST ${creds.ingestUrl}/http/${creds.sourceId}   header ${creds.secretHeader}: ${creds.sourceSecret}`,
        `  gRPC:    ${creds.grpcEndpoint}   authorization: Bearer ${creds.token}`,
        `  tenant:  ${creds.tenantId}${created ? ' (created now; credentials kept in the data dir)' : ''}`,
        '',
        'Try, in another terminal:',
        `  npx caracal send --source ${creds.sourceId} events.ndjson`,
        `  npx caracal query "SELECT * FROM panther_logs.panther_audit WHERE p_occurs_since('1 day')"`,
        '  npx caracal alerts list',
        '',
        'Stop with Ctrl-C.',
      ].join('\n'),
    );
  } else {
    io.out(`caracal: serving ${services.join(', ')} (${config.mode} mode)`);
  }
  const signal = await waitForSignal();
  running.logger.info({ signal }, 'shutting down');
  await running.close();
  return 0;
}

async function send(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { source: { type: 'string' }, url: { type: 'string' }, secret: { type: 'string' } },
  });
  if (!values.source) throw new CaracalError('INVALID_ARGUMENT', 'send needs --source <source id>');
  if (positionals.length === 0) throw new CaracalError('INVALID_ARGUMENT', 'send needs at least one file ("-" reads stdin)');
  const access = resolveIngestAccess(config, { url: values.url, secret: values.secret, source: values.source });
  let failed = false;
  for (const file of positionals) {
    const body = file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
    const res = await fetch(`${access.url}/http/${encodeURIComponent(values.source)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [access.header]: access.secret },
      body,
    });
    const text = await res.text();
    io.out(`${file}: HTTP ${res.status} ${text}`);
    if (!res.ok) failed = true;
    else if ((JSON.parse(text) as { rejected: unknown[] }).rejected.length > 0) failed = true;
  }
  return failed ? 1 : 0;
}

function apiFlags(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      endpoint: { type: 'string' },
      token: { type: 'string' },
      format: { type: 'string', default: 'table' },
    },
  });
}

async function query(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = apiFlags(args);
  const format = checkFormat(values.format);
  if (positionals.length !== 1) throw new CaracalError('INVALID_ARGUMENT', 'query takes one SQL argument, quoted');
  const access = resolveApiAccess(config, values);
  const client = new CaracalClient(access.endpoint, access.token);
  try {
    const result = await client.executeQuery(positionals[0]);
    if (format === 'json') io.out(JSON.stringify(result.rows));
    else io.out(`${formatTable(result.columns.map((c) => c.name), result.rows)}\n(${result.rows.length} rows, ${result.elapsedSeconds.toFixed(3)} s)`);
    return 0;
  } finally {
    client.close();
  }
}

/** Runs one CLI command; returns the exit code. Errors are printed as one clear line, never a stack. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      io.out(USAGE);
      return command ? 0 : 2;
    }
    const config = loadConfig();
    switch (command) {
      case 'start':
        if (config.mode !== 'embedded') throw new CaracalError('INVALID_ARGUMENT', '"caracal start" runs embedded mode; in kafka mode use "caracal serve <service>"');
        return await runServices(config, [...SERVICE_NAMES], io, true);
      case 'serve':
        return await runServices(config, rest, io, false);
      case 'send':
        return await sendFromArgs(config, rest, io);
      case 'query':
        return await query(config, rest, io);
      case 'alerts':
        return await alertsCommand(config, rest, io);
      case 'detections':
        return await detectionsCommand(config, rest, io);
      case 'schedules':
        return await schedulesCommand(config, rest, io);
      case 'tokens':
        return await tokensCommand(config, rest, io);
      case 'sources':
        return await sourcesCommand(config, rest, io);
      case 'destinations':
        return await destinationsCommand(config, rest, io);
      case 'tenants':
        return await tenantsCommand(config, rest, io);
      case 'test':
        return await testCommand(config, rest, io);
      default:
        io.err(`caracal: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    // A gRPC error's details are its server's message; a CaracalError's are structured data.
    const details = (err as { details?: unknown }).details;
    io.err(`caracal: ${typeof details === 'string' ? details : describeError(err)}`);
    return 1;
  }
}
