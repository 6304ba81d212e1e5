import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaracalClient } from '@caracal/api';
import { loadConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { deleteDetectionEvent } from '../support/audit-events';
import { CaracalProcess } from '../support/caracal-process';
import { postToSource } from '../support/ingest-http';
import { repoRoot, tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// Shared fate, tried through the public interfaces of one embedded Caracal:
// an attacker tenant puts a detection that breaks its own harness, one that
// swallows the time limit, and sends events the lake could not store. Another
// tenant's events must still reach its lake and its alert must still fire,
// within seconds; the attacker gets rule errors, and its events are kept.
const dataDir = tempDir('security-isolation');
const TIME_LIMIT_MS = 2000;
const env = {
  CARACAL_DATA_DIR: dataDir,
  CARACAL_HTTP_PORT: '0',
  CARACAL_GRPC_PORT: '0',
  CARACAL_LOG_LEVEL: 'warn',
  CARACAL_RULES_DIR: path.join(repoRoot(), 'rules'),
  CARACAL_DETECTION_TIMEOUT_MS: String(TIME_LIMIT_MS),
};
let caracal: CaracalProcess;
let attacker: CaracalClient;
let victim: CaracalClient;
let attackerSource: { ingestUrl: string; sourceId: string; secret: string };
let victimSource: { sourceId: string; secret: string };

function ruleYaml(ruleId: string, file: string): string {
  return `AnalysisType: rule
RuleID: ${ruleId}
Filename: ${file}
Enabled: true
LogTypes:
  - Panther.Audit
Severity: Low
Tests:
  - Name: An ordinary event
    ExpectedResult: false
    Log:
      actionName: SIGN_IN
      actionResult: SUCCEEDED
`;
}

// Breaks what the harness writes its answers with, for the rest of its interpreter's life.
const POISON_PY = `import json


def rule(event):
    if event.get("actionName") == "POISON":
        json.dumps = lambda *a, **k: '"x"'
        json.JSONEncoder.iterencode = lambda self, o, _one_shot=False: iter(['"x"'])
        json.JSONEncoder.encode = lambda self, o: '"x"'
    return False
`;

// Swallows the interrupt: only the kill of its process stops it.
const STALL_PY = `def rule(event):
    if event.get("actionName") == "STALL":
        while True:
            try:
                while True:
                    pass
            except BaseException:
                pass
    return False
`;

function auditEvent(actionName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    actionName,
    actionResult: 'SUCCEEDED',
    actor: { id: 'mallory', name: 'mallory@evil.example', type: 'USER' },
    pantherVersion: '1.74.6',
    timestamp: new Date().toISOString(),
    ...extra,
  };
}

async function count(c: CaracalClient, where: string): Promise<number> {
  const r = await c.executeQuery(`SELECT count() AS n FROM panther_logs.panther_audit WHERE ${where}`);
  return Number(r.rows[0].n);
}

before(async () => {
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Stop with Ctrl-C/, 180_000);
  const creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8'));
  attacker = new CaracalClient(creds.grpcEndpoint, creds.token);
  attackerSource = { ingestUrl: creds.ingestUrl, sourceId: creds.sourceId, secret: creds.sourceSecret };
  const control = ControlStore.open(loadConfig(env).controlFile);
  control.createTenant('victim');
  victim = new CaracalClient(creds.grpcEndpoint, control.createToken({ tenantId: 'victim', name: 'admin', role: 'admin' }).token);
  const made = control.createSource({ tenantId: 'victim', logType: 'Panther.Audit' });
  victimSource = { sourceId: made.source.id, secret: made.secret };
});

