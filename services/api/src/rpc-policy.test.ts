import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProtos } from '@caracal/api';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { authorize, policyOf, RPC_POLICIES } from './rpc-policy';
import type { Caller } from './token-auth.service';

function servedMethods(): string[] {
  const p = loadProtos().caracal;
  const services: ServiceDefinition[] = [p.query.v1.QueryService.service, p.alert.v1.AlertService.service, p.detection.v1.DetectionService.service, p.source.v1.SourceService.service, p.token.v1.TokenService.service];
  return services.flatMap((s) => Object.values(s).map((m) => m.path));
}

test('every method of the protos has a policy, and every policy a method', () => {
  const methods = servedMethods();
  assert.deepEqual(methods.filter((m) => policyOf(m) === undefined), []);
  assert.deepEqual(Object.keys(RPC_POLICIES).filter((p) => !methods.includes(p)), []);
});

test('roles: read-only reads, analyst triages and changes detections, only admin manages sources and tokens', () => {
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
  assert.deepEqual(allowed('read-only').map((m) => m.split('/').pop()).sort(), ['CancelQuery', 'ExecuteQuery', 'GetAlert', 'GetDetection', 'ListAlerts', 'ListDetections']);
  assert.throws(() => authorize(caller('admin'), '/caracal.x.v1.X/Unknown', undefined), /not a method this server grants to any token/);
});
