import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadContent } from './content-loader';
import { DetectionEngine } from './detection-engine';
import type { RuleOutcomeMatch } from './rule-outcome';
import { normalizedEvent, repoRoot } from './test-support';

// What the shipped GitHub.Branch.ProtectionDisabled puts on an alert, beyond its YAML tests.
const TENANT = 'tenant-github';
let engine: DetectionEngine;

before(async () => {
  const content = await loadContent(path.join(repoRoot(), 'rules', 'github_audit'));
  assert.deepEqual(content.errors, []);
  assert.deepEqual(
    content.rules.map((r) => [r.ruleId, r.logTypes]),
    [['GitHub.Branch.ProtectionDisabled', ['GitHub.Audit']]],
  );
  engine = await DetectionEngine.create(content);
});

after(async () => {
  await engine.close();
});

function github(fields: Record<string, unknown>) {
  return normalizedEvent('GitHub.Audit', TENANT, {
    org: 'springfield-nuclear',
    actor_ip: '198.51.100.23',
    ...fields,
  });
}

test('a removed protection alerts High with repository and actor in the title, one alert per repository and actor', async () => {
  const events = [
    github({ action: 'protected_branch.destroy', repo: 'springfield-nuclear/reactor-control', actor: 'mona-admin' }),
    github({ action: 'protected_branch.destroy', repo: 'springfield-nuclear/reactor-control', actor: 'mona-admin' }),
    github({ action: 'protected_branch.destroy', repo: 'springfield-nuclear/plant-ui', actor: 'mona-admin' }),
    github({ action: 'protected_branch.destroy', repo: null, actor: null }),
  ];
  const outcomes = (await engine.evaluate(TENANT, events)) as RuleOutcomeMatch[];
  assert.deepEqual(
    outcomes.map((o) => [o.kind, o.eventIndex, o.title, o.severity]),
    [
      ['match', 0, 'Branch protection removed from springfield-nuclear/reactor-control by mona-admin', 'HIGH'],
      ['match', 1, 'Branch protection removed from springfield-nuclear/reactor-control by mona-admin', 'HIGH'],
      ['match', 2, 'Branch protection removed from springfield-nuclear/plant-ui by mona-admin', 'HIGH'],
      ['match', 3, 'Branch protection removed from an unknown repository by an unknown actor', 'HIGH'],
    ],
  );
  assert.equal(outcomes[0].dedup, outcomes[1].dedup);
  assert.notEqual(outcomes[0].dedup, outcomes[2].dedup, 'another repository is another alert');
  assert.equal(outcomes[0].alertContext.actor_ip, '198.51.100.23');
  assert.deepEqual(outcomes.flatMap((o) => o.auxErrors), []);
});

test('other protected-branch actions and other events do not alert or raise', async () => {
  const outcomes = await engine.evaluate(TENANT, [
    github({ action: 'protected_branch.create', repo: 'springfield-nuclear/reactor-control', actor: 'mona-admin' }),
    github({ action: 'protected_branch.policy_override', repo: 'springfield-nuclear/reactor-control', actor: 'mona-admin' }),
    github({ action: 'repo.destroy', repo: 'springfield-nuclear/reactor-control', actor: 'mona-admin' }),
    normalizedEvent('GitHub.Audit', TENANT, {}),
    normalizedEvent('Panther.Audit', TENANT, { actionName: 'protected_branch.destroy' }),
  ]);
  assert.deepEqual(outcomes, []);
});
