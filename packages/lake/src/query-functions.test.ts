import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deniedFunction, deniedVirtualColumn } from './query-functions';

test('refused functions go by family and prefix, whatever the case', () => {
  for (const fn of ['dictGet', 'dictGetStringOrDefault', 'DICTHAS', 'joinGet', 'joinGetOrNull', 'file', 'hostName', 'FQDN', 'getSetting', 'getMacro', 'currentUser', 'filesystemAvailable', '__getScalar']) {
    assert.ok(deniedFunction(fn), fn);
  }
  for (const fn of ['currentDatabase', 'count', 'sleepEachRow', 'throwIf', 'version', 'formatDateTime']) {
    assert.equal(deniedFunction(fn), undefined, fn);
  }
  assert.ok(deniedVirtualColumn('_part_offset'));
  assert.ok(!deniedVirtualColumn('p_row_id'));
});
