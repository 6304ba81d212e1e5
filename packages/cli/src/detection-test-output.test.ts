import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventResult__Output } from '@caracal/api';
import { formatEventResults, formatTestResults } from './detection-test-output';

test('Tests print as PASS/FAIL lines with what failed, then a count', () => {
  const lines = formatTestResults([
    { name: 'deleted rule', passed: true, expectedResult: true, reason: '' },
    { name: 'other action', passed: false, expectedResult: false, reason: 'rule() returned True' },
  ]);
  assert.deepEqual(lines, ['  PASS  deleted rule', '  FAIL  other action (expected rule() to return false): rule() returned True', '2 Tests: 1 passed, 1 failed']);
  assert.deepEqual(formatTestResults([]), ['no Tests']);
});

test('event results are labelled by where each event came from', () => {
  const base: EventResult__Output = { index: 0, matched: false, title: '', dedup: '', severity: 'SEVERITY_UNSPECIFIED', alertContextJson: '', error: '', auxErrors: [] };
  const lines = formatEventResults(
    [
      { ...base, index: 1, error: "KeyError: 'actor'" },
      { ...base, index: 0, matched: true, title: 'Rule deleted', dedup: 'u1', severity: 'SEVERITY_HIGH', auxErrors: ['runbook(): boom'] },
      { ...base, index: 2 },
    ],
    ['a.ndjson:1', 'a.ndjson:2', 'b.json'],
  );
  assert.deepEqual(lines, [
    'a.ndjson:1  MATCH     title "Rule deleted"  dedup "u1"  severity HIGH',
    '            aux error: runbook(): boom',
    "a.ndjson:2  ERROR     KeyError: 'actor'",
    'b.json      no match',
    '3 events: 1 matched, 1 did not match, 1 raised',
  ]);
});

test('fewer results than events sent are pointed out', () => {
  assert.deepEqual(formatEventResults([], ['a.json']), ['0 events: 0 matched, 0 did not match, 0 raised', 'the server reported 0 results for the 1 events sent']);
});
