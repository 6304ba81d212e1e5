import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { CaracalClient } from '@caracal/api';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { repoRoot, tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// Alerts through the public interfaces only: events in over HTTP, alerts and
// their events out over gRPC, deliveries to a real webhook receiver on loopback.
const dataDir = tempDir('e2e-alerts');
const env = {
  CARACAL_DATA_DIR: dataDir,
  CARACAL_HTTP_PORT: '0',
  CARACAL_GRPC_PORT: '0',
  CARACAL_LOG_LEVEL: 'warn',
  CARACAL_RULES_DIR: path.join(repoRoot(), 'test', 'fixtures', 'alert-lifecycle-rules'),
  // The receiver is on loopback, which destinations may not reach by default.
  CARACAL_ALERT_ALLOW_PRIVATE_DESTINATIONS: 'true',
};
let caracal: CaracalProcess;
let client: CaracalClient;
let creds: { tenantId: string; sourceId: string; sourceSecret: string; ingestUrl: string; grpcEndpoint: string; token: string };
let receiver: http.Server;
let signingSecret: string;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];

before(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Stop with Ctrl-C/);
  creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8'));
  client = new CaracalClient(creds.grpcEndpoint, creds.token);
  const port = (receiver.address() as AddressInfo).port;
  const created = runCaracal(
    ['destinations', 'create', '--tenant', creds.tenantId, '--id', 'soc-hook', '--type', 'webhook', '--url', `http://127.0.0.1:${port}/alerts`, '--severities', 'CRITICAL,HIGH,MEDIUM'],
    env,
  );
  assert.equal(created.status, 0, created.stderr);
  signingSecret = /^\s+(cds_\S+)$/m.exec(created.stdout)![1];
});