after(async () => {
  attacker?.close();
  victim?.close();
  await caracal?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("an attacker's broken and stalling detections and unstorable events do not stop another tenant", { timeout: 240_000 }, async () => {
  const send = async (sourceId: string, secret: string, body: string): Promise<void> => {
    const answer = await postToSource(attackerSource.ingestUrl, sourceId, body, { 'x-caracal-secret': secret });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
  };
  // The victim is a tenant in use: its detection process is warm before the attack.
  await send(victimSource.sourceId, victimSource.secret, JSON.stringify([auditEvent('SIGN_IN', { actor: { id: 'lisa', type: 'USER' } })]));
  await waitFor("the victim's first event in its lake", async () => ((await count(victim, "actionName = 'SIGN_IN'")) === 1 ? true : undefined), 120_000);

  await attacker.putDetection({ yaml: ruleYaml('Mallory.Poison', 'poison.py'), python: POISON_PY });
  await attacker.putDetection({ yaml: ruleYaml('Mallory.Stall', 'stall.py'), python: STALL_PY });

  // A lone surrogate, written as the JSON escape (JSON.stringify would keep it too).
  const surrogate = JSON.stringify([auditEvent('SURROGATE', { userAgent: 'PLACEHOLDER' })]).replace('PLACEHOLDER', 'ab\\ud800cd');
  // 150 months in one body: more partitions than one insert may hold.
  const months = JSON.stringify(
    Array.from({ length: 150 }, (_, i) => auditEvent('OLD_MONTHS', { timestamp: new Date(Date.UTC(2010, i, 15)).toISOString() })),
  );
  await send(attackerSource.sourceId, attackerSource.secret, JSON.stringify([auditEvent('POISON'), auditEvent('STALL'), auditEvent('SIGN_IN')]));
  await send(attackerSource.sourceId, attackerSource.secret, surrogate);
  await send(attackerSource.sourceId, attackerSource.secret, months);

  const sentAt = Date.now();
  await send(victimSource.sourceId, victimSource.secret, JSON.stringify([deleteDetectionEvent('Victim.Rule', 'lisa@springfield.gov')]));
  const alert = await waitFor(
    "the victim's alert",
    async () => (await victim.listAlerts()).alerts.find((a) => a.ruleId === 'Panther.Detection.Deleted'),
    120_000,
    200,
  );
  const alertAfterMs = Date.now() - sentAt;
  // The attacker's stalling run costs it TIME_LIMIT_MS plus the grace period and a new process; the victim
  // waits for none of it beyond its share of the partition's batch.
  assert.ok(alertAfterMs < 15_000, `the victim's alert took ${alertAfterMs} ms`);
  console.log(`victim alert ${alertAfterMs} ms after its event was acknowledged`);
  assert.match(alert.title ?? '', /lisa@springfield\.gov|Victim\.Rule/);
  await waitFor("the victim's event in its lake", async () => ((await count(victim, "actionName = 'DELETE_DETECTION'")) === 1 ? true : undefined), 60_000);

  // Nothing of the attacker's was lost either: its lake has every event, the surrogate made safe.
  await waitFor("the attacker's events in its lake", async () => ((await count(attacker, "actionName IN ('POISON', 'STALL', 'SIGN_IN', 'SURROGATE')")) === 4 ? true : undefined), 120_000);
  await waitFor("the attacker's 150 months", async () => ((await count(attacker, "actionName = 'OLD_MONTHS'")) === 150 ? true : undefined), 120_000);
  const stored = await attacker.executeQuery(`SELECT userAgent FROM panther_logs.panther_audit WHERE actionName = 'SURROGATE'`);
  assert.equal(stored.rows[0].userAgent, 'ab\ufffdcd');
  // And its detections answered with rule errors, not with a stalled partition.
  const errors = await waitFor(
    "the attacker's rule errors",
    async () => {
      const alerts = (await attacker.listAlerts()).alerts.filter((a) => a.ruleId === 'Mallory.Stall' || a.ruleId === 'Mallory.Poison');
      return alerts.some((a) => a.ruleId === 'Mallory.Stall') ? alerts : undefined;
    },
    120_000,
  );
  assert.ok(errors.every((a) => String(a.type).includes('ERROR')), JSON.stringify(errors.map((a) => [a.ruleId, a.type])));
  // The victim sees none of it.
  assert.deepEqual((await victim.listAlerts()).alerts.filter((a) => String(a.ruleId).startsWith('Mallory.')), []);
});
