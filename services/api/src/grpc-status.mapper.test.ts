import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { CaracalError, InvalidArgumentError, MAX_STATUS_DETAILS_BYTES } from '@caracal/core';
import { toGrpcError } from './grpc-status.mapper';

test('a status keeps its code, and details that would not fit a trailer are cut with the marker', () => {
  const echo = `no alert "${'é'.repeat(40_000)}"`;
  const status = toGrpcError(new CaracalError('NOT_FOUND', echo));
  assert.equal(status.code, grpc.status.NOT_FOUND);
  assert.ok(Buffer.byteLength(status.details!) <= MAX_STATUS_DETAILS_BYTES);
  assert.match(status.details!, /^no alert "é+… \[truncated, 80011 bytes\]$/);
  assert.equal(status.message, status.details);
  assert.deepEqual(toGrpcError(new InvalidArgumentError('short')), { code: grpc.status.INVALID_ARGUMENT, details: 'short', message: 'short' });
  assert.deepEqual(toGrpcError(new Error('x'.repeat(100))), { code: grpc.status.INTERNAL, details: 'internal error', message: 'internal error' });
});
