import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContentError } from './errors';
import { RuleSpecResult, parseRuleSpec } from './rule-spec';
import { readSpecText } from './spec-reader';

const HEAD = 'AnalysisType: rule\nRuleID: Fixture.Spec\nEnabled: true\nLogTypes: [Fixture.Log]\nSeverity: Low\n';

function parse(yaml: string): { result: RuleSpecResult; errors: string[] } {
  const errors: ContentError[] = [];
  const reader = readSpecText(HEAD + yaml, 'spec.yml', errors);
  assert.ok(reader);
  const result = parseRuleSpec(reader, 'rule', { pythonModule: () => ({ pythonPath: 'spec.py', pythonSource: 'def rule(e):\n    return True\n' }) });
  return { result, errors: errors.map((e) => `${e.key ?? ''}: ${e.problem}`) };
}

test('valid InlineFilters are kept on the rule', () => {
  const { result, errors } = parse('Filename: spec.py\nInlineFilters:\n  - KeyPath: a.b[*]\n    Condition: Contains\n    Value: x\n  - Any:\n      - KeyPath: c\n        Condition: IsIn\n        Values: [1, 2]\n');
  assert.deepEqual(errors, []);
  assert.equal(result.kind, 'rule');
  if (result.kind === 'rule') assert.equal(result.spec.inlineFilters?.length, 2);
});

test('a bad filter makes the rule invalid, naming the key (as the reference schema does)', () => {
  const cases: [string, RegExp][] = [
    ['InlineFilters: {KeyPath: a}\n', /^InlineFilters: expected a list of match expressions, got object/],
    ['InlineFilters:\n  - Key: a\n    Condition: Equals\n    Value: 1\n', /^InlineFilters\[0\]\.Key: InlineFilters name event keys by KeyPath only/],
    ['InlineFilters:\n  - KeyPath: a\n    Condition: Equals\n', /^InlineFilters\[0\]\.Value: required with Condition Equals/],
    ['InlineFilters:\n  - KeyPath: a\n    Condition: Equals\n    Value: [1]\n', /^InlineFilters\[0\]\.Value: expected a string, number or boolean, got list/],
    ['InlineFilters:\n  - KeyPath: a\n    Condition: IsIn\n    Values: [1, x]\n', /^InlineFilters\[0\]\.Values: expected a list of strings, numbers or booleans \(one type\)/],
    ['InlineFilters:\n  - OnlyOne: []\n', /^InlineFilters\[0\]\.OnlyOne: InlineFilters combine expressions with All or Any only/],
    ['InlineFilters:\n  - KeyPath: a..b\n    Condition: Exists\n', /^InlineFilters\[0\]\.KeyPath: cannot read "a\.\.b"/],
    ['InlineFilters:\n  - KeyPath: a\n    Condition: Exists\n    Vaule: 1\n', /^InlineFilters\[0\]\.Vaule: unknown key of a match expression/],
  ];
  for (const [yaml, expected] of cases) {
    const { result, errors } = parse(`Filename: spec.py\n${yaml}`);
    assert.equal(result.kind, 'invalid', yaml);
    assert.ok(errors.some((e) => expected.test(e)), `${yaml}\n${errors.join('\n')}`);
  }
});

test('a construct not implemented makes the rule unsupported, naming it', () => {
  const unknown = parse('Filename: spec.py\nInlineFilters:\n  - KeyPath: a\n    Condition: IsWithinDays\n    Value: 3\n');
  assert.deepEqual(unknown.errors, []);
  assert.deepEqual(unknown.result, { kind: 'unsupported', reason: 'InlineFilters use Condition "IsWithinDays", which Caracal does not evaluate yet' });
  const enriched = parse('Detection:\n  - Enrichment: {Table: t, Selector: ip, FieldPath: score}\n    Condition: Equals\n    Value: 1\n');
  assert.equal(enriched.result.kind, 'unsupported');
});

test('a YAML detection is checked in full: combinators, list comprehension, multi-key, absolute', () => {
  const ok = parse(
    [
      'Detection:',
      '  - OnlyOne:',
      '      - Condition: AlwaysTrue',
      '      - None: [{Key: a, Condition: IsNull}]',
      '  - DeepKey: [items]',
      '    Condition: AllElements',
      '    Expressions: [{Key: n, Condition: IsLessThan, Value: 3}]',
      '  - Condition: Equals',
      '    Values: [{Key: a}, {KeyPath: b.c}]',
      'AlertTitle: "{a} did it"',
      'GroupBy: [{Key: a}]',
      'AlertContext: [{KeyName: who, KeyValue: {DeepKey: [b, c]}}]',
      '',
    ].join('\n'),
  );
  assert.deepEqual(ok.errors, []);
  assert.equal(ok.result.kind, 'rule');
  if (ok.result.kind === 'rule') assert.equal(ok.result.spec.simpleDetection?.alertTitle, '{a} did it');

  const bad = parse('Detection: []\nGroupBy: [{Key: a, KeyPath: b}]\nAlertContext: [{KeyName: who}]\n');
  assert.equal(bad.result.kind, 'invalid');
  assert.deepEqual(bad.errors, [
    'Detection: must not be empty',
    'AlertContext[0].KeyValue: expected a key specifier ({Key|DeepKey|KeyPath}), got undefined',
    'GroupBy[0]: has Key and KeyPath: give one key specifier',
  ]);
});

test('ExpectedDestinations is read into the test', () => {
  const { result, errors } = parse('Filename: spec.py\nTests:\n  - Name: t\n    ExpectedResult: true\n    ExpectedDestinations: [slack]\n    Log: {a: 1}\n');
  assert.deepEqual(errors, []);
  assert.ok(result.kind === 'rule');
  if (result.kind === 'rule') assert.deepEqual(result.spec.tests[0].expectedDestinations, ['slack']);
});
