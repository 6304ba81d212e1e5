import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TenantDetectionRecord, tenantDetectionKey } from '@caracal/core/messages';
import { TenantDetectionLedger } from './tenant-detection-ledger';

function record(tenantId: string, ruleId: string, version: number, deleted = false): TenantDetectionRecord {
  return {
    tenantId,
    ruleId,
    version,
    updatedAtMs: version,
    updatedBy: 'token:t (1)',
    ...(deleted ? {} : { files: { yaml: `RuleID: ${ruleId}`, python: `# v${version}` } }),
  };
}

function message(r: TenantDetectionRecord): [string, Buffer] {
  return [tenantDetectionKey(r.tenantId, r.ruleId), Buffer.from(JSON.stringify(r))];
}

test('the latest version of each key is kept, per tenant', () => {
  const ledger = new TenantDetectionLedger();
  assert.equal(ledger.take(...message(record('acme', 'A.Rule', 1))), 'acme');
  assert.equal(ledger.take(...message(record('acme', 'A.Rule', 2, true))), 'acme');
  assert.equal(ledger.take(...message(record('globex', 'A.Rule', 1))), 'globex');
  assert.equal(ledger.get('acme', 'A.Rule')?.files, undefined, 'the deletion is the latest record');
  assert.equal(ledger.get('globex', 'A.Rule')?.version, 1);
  assert.deepEqual(ledger.recordsOf('acme').map((r) => r.version), [2]);
  assert.equal(ledger.tenants, 2);
  assert.equal(ledger.size, 2);
});

test('an older or repeated version changes nothing, and says so', () => {
  const ledger = new TenantDetectionLedger();
  ledger.put(record('acme', 'A.Rule', 3));
  assert.equal(ledger.take(...message(record('acme', 'A.Rule', 2))), undefined);
  assert.equal(ledger.take(...message(record('acme', 'A.Rule', 3))), undefined);
  assert.equal(ledger.get('acme', 'A.Rule')?.version, 3);
});

test('a tombstone empties its key; a record under a foreign key or without a tenant is refused by name', () => {
  const ledger = new TenantDetectionLedger();
  ledger.put(record('acme', 'A.Rule', 1));
  assert.equal(ledger.take(tenantDetectionKey('acme', 'A.Rule'), Buffer.alloc(0)), 'acme');
  assert.equal(ledger.size, 0);
  assert.equal(ledger.take('acme|Other', Buffer.alloc(0)), undefined);
  const [, value] = message(record('acme', 'A.Rule', 1));
  assert.throws(() => ledger.take('globex|A.Rule', value), /stored under key "globex\|A.Rule", not its own/);
  assert.throws(() => ledger.take('x', Buffer.from('{"ruleId":"A","version":1}')), /tenantId is missing/);
  assert.throws(() => ledger.take('x', Buffer.from('[1]')), /tenantId is missing|not a JSON object/);
  assert.throws(() => ledger.take('x', Buffer.from('{')), SyntaxError);
});
