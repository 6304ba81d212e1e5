import { test } from 'node:test';
import assert from 'node:assert/strict';
import { protoDefinition } from '@caracal/api';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { authorize, policyOf, RPC_POLICIES } from './rpc-policy';
import type { Caller } from './token-auth.service';

function servedMethods(): string[] {
  // Every service of every proto loaded, read from the descriptors: a new service cannot be left out of these checks.
  return Object.values(protoDefinition()).flatMap((d) => ('format' in d ? [] : Object.values(d as ServiceDefinition).map((m) => m.path)));
}

test('every method of the protos has a policy, and every policy a method', () => {
  const methods = servedMethods();
  assert.ok(methods.includes('/caracal.schedule.v1.ScheduleService/RunScheduledQuery'), 'the methods are read from the loaded descriptors');
  assert.deepEqual(methods.filter((m) => policyOf(m) === undefined), []);
  assert.deepEqual(Object.keys(RPC_POLICIES).filter((p) => !methods.includes(p)), []);
});

test('roles: read-only reads, analyst triages, changes detections and runs scheduled queries, only admin manages sources and tokens', () => {
  const caller = (role: Caller['role']): Caller => ({ tenantId: 'acme', tokenId: 't1', tokenName: 'ci', role });
  const allowed = (role: Caller['role']) =>
    servedMethods().filter((m) => {
      try {
        authorize(caller(role), m, policyOf(m));
        return true;
      } catch {
        return false;
      }
    });
  assert.equal(allowed('admin').length, servedMethods().length);
  assert.ok(allowed('analyst').every((m) => !/SourceService|TokenService/.test(m)));
  assert.ok(allowed('analyst').includes('/caracal.detection.v1.DetectionService/DeleteDetection'));
  assert.ok(allowed('analyst').includes('/caracal.schedule.v1.ScheduleService/RunScheduledQuery'));
  assert.deepEqual(allowed('read-only').map((m) => m.split('/').pop()).sort(), [
    'CancelQuery',
    'ExecuteQuery',
    'GetAlert',
    'GetDetection',
    'ListAlerts',
    'ListDetections',
    'ListScheduledQueries',
    'ListScheduledQueryRuns',
  ]);
  assert.throws(() => authorize(caller('admin'), '/caracal.x.v1.X/Unknown', undefined), /not a method this server grants to any token/);
});
