import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { CaracalClient } from '@caracal/api';
import { toClickHouseTime } from '@caracal/core/messages';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { repoRoot, tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// A second log type that exists only as configuration (its YAML schema and
// one rule): GitHub audit events in over HTTP through a source made with the
// API, out through `caracal query` and `caracal alerts`.
const RULE_ID = 'GitHub.Branch.ProtectionDisabled';
const REPO = 'springfield-nuclear/reactor-control';
const dataDir = tempDir('e2e-github');
const env = {
  CARACAL_DATA_DIR: dataDir,
  CARACAL_HTTP_PORT: '0',
  CARACAL_GRPC_PORT: '0',
  CARACAL_LOG_LEVEL: 'warn',
  CARACAL_RULES_DIR: path.join(repoRoot(), 'rules'),
};
let caracal: CaracalProcess;
let client: CaracalClient;
let creds: { tenantId: string; token: string; grpcEndpoint: string; ingestUrl: string };
let source: { id: string; header: string; secret: string };

before(async () => {
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Stop with Ctrl-C/);
  creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8'));
  client = new CaracalClient(creds.grpcEndpoint, creds.token);
  const created = await client.createSource({ sourceId: 'github-enterprise', logType: 'GitHub.Audit', label: 'GitHub audit log stream' });
  assert.equal(created.source?.logType, 'GitHub.Audit');
  // The header a shared secret travels in, as the server reports it (x-caracal-secret unless asked otherwise).
  const reported = created.source as unknown as Record<string, unknown>;
  const header = [reported.authHeader, reported.secretHeader].find((h): h is string => typeof h === 'string' && h !== '') ?? 'x-caracal-secret';
  // The id is the server's: the start asked for and a random end.
  source = { id: created.source!.sourceId, header, secret: created.secret };
});

