import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReferenceYaml } from './reference-yaml';

// Each expected value is what panther_analysis_tool 1.11.1's spec loader
// returned for the same text (its PyYAML loader with YAML 1.2 overrides).
test('scalars resolve as the reference tool resolves them', () => {
  const text = [
    'plain_exp: 5e+06',
    'dot_exp_unsigned: 1.0e3',
    'dot_exp_signed: 1.0e+3',
    'underscore: 1_000',
    'binary: 0b101',
    'octal_like: 0777',
    'hex: 0x1F',
    'sexagesimal: 1:30',
    'yes_word: yes',
    'off_word: OFF',
    'true_word: True',
    'null_tilde: ~',
    'empty:',
    'timestamp: 2024-03-05 17:42:09.512',
    'date: 2024-03-05',
    'quoted_true: "true"',
    'tagged_str: !!str 12',
    'leading_dot: .5',
    'neg_inf: -.inf',
    'plus_int: +7',
    'trailing_dot: 3.',
    'merged:',
    '  <<: {a: 1}',
    '  b: 2',
    'dup: 1',
    'dup: 2',
  ].join('\n');
  assert.deepEqual(parseReferenceYaml(text), {
    plain_exp: '5e+06',
    dot_exp_unsigned: '1.0e3',
    dot_exp_signed: 1000,
    underscore: 1000,
    binary: 5,
    octal_like: 777,
    hex: 31,
    sexagesimal: '1:30',
    yes_word: 'yes',
    off_word: 'OFF',
    true_word: true,
    null_tilde: null,
    empty: null,
    timestamp: '2024-03-05 17:42:09.512',
    date: '2024-03-05',
    quoted_true: 'true',
    tagged_str: '12',
    leading_dot: 0.5,
    neg_inf: -Infinity,
    plus_int: 7,
    trailing_dot: 3,
    merged: { a: 1, b: 2 },
    dup: 2,
  });
});

test('text that is not YAML is refused with the parser error', () => {
  assert.throws(() => parseReferenceYaml('a: [1, 2\nb: 3'), /missed comma between flow collection entries \(2:1\)/);
});

test('a flow mapping less indented than its block parent is read, as the reference reads it', () => {
  // Public content pastes test Logs as JSON at column 0 under `Log:`.
  const text = ['Tests:', '  - Name: pasted', '    Log:', '      {', '"a": [1, "2"],', '"b": {"c": null}', '}'].join('\n');
  assert.deepEqual(parseReferenceYaml(text), { Tests: [{ Name: 'pasted', Log: { a: [1, '2'], b: { c: null } } }] });
});
