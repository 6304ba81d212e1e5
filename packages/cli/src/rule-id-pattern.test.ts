import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleIdMatches, selectByRuleId } from './rule-id-pattern';

test('a pattern matches the whole RuleID exactly, * standing for any characters', () => {
  assert.equal(ruleIdMatches('AWS.Root.Login', 'AWS.Root.Login'), true);
  assert.equal(ruleIdMatches('AWS.Root', 'AWS.Root.Login'), false, 'not a prefix match');
  assert.equal(ruleIdMatches('aws.root.login', 'AWS.Root.Login'), false, 'case matters');
  assert.equal(ruleIdMatches('AWS.Root.Login', 'AWSXRootXLogin'), false, '. is a dot, not any character');
  assert.equal(ruleIdMatches('AWS.*', 'AWS.Root.Login'), true);
  assert.equal(ruleIdMatches('*.Login', 'AWS.Root.Login'), true);
  assert.equal(ruleIdMatches('AWS.*.Login', 'AWS.Root.Login'), true);
  assert.equal(ruleIdMatches('AWS.*.Login', 'GCP.Root.Login'), false);
  assert.equal(ruleIdMatches('*', 'Anything.At.All'), true);
  assert.equal(ruleIdMatches('Okta.(MFA)+', 'Okta.(MFA)+'), true, 'regex characters are literal');
  assert.equal(ruleIdMatches('Okta.(MFA)+', 'Okta.MFAMFA'), false);
});

test('selection keeps the order of the rules and reports patterns that selected nothing', () => {
  const rules = [{ ruleId: 'B.Two' }, { ruleId: 'A.One' }, { ruleId: 'A.Three' }];
  assert.deepEqual(selectByRuleId(rules, []), { selected: rules, unmatched: [] });
  assert.deepEqual(selectByRuleId(rules, ['A.*', 'B.Two']), { selected: rules, unmatched: [] });
  assert.deepEqual(selectByRuleId(rules, ['A.Three', 'C.*', 'A.On']), {
    selected: [{ ruleId: 'A.Three' }],
    unmatched: ['C.*', 'A.On'],
  });
});
