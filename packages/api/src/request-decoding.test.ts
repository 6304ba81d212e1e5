import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProtos } from './proto-loader';
import { UndecodableRequest, withUndecodableRequests } from './request-decoding';

test('a request that does not decode becomes an UndecodableRequest naming its type and the problem; others decode as before', () => {
  const service = withUndecodableRequests(loadProtos().caracal.source.v1.SourceService.service);
  const create = service.CreateSource;
  assert.equal(create.path, '/caracal.source.v1.SourceService/CreateSource');
  // A tag of field 1 as a varint, and then no varint.
  const bad = create.requestDeserialize(Buffer.from([0x08]));
  assert.ok(bad instanceof UndecodableRequest);
  assert.equal(bad.messageType, 'CreateSourceRequest');
  assert.match(bad.problem, /index out of range/);
  const good = create.requestDeserialize(create.requestSerialize({ sourceId: 'okta', logType: 'Panther.Audit' })) as { sourceId: string };
  assert.equal(good.sourceId, 'okta');
  assert.equal(create.responseSerialize, loadProtos().caracal.source.v1.SourceService.service.CreateSource.responseSerialize);
});
