import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataLakeQueryEvent, deleteDetectionEvent } from '../support/audit-events';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const EXPECTED_TITLE = "Detection 'GitHub.Team.Modified' deleted by user homer@springfield.gov";
const SEED_QUERY = "SELECT * FROM panther_logs.panther_audit WHERE p_occurs_since('1 day');";

// The whole system in one process, driven only through the `caracal` command.
const dataDir = tempDir('e2e-embedded');
const env = { CARACAL_DATA_DIR: dataDir, CARACAL_HTTP_PORT: '0', CARACAL_GRPC_PORT: '0', CARACAL_LOG_LEVEL: 'warn' };
let caracal: CaracalProcess;

before(async () => {
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Stop with Ctrl-C/);
});

after(async () => {
  await caracal?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function cli(args: string[]) {
  const r = runCaracal(args, env);
  assert.equal(r.status, 0, `caracal ${args.join(" ")} failed: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test('first start creates the demo tenant, source and token and keeps them in the data dir', () => {
  const creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8'));
  assert.equal(creds.tenantId, 'demo');
  assert.equal(creds.sourceId, 'panther-audit');
  assert.match(creds.token, /^crc_/);
  assert.match(caracal.stdout, new RegExp(`authorization: Bearer ${creds.token}`));
  const control = fs.readFileSync(path.join(dataDir, 'control.json'), 'utf8');
  assert.ok(!control.includes(creds.token), 'the control file must keep only the hash of the token');
  assert.ok(!control.includes(creds.sourceSecret), 'the control file must keep only the hash of the source secret');
});

test('a deleted detection raises one alert with its title; the seed query returns the events; other events raise nothing', async () => {
  const file = path.join(dataDir, 'events.ndjson');
  // The non-delete event goes first: once the delete's alert exists, it was evaluated too.
  fs.writeFileSync(file, [dataLakeQueryEvent(), deleteDetectionEvent()].map((e) => JSON.stringify(e)).join('\n') + '\n');
  const sent = cli(['send', '--source', 'panther-audit', '--format', 'json', file]);
  assert.match(sent, /"accepted":2,"refused":0/);

  const alerts = await waitFor('the deleted-detection alert', async () => {
    const list = JSON.parse(cli(['alerts', 'list', '--format', 'json'])) as Record<string, unknown>[];
    return list.length > 0 ? list : undefined;
  });
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].title, EXPECTED_TITLE);
  assert.equal(alerts[0].ruleId, 'Panther.Detection.Deleted');
  assert.equal(alerts[0].severity, 'INFO');
  assert.equal(alerts[0].status, 'RESOLVED', 'a new Info alert starts RESOLVED');
  assert.equal(alerts[0].eventCount, 1);

  // The seed query also returns Caracal's own audit events of these very CLI calls (source caracal-api).
  const rows = await waitFor('the seed query to return both events', async () => {
    const r = (JSON.parse(cli(['query', SEED_QUERY, '--format', 'json'])) as Record<string, unknown>[]).filter((e) => e.p_source_id === 'panther-audit');
    return r.length === 2 ? r : undefined;
  });
  assert.deepEqual(rows.map((r) => r.actionName).sort(), ['DELETE_DETECTION', 'EXECUTE_DATA_LAKE_QUERY']);
  for (const r of rows) {
    assert.equal(r.p_tenant_id, 'demo');
    assert.equal(r.p_log_type, 'Panther.Audit');
    assert.equal(r.p_source_id, 'panther-audit');
  }
  const matches = JSON.parse(cli(['query', 'SELECT actionName, p_rule_id FROM panther_rule_matches.panther_audit', '--format', 'json']));
  assert.deepEqual(matches, [{ actionName: 'DELETE_DETECTION', p_rule_id: 'Panther.Detection.Deleted' }]);
});

test('a table result prints for people, and a bad query fails with a clear error', () => {
  const table = cli(['query', "SELECT actionName FROM panther_logs.panther_audit WHERE p_source_id = 'panther-audit' ORDER BY actionName"]);
  assert.match(table, /^actionName\s*\n-+\nDELETE_DETECTION\nEXECUTE_DATA_LAKE_QUERY\n\(2 rows/m);
  const bad = runCaracal(['query', 'DROP TABLE panther_logs.panther_audit'], env);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /only SELECT queries are allowed/);
  const typo = runCaracal(['query', "SELECT * FROM panther_logs.panther_audit WHERE p_occurs_since('1 fortnight')"], env);
  assert.equal(typo.status, 1);
  assert.match(typo.stderr, /p_occurs_since: cannot read offset '1 fortnight'/);
});

test('data and alerts survive a restart, and nothing is evaluated twice', async () => {
  await caracal.stop();
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Stop with Ctrl-C/);
  const rows = JSON.parse(cli(['query', "SELECT count() AS n FROM panther_logs.panther_audit WHERE p_source_id = 'panther-audit'", '--format', 'json']));
  assert.equal(Number(rows[0].n), 2);
  const alerts = JSON.parse(cli(['alerts', 'list', '--format', 'json']));
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].eventCount, 1);
});

// Caracal audits its own API calls as Panther.Audit events of the caller's
// tenant, so the shipped pack sees them like a console's. A read-only token
// goes first: it must raise nothing, and once the admin token's alert exists
// its (earlier) audit event has been evaluated too.
test("API calls through the CLI are audited and raise the pack's alerts: an admin token created, a source deleted", async () => {
  assert.match(cli(['tokens', 'create', '--name', 'dashboards', '--role', 'read-only']), /created: "dashboards", role read-only/);
  assert.match(cli(['tokens', 'create', '--name', 'ci-admin', '--role', 'admin']), /created: "ci-admin", role admin/);
  const created = cli(['sources', 'create', '--log-type', 'Panther.Audit', '--id', 'okta-prod', '--label', 'Okta prod']);
  const sourceId = /source "([^"]+)" created/.exec(created)?.[1];
  assert.ok(sourceId, created);
  assert.match(cli(['sources', 'delete', sourceId]), new RegExp(sourceId));

  const alertOf = (ruleId: string) =>
    waitFor(`the ${ruleId} alert`, async () => {
      const list = (JSON.parse(cli(['alerts', 'list', '--format', 'json'])) as Record<string, unknown>[]).filter((a) => a.ruleId === ruleId);
      return list.length > 0 ? list : undefined;
    });

  const tokenAlerts = await alertOf('Panther.API.Token.Privileged');
  assert.equal(tokenAlerts.length, 1, 'the read-only token raised nothing');
  assert.equal(tokenAlerts[0].title, "API token 'ci-admin' created with admin rights by token admin");
  assert.equal(tokenAlerts[0].severity, 'HIGH');
  assert.equal(tokenAlerts[0].status, 'OPEN');
  assert.equal(tokenAlerts[0].eventCount, 1);

  const sourceAlerts = await alertOf('Panther.Log.Source.Removed');
  assert.equal(sourceAlerts.length, 1);
  assert.equal(sourceAlerts[0].title, `Log source '${sourceId}' deleted by token admin`);
  assert.equal(sourceAlerts[0].severity, 'MEDIUM');

  // The matches are Caracal's own events (source caracal-api) in the tenant's lake.
  const matches = await waitFor('the rule matches of the API calls', async () => {
    const rows = JSON.parse(
      cli(['query', "SELECT actionName, p_rule_id, p_source_id, p_tenant_id FROM panther_rule_matches.panther_audit WHERE p_source_id = 'caracal-api' ORDER BY actionName", '--format', 'json']),
    ) as Record<string, unknown>[];
    return rows.length >= 2 ? rows : undefined;
  });
  assert.deepEqual(matches, [
    { actionName: 'CREATE_API_TOKEN', p_rule_id: 'Panther.API.Token.Privileged', p_source_id: 'caracal-api', p_tenant_id: 'demo' },
    { actionName: 'DELETE_LOG_SOURCE', p_rule_id: 'Panther.Log.Source.Removed', p_source_id: 'caracal-api', p_tenant_id: 'demo' },
  ]);
});

// The bulk rule counts detections per actor and clock hour in the tenant's
// shared cache (no Mocks here: the real store). Nine deletions put at least
// five into one hour even if the calls straddle an hour boundary.
test('detections deleted one by one through the API add up in the cache and raise the bulk alert', async () => {
  const doomed = [
    'GitHub.Branch.ProtectionDisabled',
    'Panther.SAML.Modified',
    'Panther.User.Modified',
    'Panther.Authentication.Weakened',
    'Panther.DataLake.Large.Query',
    'Panther.Alerts.Bulk.Closed',
    'Panther.SignIn.Repeated.Failures',
    'Panther.Actor.New.Location',
    'Panther.Sensitive.Role',
  ];
  for (const ruleId of doomed) assert.match(cli(['detections', 'delete', ruleId]), new RegExp(`deleted ${ruleId}`));

  const bulk = await waitFor('the bulk-disabled alert', async () => {
    const list = (JSON.parse(cli(['alerts', 'list', '--format', 'json'])) as Record<string, unknown>[]).filter((a) => a.ruleId === 'Panther.Detections.Bulk.Disabled');
    return list.length > 0 ? list : undefined;
  });
  assert.equal(bulk.length, 1, 'one alert per actor');
  assert.equal(bulk[0].title, 'Detections disabled or deleted in bulk by token admin');
  assert.equal(bulk[0].severity, 'HIGH');
  assert.ok(Number(bulk[0].eventCount) >= 1 && Number(bulk[0].eventCount) <= 5, `deletions 5 to 9 of one hour match: ${String(bulk[0].eventCount)}`);
});
