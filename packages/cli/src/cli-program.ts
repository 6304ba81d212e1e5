import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import type { CaracalConfig } from '@caracal/core';
import type { CliIo } from './cli-output';

/**
 * What an action needs besides its arguments. The config is loaded only when
 * an action runs, so `--help` and `completion` need no environment and load
 * none of the service packages (decision 0031).
 */
export interface CliContext {
  io: CliIo;
  config(): CaracalConfig;
  /** The process's exit code, set by the action that ran. */
  exitCode: number;
}

/**
 * The values commander parsed for one command, camel-cased (`--log-type` →
 * `logType`). Typed `never` so that each handler's own options type (which
 * its definition here must match: the tests run every command) is accepted.
 */
type Opts = never;

/**
 * A command module, loaded when its command runs. `require` rather than
 * `import()`: the CLI compiles to CommonJS and a dynamic import would go
 * through the ES module loader for no gain.
 */
function load<M>(id: string): M {
  return require(id) as M;
}

/** Wraps a value check that throws (a CaracalError naming the flag) so that commander reports it as a usage error. */
function checked<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

function wholeNumber(flag: string, min: number, max: number) {
  return checked((text) => {
    const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
    if (!(n >= min && n <= max)) throw new Error(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
    return n;
  });
}

function format(choices: readonly string[], fallback: string): Option {
  return new Option('--format <format>', 'how to print the result').choices(choices).default(fallback);
}

const TABLE_OR_JSON = ['table', 'json'] as const;

/** The gRPC API's address and credentials; see `apiHelp`. */
function apiOptions(cmd: Command): Command {
  return cmd
    .option('--endpoint <host:port>', 'the API (default CARACAL_ENDPOINT, then the data dir of "caracal start")')
    .option('--token <token>', 'an API token (default CARACAL_TOKEN, then the data dir)');
}

function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`);
}

type Action = (ctx: CliContext, args: unknown[], opts: Opts) => Promise<number> | number;

/** Runs `action` with the positional arguments and the options commander parsed, and records its exit code. */
function bind(ctx: CliContext, cmd: Command, action: Action): Command {
  return cmd.action(async (...params: unknown[]) => {
    const command = params[params.length - 1] as Command;
    ctx.exitCode = await action(ctx, params.slice(0, -2), command.opts() as Opts);
  });
}

/** A command with subcommands: run without one, it prints its help and exits 2. */
function group(parent: Command, name: string, description: string): Command {
  return parent.command(name).description(description);
}

function addRunCommands(program: Command, ctx: CliContext): void {
  examples(
    bind(
      ctx,
      program.command('start').description('run everything in this process (embedded mode: chdb lake, in-process bus); prints the endpoints and credentials'),
      (c) => load<typeof import('./serve-command')>('./serve-command').startCommand(c.config(), c.io),
    ),
    ['caracal start', 'CARACAL_DATA_DIR=/var/lib/caracal caracal start'],
  );
  examples(
    bind(
      ctx,
      program
        .command('serve')
        .description('run some services in this process (kafka mode: one service per pod)')
        .argument('<services...>', 'ingest, rules-worker, alert-stage, clickhouse-writer, api, scheduler (or comma-separated)'),
      (c, [services]) => load<typeof import('./serve-command')>('./serve-command').serveCommand(c.config(), services as string[], c.io),
    ),
    ['caracal serve ingest', 'caracal serve rules-worker,alert-stage'],
  );
  examples(
    bind(
      ctx,
      program
        .command('send')
        .description('send events to an HTTP source: JSON objects, JSON arrays or NDJSON, files of any size ("-" reads stdin)')
        .argument('<files...>', 'event files; "-" is standard input')
        .option('--source <id>', 'the source (default: the data dir\'s demo source)')
        .option('--url <url>', 'ingest\'s base URL (default CARACAL_INGEST_URL, then the data dir)')
        .option('--secret <secret>', 'the source\'s secret (default CARACAL_SOURCE_SECRET, then the data dir); prefer --secret-file')
        .option('--secret-file <file>', 'read the secret from a file ("-" for stdin)')
        .addOption(new Option('--auth <mode>', 'how the source authenticates (default: the data dir\'s source\'s, else shared-secret)').choices(['shared-secret', 'hmac-sha256', 'bearer']))
        .option('--header <name>', 'the secret\'s or signature\'s header when not the default')
        .option('--max-body-bytes <bytes>', 'the largest request body sent (events are never split)', wholeNumber('--max-body-bytes', 1024, 64 * 1024 * 1024))
        .option('--retries <n>', 'attempts after the first on 429, 503 and connection errors', wholeNumber('--retries', 0, 100), 5)
        .option('--progress', 'show a progress line on stderr even when it is not a terminal')
        .option('--no-progress', 'never show the progress line')
        .addOption(format(['text', 'json'], 'text')),
      (c, [files], opts) => load<typeof import('./send-command')>('./send-command').sendCommand(c.config(), files as string[], opts, c.io),
    ),
    [
      'caracal send events.ndjson',
      'caracal send --source okta-3f9c --url https://ingest.example.com --secret-file okta.secret --auth hmac-sha256 okta-*.json.gz',
      'zcat big.ndjson.gz | caracal send --source panther-audit -',
    ],
  );
  examples(
    bind(
      ctx,
      apiOptions(
        program
          .command('query')
          .description("run SQL over your tenant's data lake (ClickHouse SQL with the Panther macros)")
          .argument('<sql>', 'one SELECT, quoted')
          .addOption(format(TABLE_OR_JSON, 'table')),
      ),
      (c, [sql], opts) => load<typeof import('./query-command')>('./query-command').queryCommand(c.config(), sql as string, opts, c.io),
    ),
    [
      `caracal query "SELECT actionName, count() FROM panther_logs.panther_audit WHERE p_occurs_since('1 day') GROUP BY 1"`,
      'caracal query "SELECT * FROM panther_views.all_logs LIMIT 10" --format json | jq .',
    ],
  );
  examples(
    bind(
      ctx,
      program
        .command('status')
        .description('what runs, lag per stage, the last errors and the data dir\'s size (exit 1 when something asked for is down or not ready)')
        .option('--ops <url...>', 'ops endpoints of the processes (kafka mode: one per service); default: the data dir\'s running process')
        .addOption(format(TABLE_OR_JSON, 'table')),
      (c, _args, opts) => load<typeof import('./status-command')>('./status-command').statusCommand(c.config(), opts, c.io),
    ),
    ['caracal status', 'caracal status --ops http://ingest-0:9464 http://rules-worker-0:9464 --format json'],
  );
  examples(
    bind(
      ctx,
      program
        .command('test')
        .description('run the Tests of the detections in a content directory (default CARACAL_RULES_DIR)')
        .argument('[dir]', 'a content directory in the Panther layout')
        .option('--filter <RuleID>', 'only this RuleID or PolicyID; * matches any characters; repeatable', (v: string, prev: string[] = []) => [...prev, v])
        .addOption(format(['text', 'json', 'junit'], 'text'))
        .option('--minimum-tests <n>', 'fail a detection with fewer Tests', wholeNumber('--minimum-tests', 0, 1000), 0)
        .option('--progress', 'show a progress line on stderr even when it is not a terminal')
        .option('--no-progress', 'never show the progress line'),
      (c, [dir], opts) => load<typeof import('./test-command')>('./test-command').testCommand(c.config(), dir as string | undefined, opts, c.io),
    ),
    ['caracal test rules/', "caracal test rules/ --filter 'Panther.Audit.*' --format junit > report.xml", 'caracal test --minimum-tests 2'],
  );
}

function addAlerts(program: Command, ctx: CliContext): void {
  const alerts = group(program, 'alerts', 'the alert lifecycle: list, read, triage, assign, comment');
  const m = () => load<typeof import('./alerts-command')>('./alerts-command');
  const alertFlags = () => load<typeof import('./alert-cli-flags')>('./alert-cli-flags');
  examples(
    bind(
      ctx,
      apiOptions(
        alerts
          .command('list')
          .description('alerts, newest first, filtered')
          .option('--status <names>', 'OPEN, TRIAGED, RESOLVED, CLOSED (comma-separated)', checked((t) => alertFlags().parseStatuses(t)))
          .option('--severity <names>', 'INFO, LOW, MEDIUM, HIGH, CRITICAL (comma-separated)', checked((t) => alertFlags().parseSeverities(t)))
          .option('--rule <RuleID>', 'only this rule\'s alerts')
          .option('--since <time>', 'created at or after this ISO 8601 time', checked((t) => alertFlags().parseIsoTime('--since', t)))
          .option('--until <time>', 'created before this ISO 8601 time', checked((t) => alertFlags().parseIsoTime('--until', t)))
          .option('--limit <n>', 'at most this many (default 50)', wholeNumber('--limit', 1, 1000))
          .option('--page-token <token>', 'the next page, as the previous page printed')
          .addOption(format(TABLE_OR_JSON, 'table')),
      ),
      (c, _a, o) => m().alertsList(c.config(), o, c.io),
    ),
    ['caracal alerts list --status OPEN,TRIAGED --severity HIGH,CRITICAL', 'caracal alerts list --rule Panther.Detection.Deleted --since 2026-12-01 --format json'],
  );
  examples(
    bind(
      ctx,
      apiOptions(
        alerts
          .command('get')
          .description('an alert with its matched events, activity and deliveries')
          .argument('<alertId>')
          .option('--events <n>', 'matched events to show (default 10)', wholeNumber('--events', 0, 1000))
          .addOption(format(TABLE_OR_JSON, 'table'))
          .addOption(new Option('--json', 'the same as --format json').hideHelp()),
      ),
      (c, [id], o) => m().alertsGet(c.config(), id as string, o, c.io),
    ),
    ['caracal alerts get 0c3f2e9a4b1d', 'caracal alerts get 0c3f2e9a4b1d --events 100 --format json'],
  );
  examples(
    bind(
      ctx,
      apiOptions(
        alerts
          .command('update')
          .description('set the status of one or more alerts')
          .argument('<alertIds...>')
          .addOption(new Option('--status <status>', 'the new status').choices(['OPEN', 'TRIAGED', 'RESOLVED', 'CLOSED']).makeOptionMandatory())
          .addOption(format(TABLE_OR_JSON, 'table')),
      ),
      (c, [ids], o) => m().alertsUpdate(c.config(), ids as string[], o, c.io),
    ),
    ['caracal alerts update 0c3f2e9a4b1d 7d1e0a2c9f3b --status RESOLVED'],
  );
  examples(
    bind(
      ctx,
      apiOptions(alerts.command('assign').description('assign an alert ("" unassigns)').argument('<alertId>').argument('<assignee>').addOption(format(TABLE_OR_JSON, 'table'))),
      (c, [id, who], o) => m().alertsAssign(c.config(), id as string, who as string, o, c.io),
    ),
    ['caracal alerts assign 0c3f2e9a4b1d alice@example.com', 'caracal alerts assign 0c3f2e9a4b1d ""'],
  );
  examples(
    bind(
      ctx,
      apiOptions(alerts.command('comment').description("add a comment to an alert's activity").argument('<alertId>').argument('<text...>').addOption(format(TABLE_OR_JSON, 'table'))),
      (c, [id, words], o) => m().alertsComment(c.config(), id as string, (words as string[]).join(' '), o, c.io),
    ),
    ['caracal alerts comment 0c3f2e9a4b1d "benign: the quarterly access review"'],
  );
}

function addDetections(program: Command, ctx: CliContext): void {
  const detections = group(program, 'detections', "the tenant's detections: list, read, add, test, replay over the lake");
  const m = () => load<typeof import('./detections-command')>('./detections-command');
  const target = '<RuleID | file.yml>';
  examples(
    bind(ctx, apiOptions(detections.command('list').description('the detections, with their log types and versions').option('--log-type <LogType>', 'only those of this log type').addOption(format(TABLE_OR_JSON, 'table'))), (c, _a, o) =>
      m().detectionsList(c.config(), o, c.io),
    ),
    ['caracal detections list --log-type Okta.SystemLog'],
  );
  examples(
    bind(ctx, apiOptions(detections.command('get').description("a detection's YAML and Python").argument('<RuleID>').addOption(format(['yaml', 'json'], 'yaml'))), (c, [id], o) =>
      m().detectionsGet(c.config(), id as string, o, c.io),
    ),
    ['caracal detections get Panther.Detection.Deleted > rule.txt'],
  );
  examples(
    bind(
      ctx,
      apiOptions(
        detections
          .command('put')
          .description("add or replace a detection; its Tests run first and must pass unless --skip-tests")
          .argument('<file.yml>', 'the spec; its Python is the spec\'s Filename, beside it, unless --python')
          .option('--python <file.py>', 'the Python file')
          .option('--skip-tests', 'store it even when Tests fail')
          .addOption(format(TABLE_OR_JSON, 'table')),
      ),
      (c, [file], o) => m().detectionsPut(c.config(), file as string, o, c.io),
    ),
    ['caracal detections put rules/panther_audit/panther_detection_deleted.yml'],
  );
  examples(
    bind(ctx, apiOptions(detections.command('delete').description('delete a detection').argument('<RuleID>').addOption(format(TABLE_OR_JSON, 'table'))), (c, [id], o) =>
      m().detectionsDelete(c.config(), id as string, o, c.io),
    ),
    ['caracal detections delete Custom.Audit.OldRule'],
  );
  examples(
    bind(
      ctx,
      apiOptions(
        detections
          .command('test')
          .description('run a detection\'s Tests on the server, or run it on events (exit 1 when a Test fails)')
          .argument(target)
          .option('--python <file.py>', 'with a spec file: its Python')
          .option('--event <file>', 'run on the events of this file (JSON, JSON array or NDJSON); repeatable', (v: string, prev: string[] = []) => [...prev, v])
          .addOption(format(TABLE_OR_JSON, 'table')),
      ),
      (c, [t], o) => m().detectionsTest(c.config(), t as string, o, c.io),
    ),
    ['caracal detections test Panther.Detection.Deleted', 'caracal detections test my_rule.yml --event sample.ndjson'],
  );
  examples(
    bind(
      ctx,
      apiOptions(
        detections
          .command('replay')
          .description('what a detection would have raised over the lake\'s events, against the live alerts (Ctrl-C cancels; at most 90 days)')
          .argument(target)
          .option('--python <file.py>', 'with a spec file: its Python')
          .requiredOption('--since <when>', 'a duration back from now (7d, 24h, 90m) or an RFC 3339 time')
          .option('--until <when>', 'the same forms (default now)')
          .option('--progress', 'show a progress line on stderr even when it is not a terminal')
          .option('--no-progress', 'never show the progress line')
          .addOption(format(TABLE_OR_JSON, 'table')),
      ),
      (c, [t], o) => m().detectionsReplay(c.config(), t as string, o, c.io),
    ),
    ['caracal detections replay Panther.Detection.Deleted --since 7d', 'caracal detections replay my_rule.yml --since 2026-11-01 --until 2026-11-08 --format json'],
  );
}

function addSchedules(program: Command, ctx: CliContext): void {
  const schedules = group(program, 'schedules', "the tenant's scheduled queries and their runs");
  const m = () => load<typeof import('./schedules-command')>('./schedules-command');
  examples(bind(ctx, apiOptions(schedules.command('list').description('the scheduled queries: schedule, next run, last run').addOption(format(TABLE_OR_JSON, 'table'))), (c, _a, o) => m().schedulesList(c.config(), o, c.io)), [
    'caracal schedules list',
  ]);
  examples(
    bind(
      ctx,
      apiOptions(schedules.command('run').description('run a scheduled query now and wait for it (exit 1 unless it succeeded)').argument('<QueryName>').addOption(format(TABLE_OR_JSON, 'table'))),
      (c, [name], o) => m().schedulesRun(c.config(), name as string, o, c.io),
    ),
    ['caracal schedules run "Hourly Failed Logins"'],
  );
  examples(
    bind(
      ctx,
      apiOptions(
        schedules
          .command('runs')
          .description('the runs recorded, newest first')
          .option('--query <QueryName>', 'only this query\'s runs')
          .option('--limit <n>', 'at most this many (default 50)', wholeNumber('--limit', 1, 1000))
          .addOption(format(TABLE_OR_JSON, 'table')),
      ),
      (c, _a, o) => m().schedulesRuns(c.config(), o, c.io),
    ),
    ['caracal schedules runs --query "Hourly Failed Logins" --limit 10'],
  );
}

function addTokens(program: Command, ctx: CliContext): void {
  const tokens = group(program, 'tokens', "the tenant's API tokens (an admin token is needed)");
  const m = () => load<typeof import('./tokens-command')>('./tokens-command');
  examples(
    bind(
      ctx,
      apiOptions(
        tokens
          .command('create')
          .description('an API token, shown once')
          .requiredOption('--name <name>', 'what it is for')
          .addOption(new Option('--role <role>', 'what it may do').choices(['admin', 'analyst', 'read-only']).makeOptionMandatory())
          .addOption(format(TABLE_OR_JSON, 'table')),
      ),
      (c, _a, o) => m().tokensCreate(c.config(), o, c.io),
    ),
    ['caracal tokens create --name ci --role read-only'],
  );
  examples(bind(ctx, apiOptions(tokens.command('list').description('the tokens (never their secrets)').addOption(format(TABLE_OR_JSON, 'table'))), (c, _a, o) => m().tokensList(c.config(), o, c.io)), [
    'caracal tokens list --format json',
  ]);
  examples(
    bind(ctx, apiOptions(tokens.command('revoke').description('revoke a token; it is refused from now on').argument('<tokenId>').addOption(format(TABLE_OR_JSON, 'table'))), (c, [id], o) =>
      m().tokensRevoke(c.config(), id as string, o, c.io),
    ),
    ['caracal tokens revoke tok_5e2a'],
  );
}

function addSources(program: Command, ctx: CliContext): void {
  const sources = group(program, 'sources', "the tenant's ingest sources: HTTP, S3 buckets, Kafka topics (an admin token is needed)");
  const m = () => load<typeof import('./sources-command')>('./sources-command');
  const f = () => load<typeof import('./source-cli-flags')>('./source-cli-flags');
  examples(
    bind(
      ctx,
      apiOptions(
        sources
          .command('create')
          .description('an ingest source; the server makes its id (the start given and a random end) and shows an HTTP source\'s secret once')
          .requiredOption('--log-type <LogType>', 'the log type of its events, e.g. Panther.Audit, Okta.SystemLog, AWS.CloudTrail')
          .option('--id <start>', 'what its id starts with (default "src")')
          .option('--label <text>', 'a name for people')
          .addOption(new Option('--transport <transport>', 'how events arrive').choices(['http', 's3', 'kafka']))
          .addOption(new Option('--auth <mode>', 'http: how senders authenticate (default shared-secret)').choices(['shared-secret', 'hmac-sha256', 'bearer']))
          .option('--header <name>', 'http: the secret\'s or signature\'s header')
          .option('--rate-limit <n>', 'http: requests per second', checked((t) => f().parseRateLimit(t)))
          .option('--bucket <bucket>', 's3: the bucket')
          .option('--prefix <prefix>', 's3: only keys under this prefix')
          .option('--region <region>', 's3: its region (default us-east-1)')
          .option('--s3-endpoint <url>', 's3: an S3-compatible server (an http(s) URL in --endpoint means the same)')
          .option('--virtual-hosted-style', 's3: the bucket in the host name, not the path, with --s3-endpoint')
          .option('--access-key-id <id>', 's3: the access key')
          .option('--secret-access-key-file <file>', 's3: a file holding the secret key ("-" for stdin)')
          .option('--brokers <list>', 'kafka: host:port[,host:port...]')
          .option('--topic <topic>', 'kafka: the topic')
          .option('--tls', 'kafka: connect with TLS')
          .addOption(new Option('--sasl-mechanism <mechanism>', 'kafka: SASL').choices(['plain', 'scram-sha-256', 'scram-sha-512']))
          .option('--sasl-username <name>', 'kafka: SASL user')
          .option('--sasl-password-file <file>', 'kafka: a file holding the SASL password ("-" for stdin)')
          .addOption(format(TABLE_OR_JSON, 'table')),
      ),
      (c, _a, o) => m().sourcesCreate(c.config(), o, c.io),
    ),
    [
      'caracal sources create --log-type Okta.SystemLog --id okta --auth hmac-sha256',
      'caracal sources create --log-type AWS.CloudTrail --transport s3 --bucket acme-trail --prefix AWSLogs/ --access-key-id AKIA... --secret-access-key-file key.txt',
      'caracal sources create --log-type Panther.Audit --transport kafka --brokers k1:9092,k2:9092 --topic audit --tls',
    ],
  );
  examples(
    bind(
      ctx,
      apiOptions(
        sources
          .command('rotate')
          .description("an HTTP source's new secret, shown once; the old one stays valid a while")
          .argument('<sourceId>')
          .option('--previous-valid <duration>', 'how long the old secret stays valid: seconds or 24h, 30m, 1h30m (default 24h; 0 refuses it at once)', checked((t) => f().parsePreviousValid(t)))
          .addOption(format(TABLE_OR_JSON, 'table')),
      ),
      (c, [id], o) => m().sourcesRotate(c.config(), id as string, o, c.io),
    ),
    ['caracal sources rotate okta-3f9c --previous-valid 1h'],
  );
  examples(bind(ctx, apiOptions(sources.command('list').description('the sources and their secrets\' ids and expiry (never the secrets)').addOption(format(TABLE_OR_JSON, 'table'))), (c, _a, o) => m().sourcesList(c.config(), o, c.io)), [
    'caracal sources list',
  ]);
  examples(
    bind(ctx, apiOptions(sources.command('delete').description('delete a source; its secret is refused from now on').argument('<sourceId>').addOption(format(TABLE_OR_JSON, 'table'))), (c, [id], o) =>
      m().sourcesDelete(c.config(), id as string, o, c.io),
    ),
    ['caracal sources delete okta-3f9c'],
  );
}

function addOperatorCommands(program: Command, ctx: CliContext): void {
  const destinations = group(program, 'destinations', 'alert destinations, in the control file (run where CARACAL_CONTROL_FILE is kept)');
  const d = () => load<typeof import('./destinations-command')>('./destinations-command');
  examples(
    bind(
      ctx,
      destinations
        .command('create')
        .description("add an alert destination (a webhook's signing secret is shown once)")
        .requiredOption('--tenant <id>', 'the tenant')
        .requiredOption('--id <id>', 'its id')
        .addOption(new Option('--type <type>', 'where alerts go').choices(['webhook', 'slack']).makeOptionMandatory())
        .requiredOption('--url <url>', 'the webhook or Slack incoming-webhook URL')
        .option('--name <name>', 'a name for people')
        .option('--severities <names>', 'severities delivered by default (comma-separated)')
        .addOption(format(TABLE_OR_JSON, 'table')),
      (c, _a, o) => d().destinationsCreate(c.config(), o, c.io),
    ),
    ['caracal destinations create --tenant acme --id soc-hook --type webhook --url https://soc.example.com/hook --severities HIGH,CRITICAL'],
  );
  examples(
    bind(ctx, destinations.command('list').description("a tenant's destinations (URLs shown without their secret parts)").requiredOption('--tenant <id>', 'the tenant').addOption(format(TABLE_OR_JSON, 'table')), (c, _a, o) =>
      d().destinationsList(c.config(), o, c.io),
    ),
    ['caracal destinations list --tenant acme'],
  );
  const tenants = group(program, 'tenants', 'tenants, in the control file (run where CARACAL_CONTROL_FILE is kept)');
  const t = () => load<typeof import('./tenants-command')>('./tenants-command');
  examples(
    bind(ctx, tenants.command('create').description('a tenant and its first admin token (shown once)').argument('<tenantId>').option('--name <name>', 'a name for people').addOption(format(TABLE_OR_JSON, 'table')), (c, [id], o) =>
      t().tenantsCreate(c.config(), id as string, o, c.io),
    ),
    ['caracal tenants create acme --name "Acme Corp"'],
  );
  examples(bind(ctx, tenants.command('list').description('the tenants and how many sources, tokens and destinations each has').addOption(format(TABLE_OR_JSON, 'table')), (c, _a, o) => t().tenantsList(c.config(), o, c.io)), [
    'caracal tenants list --format json',
  ]);
}

function addCompletion(program: Command, ctx: CliContext): void {
  examples(
    bind(
      ctx,
      program
        .command('completion')
        .description('print a completion script for a shell')
        .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish'])),
      (c, [shell]) => {
        c.io.out(load<typeof import('./completion-script')>('./completion-script').completionScript(program, shell as 'bash' | 'zsh' | 'fish'));
        return 0;
      },
    ),
    [
      'caracal completion bash > /etc/bash_completion.d/caracal',
      'caracal completion zsh > "${fpath[1]}/_caracal"',
      'caracal completion fish > ~/.config/fish/completions/caracal.fish',
    ],
  );
}

export const EXIT_CODES_HELP = `
Exit codes:
  0    done; for send, every event accepted; for test, every Test passed
  1    the command failed: an error from the server or a file, a refused event, a failing Test,
       a scheduled run that did not succeed, a status with something down
  2    the command line is wrong: an unknown command or flag, a missing argument, a value out of range
  130  cancelled with Ctrl-C

Environment: CARACAL_DATA_DIR (default ./.caracal) holds what "caracal start" made: the commands
on the same machine find the endpoints and credentials there. Elsewhere: --endpoint and --token
(or CARACAL_ENDPOINT, CARACAL_TOKEN) for the API commands, --url and --secret-file for send.`;

/** The whole command tree. Actions load their modules when they run. */
export function buildProgram(ctx: CliContext): Command {
  // Settings made before the subcommands are added are inherited by them.
  const program = new Command('caracal')
    .description('Caracal: streaming detections for audit logs')
    .version((require('../package.json') as { version: string }).version, '-V, --version', 'print the version')
    .helpCommand(true)
    .showHelpAfterError('(add --help for usage and examples)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.out(text.replace(/\n$/, '')),
      writeErr: (text) => ctx.io.err(text.replace(/\n$/, '')),
      // One form for every error the CLI prints: "caracal: <what is wrong>".
      outputError: (text, write) => write(`caracal: ${text.replace(/^error: /, '')}`),
    })
    .addHelpText('after', EXIT_CODES_HELP);
  addRunCommands(program, ctx);
  addAlerts(program, ctx);
  addDetections(program, ctx);
  addSchedules(program, ctx);
  addTokens(program, ctx);
  addSources(program, ctx);
  addOperatorCommands(program, ctx);
  addCompletion(program, ctx);
  return program;
}
