import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadContent } from './content-loader';
import { DetectionEngine } from './detection-engine';
import type { RuleOutcomeMatch } from './rule-outcome';
import { normalizedEvent, repoRoot } from './test-support';

// What the shipped Panther.Detection.Deleted puts on an alert, beyond its YAML tests.
const TENANT = 'tenant-audit';
let engine: DetectionEngine;

before(async () => {
  const content = await loadContent(path.join(repoRoot(), 'rules', 'panther_audit'));
  assert.deepEqual(content.errors, []);
  engine = await DetectionEngine.create(content);
});

after(async () => {
  await engine.close();
});

const HOMER = {
  id: 'u-homer',
  type: 'USER',
  name: 'Homer Simpson',
  attributes: { email: 'homer@springfield.gov', roleName: 'Admin' },
};

function audit(fields: Record<string, unknown>) {
  return normalizedEvent('Panther.Audit', TENANT, {
    actionResult: 'SUCCEEDED',
    actor: HOMER,
    pantherVersion: '1.90.4',
    timestamp: '2024-03-05 17:42:09.512',
    sourceIP: '192.0.2.10',
    ...fields,
  });
}

const cases: { name: string; event: ReturnType<typeof audit>; title: string; ids: string[] }[] = [
  {
    name: 'one detection, newer shape',
    event: audit({
      actionName: 'DELETE_DETECTION',
      actionParams: { dynamic: { input: { detections: [{ id: 'GitHub.Team.Modified' }] } } },
    }),
    title: "Detection 'GitHub.Team.Modified' deleted by user homer@springfield.gov",
    ids: ['GitHub.Team.Modified'],
  },
  {
    name: 'several detections, older shape',
    event: audit({
      actionName: 'DELETE_DETECTION',
      actionParams: { input: { detections: [{ id: 'A.One' }, { id: 'B.Two' }, { id: 'A.One' }] } },
    }),
    title: "Detections 'A.One', 'B.Two' deleted by user homer@springfield.gov",
    ids: ['A.One', 'B.Two'],
  },
  {
    name: 'a data model, ids field',
    event: audit({ actionName: 'DELETE_DATA_MODEL', actionParams: { dynamic: { input: { ids: ['Custom.Model'] } } } }),
    title: "Data model 'Custom.Model' deleted by user homer@springfield.gov",
    ids: ['Custom.Model'],
  },
  {
    name: 'a token without email deletes a global helper',
    event: audit({
      actionName: 'DELETE_GLOBAL_HELPER',
      actor: { id: 't-1', type: 'TOKEN', name: 'ci-deploy' },
      actionParams: { dynamic: { input: { id: 'panther_okta_helpers' } } },
    }),
    title: "Global helper 'panther_okta_helpers' deleted by token ci-deploy",
    ids: ['panther_okta_helpers'],
  },
  {
    name: 'unknown ids',
    event: audit({ actionName: 'DELETE_DETECTION', actor: { id: 'u-x', type: 'USER' } }),
    title: 'Detection content deleted by user u-x',
    ids: [],
  },
  {
    name: 'an unexpected input shape',
    event: audit({ actionName: 'DELETE_LOOKUP_TABLE', actionParams: { dynamic: { input: { tables: { weird: [1] } } } } }),
    title: 'Lookup table deleted by user homer@springfield.gov',
    ids: [],
  },
];

test('titles, dedup and alert context of each delete shape', async () => {
  const outcomes = await engine.evaluate(TENANT, cases.map((c) => c.event));
  assert.equal(outcomes.length, cases.length);
  outcomes.forEach((outcome, i) => {
    const expected = cases[i];
    assert.equal(outcome.kind, 'match', expected.name);
    const match = outcome as RuleOutcomeMatch;
    assert.equal(match.eventIndex, i);
    assert.equal(match.title, expected.title, expected.name);
    assert.equal(match.severity, 'INFO');
    assert.deepEqual(match.auxErrors, [], expected.name);
    assert.deepEqual(match.alertContext.deleted_ids, expected.ids, expected.name);
    assert.equal(match.alertContext.source_ip, '192.0.2.10');
  });
  const dedups = outcomes.map((o) => (o as RuleOutcomeMatch).dedup);
  assert.equal(dedups[0], dedups[1], 'the same actor groups into one alert');
  assert.notEqual(dedups[0], dedups[3], 'another actor is another alert');
});

test('failed deletes, other actions and odd events do not alert or raise', async () => {
  const outcomes = await engine.evaluate(TENANT, [
    audit({ actionName: 'DELETE_DETECTION', actionResult: 'FAILED' }),
    audit({ actionName: 'UPDATE_SAML_SETTINGS', actionParams: { dynamic: { input: { enabled: false } } } }),
    audit({ actionName: 'DELETE_DETECTION', actionResult: 'PARTIALLY_FAILED', actionParams: null }),
    normalizedEvent('Panther.Audit', TENANT, {}),
  ]);
  // The pack's SAML rules rightly match the SAML change; no rule may raise.
  assert.deepEqual(outcomes.filter((o) => o.kind === 'error' || o.ruleId === 'Panther.Detection.Deleted'), []);
  assert.deepEqual(
    outcomes.map((o) => `${o.eventIndex}:${o.ruleId}`).sort(),
    ['1:Panther.Authentication.Weakened', '1:Panther.SAML.Modified'],
  );
});
