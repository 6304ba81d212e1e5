import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAstDump } from './query-ast';

const DUMP = `SelectWithUnionQuery (children 1)
 ExpressionList (children 1)
  SelectQuery (children 2)
   ExpressionList (children 1)
    Function plus (alias x) (children 1)
     ExpressionList (children 2)
      Literal UInt64_1
      Identifier a.b
   TablesInSelectQuery (children 1)
    TablesInSelectQueryElement (children 1)
     TableExpression (children 1)
      TableIdentifier panther_logs.panther_audit (alias t)
`;

test('the dump reads into a tree of types, names and aliases', () => {
  const root = parseAstDump(DUMP);
  const select = root.children[0].children[0];
  assert.equal(select.type, 'SelectQuery');
  const fn = select.children[0].children[0];
  assert.deepEqual([fn.type, fn.detail, fn.alias], ['Function', 'plus', 'x']);
  assert.equal(fn.children[0].children[1].detail, 'a.b');
  const table = select.children[1].children[0].children[0].children[0];
  assert.deepEqual([table.type, table.detail, table.alias], ['TableIdentifier', 'panther_logs.panther_audit', 't']);
});

test('a dump that does not add up is refused rather than guessed at', () => {
  // A line break inside an alias prints a line of its own.
  const forged = DUMP.replace('Function plus (alias x) (children 1)', 'Function plus (alias x\n   Set) (children 1)');
  assert.throws(() => parseAstDump(forged), /unexpected shape/);
  assert.throws(() => parseAstDump(DUMP.replace('(children 2)\n      Literal', '(children 3)\n      Literal')), /unexpected shape/);
  assert.throws(() => parseAstDump(`${DUMP}Set\n`), /unexpected shape/);
});
