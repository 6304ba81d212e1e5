import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCanonical, sqlStringLiteral } from './query-canonical';

test('a string literal carries any text, quotes and backslashes included', () => {
  assert.equal(sqlStringLiteral("a'b\\c"), "'a\\'b\\\\c'");
});

test('the canonical text tells the WITH names, PREWHERE and names with control characters', () => {
  const facts = readCanonical("WITH\n    x AS\n    (\n        SELECT 1\n    ),\n    `my cte` AS (SELECT 2),\n    (SELECT 3) AS y\nSELECT 'z AS (' FROM x PREWHERE 1");
  assert.deepEqual([...facts.cteNames].sort(), ['my cte', 'x']);
  assert.equal(facts.prewhere, true);
  assert.equal(readCanonical("SELECT 'PREWHERE', `prewhere_col` FROM t").prewhere, false);
  assert.equal(readCanonical('SELECT 1 AS `a\\nb`').controlCharIdentifier, 'a\nb');
});