after(async () => {
  await caracal?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

let sequence = 0;
async function send(actionName: string, count: number, actor = 'ops-bot'): Promise<void> {
  const events = Array.from({ length: count }, () => ({
    actionName,
    actionParams: { dynamic: { input: { n: ++sequence } } },
    actionResult: 'SUCCEEDED',
    actor: { id: actor, name: actor, type: 'TOKEN' },
    pantherVersion: '1.74.6',
    sourceIP: '203.0.113.10',
    timestamp: new Date().toISOString(),
  }));
  const res = await fetch(`${creds.ingestUrl}/http/${creds.sourceId}`, {
    method: 'POST',
    headers: { 'x-caracal-secret': creds.sourceSecret },
    body: JSON.stringify(events),
  });
  assert.equal(res.status, 200, await res.text());
}

async function ruleMatchRows(ruleId: string, database = 'panther_rule_matches'): Promise<number> {
  const r = await client.executeQuery(`SELECT count(DISTINCT p_row_id) AS n FROM ${database}.panther_audit WHERE p_rule_id = '${ruleId}'`);
  return Number(r.rows[0].n);
}

async function alertOf(ruleId: string, dedup?: string) {
  const page = await client.listAlerts({ ruleId, pageSize: 10 });
  const alerts = page.alerts.filter((a) => dedup === undefined || a.dedup === dedup);
  assert.ok(alerts.length <= 1, `one alert per key, got ${alerts.length}`);
  return alerts[0];
}

const BURST = 'Lifecycle.User.Created.Burst';

test('below the threshold there is no alert and no delivery; the match rows are kept', async () => {
  await send('CREATE_USER', 2);
  await waitFor('both matches in the lake', async () => ((await ruleMatchRows(BURST)) === 2 ? true : undefined));
  assert.equal(await alertOf(BURST, 'ops-bot'), undefined);
  assert.equal(received.length, 0);
});

test('the match that reaches the threshold raises the alert and delivers it once, signed', async () => {
  await send('CREATE_USER', 1);
  const alert = await waitFor('the alert', async () => alertOf(BURST, 'ops-bot'));
  assert.equal(alert.eventCount, '3');
  assert.equal(alert.threshold, 3);
  assert.equal(alert.status, 'ALERT_STATUS_OPEN');
  assert.equal(alert.title, 'Users created by ops-bot');
  assert.equal(alert.runbook, 'Check who the actor created.');

  const delivery = await waitFor('the webhook delivery', async () => received[0]);
  const { headers, body } = delivery;
  const expected = createHmac('sha256', signingSecret).update(`${String(headers['x-caracal-timestamp'])}.${body}`).digest('hex');
  assert.equal(headers['x-caracal-signature'], `sha256=${expected}`);
  assert.equal(headers['x-caracal-delivery-id'], `${alert.alertId}:soc-hook`);
  const payload = JSON.parse(body) as { alert: { id: string; eventCount: number; ruleId: string } };
  assert.equal(payload.alert.id, alert.alertId);
  assert.equal(payload.alert.ruleId, BURST);

  const detail = await waitFor('the delivery record', async () => {
    const d = await client.getAlert(alert.alertId);
    return d.deliveries.length > 0 ? d : undefined;
  });
  assert.deepEqual(
    detail.deliveries.map((d) => [d.destinationId, d.outcome, d.attempts]),
    [['soc-hook', 'ALERT_DELIVERY_OUTCOME_DELIVERED', 1]],
  );
  assert.equal(detail.eventsJson.length, 3, 'GetAlert returns the matched events');
});

test('later matches in the window add to the alert without delivering it again', async () => {
  await send('CREATE_USER', 2);
  const alert = await waitFor('the count to reach 5', async () => {
    const a = await alertOf(BURST, 'ops-bot');
    return a?.eventCount === '5' ? a : undefined;
  });
  const detail = await client.getAlert(alert.alertId);
  assert.equal(detail.eventsJson.length, 5);
  assert.equal(received.filter((r) => r.headers['x-caracal-delivery-id'] === `${alert.alertId}:soc-hook`).length, 1);
});

test('an exception in rule() becomes one deduplicated rule-error alert, with the errored events kept', async () => {
  await send('DELETE_USER', 3);
  const alert = await waitFor('the rule-error alert', async () => {
    const a = await alertOf('Lifecycle.User.Deleted.Broken');
    return a?.eventCount === '3' ? a : undefined;
  });
  assert.equal(alert.type, 'ALERT_TYPE_RULE_ERROR');
  assert.equal(alert.errorType, 'ValueError');
  assert.match(alert.errorMessage, /broken on purpose/);
  assert.equal(alert.severity, 'SEVERITY_MEDIUM');
  const detail = await client.getAlert(alert.alertId);
  assert.equal(detail.eventsJson.length, 3);
  for (const e of detail.eventsJson.map((j) => JSON.parse(j) as Record<string, unknown>)) {
    assert.equal(e.actionName, 'DELETE_USER');
    assert.match(String(e.p_rule_error), /broken on purpose/);
  }
  assert.equal(await ruleMatchRows('Lifecycle.User.Deleted.Broken', 'panther_rule_errors'), 3);
  // Medium is among the hook's severities: rule errors are delivered like alerts.
  await waitFor('the rule-error delivery', async () => received.find((r) => r.headers['x-caracal-delivery-id'] === `${alert.alertId}:soc-hook`));
});

test('destinations() returning [] keeps an alert from every destination', async () => {
  await send('UPDATE_USER_ROLE', 1);
  const alert = await waitFor('the quiet alert', async () => alertOf('Lifecycle.Role.Updated.Quiet'));
  assert.equal(alert.hasDestinationOverride, true);
  assert.deepEqual(alert.destinationOverride, []);
  // The delivery stage handled it: the next alert raised after it was delivered, so this one was seen and skipped.
  await send('CREATE_USER', 3, 'second-bot');
  const next = await waitFor('a later alert', async () => {
    const list = await client.listAlerts({ ruleId: BURST, pageSize: 10 });
    return list.alerts.find((a) => a.dedup === 'second-bot');
  });
  await waitFor('the later delivery', async () => received.find((r) => r.headers['x-caracal-delivery-id'] === `${next.alertId}:soc-hook`));
  assert.equal(received.filter((r) => String(r.headers['x-caracal-delivery-id']).startsWith(alert.alertId)).length, 0);
});

test('status, assignee and comments change through gRPC; the window and count are untouched', async () => {
  const alert = (await alertOf(BURST, 'ops-bot'))!;
  await client.updateAlertStatus([alert.alertId], 'ALERT_STATUS_TRIAGED');
  await client.updateAlertAssignee(alert.alertId, 'marge@springfield.gov');
  await client.addAlertComment(alert.alertId, 'Looking into it');
  const triaged = await client.listAlerts({ statuses: ['ALERT_STATUS_TRIAGED'], pageSize: 10 });
  assert.deepEqual(triaged.alerts.map((a) => a.alertId), [alert.alertId]);
  assert.equal(triaged.alerts[0].assignee, 'marge@springfield.gov');
  await send('CREATE_USER', 1);
  const after = await waitFor('the count to reach 6', async () => {
    const a = await alertOf(BURST, 'ops-bot');
    return a?.eventCount === '6' ? a : undefined;
  });
  assert.equal(after.alertId, alert.alertId, 'a status change does not reset the window');
  assert.equal(after.status, 'ALERT_STATUS_TRIAGED');
  const detail = await client.getAlert(alert.alertId);
  assert.ok(detail.activity.some((a) => a.comment === 'Looking into it'));
});
