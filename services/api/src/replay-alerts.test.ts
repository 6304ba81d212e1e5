import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedupDifferences } from './replay-alerts';

test('differences are counted per type and dedup, and only where the two sides disagree', () => {
  const replay = [
    { type: 'RULE' as const, dedup: 'homer' },
    { type: 'RULE' as const, dedup: 'homer' },
    { type: 'RULE' as const, dedup: 'marge' },
    { type: 'RULE_ERROR' as const, dedup: 'KeyError' },
  ];
  const live = [
    { type: 'RULE' as const, dedup: 'homer' },
    { type: 'RULE' as const, dedup: 'marge' },
    { type: 'RULE' as const, dedup: 'bart' },
    { type: 'RULE' as const, dedup: 'KeyError' },
  ];
  const { same, differences } = dedupDifferences(replay, live);
  assert.equal(same, 1, 'marge agrees');
  assert.deepEqual(differences, [
    { dedup: 'bart', type: 'RULE', replayAlerts: 0, liveAlerts: 1 },
    { dedup: 'homer', type: 'RULE', replayAlerts: 2, liveAlerts: 1 },
    // The same dedup string under another type is another key.
    { dedup: 'KeyError', type: 'RULE', replayAlerts: 0, liveAlerts: 1 },
    { dedup: 'KeyError', type: 'RULE_ERROR', replayAlerts: 1, liveAlerts: 0 },
  ]);
});