after(async () => {
  client?.close();
  await caracal?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function cli(args: string[]): string {
  const r = runCaracal(args, env);
  assert.equal(r.status, 0, `caracal ${args.join(' ')} failed: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function query<T = Record<string, unknown>>(sql: string): T[] {
  return JSON.parse(cli(['query', sql, '--format', 'json'])) as T[];
}

/**
 * POSTs events to the GitHub source on a connection of its own. fetch would
 * reuse a pooled keep-alive socket, and the synchronous CLI calls of the
 * waits hold the event loop past the server's keep-alive timeout, so that
 * socket may be one the server has already closed.
 */
function postEvents(body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${creds.ingestUrl}/http/${source.id}`,
      { method: 'POST', agent: false, headers: { [source.header]: source.secret, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const base = Date.now() - 120_000;
let documents = 0;

/** A GitHub audit event as the enterprise audit log stream delivers it. */
function githubEvent(action: string, offsetMs: number, fields: Record<string, unknown> = {}) {
  documents += 1;
  return {
    '@timestamp': base + offsetMs,
    _document_id: `doc-${documents}-Xq3bWsdCsmVqr9ZbUqfB5A`,
    action,
    actor: 'mona-admin',
    actor_id: 8675309,
    actor_ip: '198.51.100.23',
    actor_location: { country_code: 'US' },
    business: 'springfield',
    created_at: base + offsetMs + 5,
    external_identity_nameid: 'Mona.Admin@Springfield.example',
    operation_type: 'remove',
    org: 'springfield-nuclear',
    org_id: 4242,
    repo: REPO,
    request_id: `C0A8:1F2E:3B4C:${documents}`,
    user_agent: 'Mozilla/5.0 (X11; Linux x86_64)',
    // Not in the schema: kept in p_extra_fields, and the rule reads it where it was sent.
    name: 'main',
    ...fields,
  };
}

test('GitHub audit events are normalized by the YAML schema, land in panther_logs.github_audit, and the rule raises one alert', async () => {
  const negatives = [
    githubEvent('protected_branch.create', 0, { operation_type: 'create' }),
    githubEvent('repo.create', 1_000, { operation_type: 'create', repo: 'springfield-nuclear/new-repo', visibility: 'private', actor_ip: '203.0.113.9' }),
  ];
  const positives = [githubEvent('protected_branch.destroy', 2_000, { name: 'main' }), githubEvent('protected_branch.destroy', 3_000, { name: 'release/*' })];
  // The negatives go first in the same body: once the alert exists, they were evaluated too.
  const events = [...negatives, ...positives];
  const { status, text: answer } = await postEvents(events);
  assert.equal(status, 200, answer);
  assert.equal((JSON.parse(answer) as { accepted: number }).accepted, 4, answer);

  const alerts = await waitFor('the branch protection alert', async () => {
    const list = (JSON.parse(cli(['alerts', 'list', '--format', 'json'])) as Record<string, unknown>[]).filter((a) => a.ruleId === RULE_ID);
    return list.length > 0 && list[0].eventCount === 2 ? list : undefined;
  });
  assert.equal(alerts.length, 1, 'both removals dedup into one alert');
  assert.equal(alerts[0].title, `Branch protection removed from ${REPO} by mona-admin`);
  assert.equal(alerts[0].severity, 'HIGH');

  const rows = await waitFor('the four events in panther_logs.github_audit', async () => {
    const r = query(
      `SELECT action, actor, repo, org_id, toString(p_event_time) AS event_time, toString(\`@timestamp\`) AS at,
              toString(created_at) AS created, p_log_type, p_tenant_id, p_source_id, p_schema_version,
              p_any_ip_addresses, p_any_usernames, p_any_emails, p_any_trace_ids, p_any_actor_ids,
              toString(actor_location.country_code) AS country
       FROM panther_logs.github_audit ORDER BY p_event_time`,
    );
    return r.length === 4 ? r : undefined;
  });
  rows.forEach((row, i) => {
    const sent = events[i];
    assert.equal(row.action, sent.action);
    assert.equal(row.event_time, toClickHouseTime(new Date(sent['@timestamp'])), 'the event time is @timestamp');
    assert.equal(row.at, row.event_time);
    assert.equal(row.created, toClickHouseTime(new Date(sent.created_at)));
    assert.equal(row.p_log_type, 'GitHub.Audit');
    assert.equal(row.p_tenant_id, creds.tenantId);
    assert.equal(row.p_source_id, source.id);
    assert.equal(Number(row.p_schema_version), 1);
    assert.equal(Number(row.org_id), 4242);
    assert.deepEqual(row.p_any_ip_addresses, [sent.actor_ip]);
    assert.deepEqual(row.p_any_usernames, ['mona-admin']);
    assert.deepEqual(row.p_any_emails, ['mona.admin@springfield.example']);
    assert.deepEqual(row.p_any_trace_ids, [sent.request_id]);
    assert.deepEqual(row.p_any_actor_ids, ['8675309']);
    assert.equal(row.country, 'US');
  });
  const columns = query('SELECT * FROM panther_logs.github_audit LIMIT 1');
  assert.ok(!('name' in columns[0]), 'a field the schema does not declare is not a column of its own');
  const extras = query<{ name: string }>('SELECT toString(p_extra_fields.name) AS name FROM panther_logs.github_audit ORDER BY p_event_time');
  assert.deepEqual(
    extras.map((r) => r.name),
    events.map((e) => e.name),
    'it is kept in the catch-all column',
  );

  const matches = await waitFor('both matches in panther_rule_matches.github_audit', async () => {
    const r = query<{ action: string; p_rule_id: string; context: string }>(
      'SELECT action, p_rule_id, p_alert_context AS context FROM panther_rule_matches.github_audit ORDER BY p_event_time',
    );
    return r.length === 2 ? r : undefined;
  });
  assert.deepEqual(
    matches.map((m) => [m.action, m.p_rule_id, (JSON.parse(m.context) as { branch: unknown }).branch]),
    [
      ['protected_branch.destroy', RULE_ID, 'main'],
      ['protected_branch.destroy', RULE_ID, 'release/*'],
    ],
    'the rule read the undeclared field where the sender put it',
  );
  const errors = query<{ n: unknown }>('SELECT count() AS n FROM panther_rule_errors.github_audit');
  assert.equal(Number(errors[0].n), 0);
});

test('an invalid GitHub event is refused, each problem named with its field', async () => {
  const { status, text: answer } = await postEvents({ actor: 'mona-admin', '@timestamp': 'yesterday', actor_id: 'mona' });
  assert.equal(status, 400, answer);
  const problems = (JSON.parse(answer) as { rejected: { problems: { field: string; problem: string }[] }[] }).rejected[0].problems;
  assert.deepEqual(Object.fromEntries(problems.map((p) => [p.field, p.problem])), {
    action: 'is required',
    '@timestamp': 'must be a timestamp (unix_ms or lake) from 1900 to 2299; got "yesterday"',
    actor_id: 'must be a whole number within ±9007199254740991 (or its digits as a string)',
  });
});
