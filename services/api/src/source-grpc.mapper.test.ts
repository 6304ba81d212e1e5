import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceRecord } from '@caracal/core/control-plane';
import { authModeFromProto, toSourceMessage } from './source-grpc.mapper';

test('auth modes map both ways; UNSPECIFIED leaves the default, an unknown value is refused', () => {
  assert.equal(authModeFromProto('SOURCE_AUTH_MODE_UNSPECIFIED'), undefined);
  assert.equal(authModeFromProto(0), undefined);
  assert.equal(authModeFromProto('SOURCE_AUTH_MODE_SHARED_SECRET'), 'shared-secret');
  assert.equal(authModeFromProto('SOURCE_AUTH_MODE_HMAC_SHA256'), 'hmac-sha256');
  assert.equal(authModeFromProto('SOURCE_AUTH_MODE_BEARER'), 'bearer');
  assert.throws(() => authModeFromProto('SOURCE_AUTH_MODE_BASIC'), /auth_mode: "SOURCE_AUTH_MODE_BASIC" is not one of/);
});

test('a source message tells the secrets apart by id and time, and never carries a hash or a key', () => {
  const source: SourceRecord = {
    id: 'okta',
    tenantId: 'acme',
    label: 'Okta',
    logType: 'Panther.Audit',
    authMode: 'hmac-sha256',
    authHeader: 'x-caracal-signature-256',
    secrets: [
      { id: 'bbbb2222', key: 'crs_new-key', createdAt: '2026-02-01T00:00:00.000Z' },
      { id: 'aaaa1111', key: 'crs_old-key', createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-02-02T00:00:00.000Z' },
    ],
    createdAt: '2026-01-01T00:00:00.000Z',
  };
  const message = toSourceMessage(source);
  assert.equal(message.authMode, 'SOURCE_AUTH_MODE_HMAC_SHA256');
  assert.equal(message.rateLimitPerSecond, 0);
  assert.deepEqual(
    message.secrets?.map((s) => [s.secretId, s.expireTime?.seconds ?? null]),
    [
      ['bbbb2222', null],
      ['aaaa1111', String(Date.parse('2026-02-02T00:00:00Z') / 1000)],
    ],
  );
  assert.equal(toSourceMessage({ ...source, authMode: 'bearer', rateLimitPerSecond: 20 }).rateLimitPerSecond, 20);
  assert.ok(!/crs_/.test(JSON.stringify(message)));
  const shared = toSourceMessage({ ...source, authMode: 'shared-secret', secrets: [{ id: 'cccc3333', sha256: 'ab'.repeat(32), createdAt: source.createdAt }] });
  assert.ok(!JSON.stringify(shared).includes('ab'.repeat(32)));
});
