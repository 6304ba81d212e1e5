import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContentError } from './errors';
import { parseCorrelationRuleSpec } from './correlation-rule-spec';
import { readSpecText } from './spec-reader';

function parse(yaml: string): { spec: ReturnType<typeof parseCorrelationRuleSpec>; problems: string[] } {
  const errors: ContentError[] = [];
  const reader = readSpecText(yaml, 'rule.yml', errors);
  assert.ok(reader, 'a YAML mapping');
  const spec = parseCorrelationRuleSpec(reader);
  return { spec, problems: errors.map((e) => e.message.replace(/^rule\.yml: /, '')) };
}

const HEAD = 'AnalysisType: correlation_rule\nRuleID: Corr.Test\nEnabled: true\nSeverity: High\n';
const SCHEDULE = '    Schedule:\n      RateMinutes: 60\n      TimeoutMinutes: 5\n';

test('a group and a sequence as Panther writes them', () => {
  const g = parse(`${HEAD}CreateAlert: false
Detection:
  - Group:
      - ID: Fails
        RuleID: Login.Failed
        MinMatchCount: 5
      - ID: Success
        RuleID: Login.Succeeded
      - ID: Push
        RuleID: Push.Approved
        Absence: true
    MatchCriteria:
      user:
        - GroupID: Fails
          Match: actor.email
        - GroupID: Success
          Match: p_alert_context.email
    LookbackWindowMinutes: 90
${SCHEDULE}Tests:
  - Name: five then one
    ExpectedResult: true
    RuleOutputs:
      - ID: Fails
        Matches:
          actor.email:
            a@x: [0, 1, 2, 3, 4]
      - ID: Success
        Matches:
          p_alert_context.email:
            a@x: ["2024-01-01T00:05:00Z"]
`);
  assert.deepEqual(g.problems, []);
  assert.equal(g.spec?.createAlert, false);
  assert.deepEqual(g.spec?.detection.items.map((i) => [i.id, i.minMatchCount, i.absence]), [['Fails', 5, false], ['Success', 1, false], ['Push', 1, true]]);
  assert.deepEqual(g.spec?.detection.matchCriteria, { user: [{ groupId: 'Fails', match: 'actor.email' }, { groupId: 'Success', match: 'p_alert_context.email' }] });
  assert.equal(g.spec?.detection.lookbackWindowMinutes, 90);
  assert.deepEqual(g.spec?.tests[0].ruleOutputs[1], { id: 'Success', matches: { 'p_alert_context.email': { 'a@x': ['2024-01-01T00:05:00Z'] } } });

  const s = parse(`${HEAD}Detection:
  - Sequence:
      - ID: A
        RuleID: Rule.A
      - ID: B
        RuleID: Rule.B
    Transitions:
      - ID: A then B
        From: A
        To: B
        WithinTimeFrameMinutes: 45
        Match:
          - On: target
${SCHEDULE}`);
  assert.deepEqual(s.problems, []);
  assert.deepEqual(s.spec?.detection.transitions, [{ id: 'A then B', from: 'A', to: 'B', withinTimeFrameMinutes: 45, match: { from: 'target', to: 'target' } }]);
  assert.equal(s.spec?.detection.lookbackWindowMinutes, 15, 'the default window');
});

test('what cannot be evaluated is refused, naming the key', () => {
  const { spec, problems } = parse(`${HEAD}Detection:
  - Group:
      - ID: A
        RuleID: Rule.A
        Absence: true
      - ID: A
        RuleID: Rule.B
        Absence: true
    MatchCriteria:
      k:
        - GroupID: Nope
          Match: f
    Extra: 1
${SCHEDULE}Tests:
  - Name: t
    ExpectedResult: true
    RuleOutputs:
      - ID: Missing
        Matches:
          f:
            v: [soon]
`);
  assert.equal(spec, undefined);
  assert.deepEqual(problems, [
    'Detection[0].Extra: unknown key',
    'Detection[0].Group[1].ID: "A" names another item of this Group too',
    'Detection[0].Group: needs an item that is not Absence',
    'Detection[0].MatchCriteria.k[0].GroupID: "Nope" is not the ID of an item of the Group',
    'Tests[0].RuleOutputs[0].ID: "Missing" is not the ID of an item of the Detection',
    'Tests[0].RuleOutputs[0].Matches.f.v: expected a list of times: whole minutes, or RFC 3339 times such as "2024-01-31T12:00:00Z"',
  ]);
  assert.deepEqual(parse(`${HEAD}Detection:\n  - Group: []\n    Sequence: []\n${SCHEDULE}`).problems, ['Detection[0]: has both Group and Sequence; keep one']);
  assert.deepEqual(parse(`${HEAD}Detection:\n  - Sequence:\n      - RuleID: A\n      - RuleID: B\n    Transitions:\n      - From: A\n        To: C\n        Match:\n          - On: x\n            From: y\n`).problems, [
    'Detection[0].Transitions[0].To: "C" is not the ID of a step of the Sequence',
    'Detection[0].Transitions[0].Match[0]: has On and From/To; keep one',
    'Detection[0].Schedule: required key is missing',
  ]);
});
