import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { CaracalError } from '../kernel/errors';
import { issueSourceSecret, sourceAuthNeedsBody, verifySourceRequest } from './source-auth';
import { DEFAULT_AUTH_HEADERS, SOURCE_AUTH_MODES, SourceAuthMode, SourceRecord } from './source.types';

type Headers = Record<string, string | string[] | undefined>;

const BODY = Buffer.from('{"actionName":"GET_ALERT"}\n');
const OTHER_BODY = Buffer.from('{"actionName":"DELETE_RULE"}\n');

function makeSource(id: string, authMode: SourceAuthMode, authHeader = DEFAULT_AUTH_HEADERS[authMode]): { source: SourceRecord; secret: string } {
  const { secret, record } = issueSourceSecret(authMode);
  return { source: { id, tenantId: 'acme', label: id, logType: 'Panther.Audit', authMode, authHeader, secrets: [record], createdAt: record.createdAt }, secret };
}

function hmacHex(key: string, body: Buffer): string {
  return createHmac('sha256', key).update(body).digest('hex');
}

/** The headers a well-behaved sender of `source` sends with `secret` for `body`. */
function credentials(source: SourceRecord, secret: string, body: Buffer = BODY): Headers {
  switch (source.authMode) {
    case 'shared-secret':
      return { [source.authHeader]: secret };
    case 'bearer':
      return { authorization: `Bearer ${secret}` };
    case 'hmac-sha256':
      return { [source.authHeader]: `sha256=${hmacHex(secret, body)}` };
  }
}

function refused(source: SourceRecord, headers: Headers, pattern: RegExp, body: Buffer | undefined = BODY, now?: Date): void {
  assert.throws(
    () => verifySourceRequest(source, headers, body, now),
    (err: unknown) => {
      assert.ok(err instanceof CaracalError);
      assert.equal(err.code, 'UNAUTHENTICATED', err.message);
      assert.match(err.message, pattern);
      assert.match(err.message, new RegExp(`source "${source.id}"`));
      return true;
    },
  );
}

const MALFORMED: Record<SourceAuthMode, { headers: (s: SourceRecord) => Headers; pattern: RegExp }[]> = {
  // Any non-empty value is a candidate secret; an empty one is missing.
  'shared-secret': [{ headers: (s) => ({ [s.authHeader]: '' }), pattern: /missing the x-caracal-secret header/ }],
  bearer: [
    { headers: () => ({ authorization: 'Basic dXNlcjpwYXNz' }), pattern: /Authorization header of source "src" must be "Bearer <secret>"/ },
    { headers: () => ({ authorization: 'Bearer' }), pattern: /must be "Bearer <secret>"/ },
    { headers: () => ({ authorization: 'Bearer two words' }), pattern: /must be "Bearer <secret>"/ },
  ],
  'hmac-sha256': [
    { headers: (s) => ({ [s.authHeader]: 'sha256=xyz' }), pattern: /x-caracal-signature-256 header of source "src" must be sha256=<64 hex digits>/ },
    { headers: (s) => ({ [s.authHeader]: `md5=${'a'.repeat(64)}` }), pattern: /must be sha256=<64 hex digits>/ },
    { headers: (s) => ({ [s.authHeader]: 'a'.repeat(63) }), pattern: /must be sha256=<64 hex digits>/ },
  ],
};

for (const mode of SOURCE_AUTH_MODES) {
  test(`${mode}: the right credentials pass; missing, malformed, wrong and another source's are refused`, () => {
    const { source, secret } = makeSource('src', mode);
    const { secret: otherSecret } = makeSource('other', mode);
    verifySourceRequest(source, credentials(source, secret), BODY);

    const missing = { 'shared-secret': /missing the x-caracal-secret header/, bearer: /missing the "Authorization: Bearer <secret>" header/, 'hmac-sha256': /missing the x-caracal-signature-256 signature header/ }[mode];
    refused(source, {}, missing);
    refused(source, { 'x-unrelated': secret }, missing);

    const wrong = { 'shared-secret': /wrong secret for source/, bearer: /wrong bearer secret for source/, 'hmac-sha256': /signature does not match the body for source/ }[mode];
    refused(source, credentials(source, `${secret}x`), wrong);
    refused(source, credentials(source, otherSecret), wrong);
    for (const m of MALFORMED[mode]) refused(source, m.headers(source), m.pattern);
  });
}

test('shared-secret: a custom header carries the secret, and only that header', () => {
  const { source, secret } = makeSource('src', 'shared-secret', 'x-okta-secret');
  verifySourceRequest(source, { 'x-okta-secret': secret }, undefined);
  verifySourceRequest(source, { 'x-okta-secret': [secret, 'ignored'] }, undefined);
  refused(source, { 'x-caracal-secret': secret }, /missing the x-okta-secret header of source "src"/, undefined);
  assert.equal(sourceAuthNeedsBody(source), false);
});

test('bearer: the scheme is case-insensitive, and a shared-secret header is no substitute', () => {
  const { source, secret } = makeSource('src', 'bearer');
  verifySourceRequest(source, { authorization: `bearer ${secret}` }, undefined);
  verifySourceRequest(source, { authorization: `BEARER  ${secret}` }, undefined);
  refused(source, { 'x-caracal-secret': secret }, /missing the "Authorization: Bearer <secret>" header/, undefined);
  assert.equal(sourceAuthNeedsBody(source), false);
});

test('hmac-sha256: sha256=<hex> and bare hex in any case; the signature covers the body bytes as received', () => {
  const { source, secret } = makeSource('src', 'hmac-sha256', 'x-hub-signature-256');
  assert.equal(sourceAuthNeedsBody(source), true);
  const hex = hmacHex(secret, BODY);
  for (const value of [`sha256=${hex}`, hex, hex.toUpperCase(), `SHA256=${hex.toUpperCase()}`]) {
    verifySourceRequest(source, { 'x-hub-signature-256': value }, BODY);
  }
  refused(source, { 'x-hub-signature-256': `sha256=${hmacHex(secret, OTHER_BODY)}` }, /x-hub-signature-256 signature does not match the body for source "src"/);
  refused(source, { 'x-hub-signature-256': `sha256=${hex}` }, /does not match the body/, Buffer.alloc(0));
  // A gzipped request is signed as sent: over the compressed bytes, not what they decode to.
  const gzipped = gzipSync(BODY);
  verifySourceRequest(source, { 'x-hub-signature-256': hmacHex(secret, gzipped) }, gzipped);
  refused(source, { 'x-hub-signature-256': hex }, /does not match the body/, gzipped);
});

test('hmac-sha256: a caller that did not keep the body is told, not let through', () => {
  const { source, secret } = makeSource('src', 'hmac-sha256');
  assert.throws(() => verifySourceRequest(source, credentials(source, secret), undefined), (err: unknown) => err instanceof CaracalError && err.code === 'INTERNAL');
});

test('only shared-secret and bearer secrets are stored hashed; an HMAC key is kept, since checking needs it', () => {
  const shared = issueSourceSecret('shared-secret');
  assert.match(shared.secret, /^crs_[A-Za-z0-9_-]{43}$/);
  assert.match(shared.record.sha256 ?? '', /^[0-9a-f]{64}$/);
  assert.equal(shared.record.key, undefined);
  assert.equal(issueSourceSecret('bearer').record.key, undefined);
  const hmac = issueSourceSecret('hmac-sha256');
  assert.equal(hmac.record.key, hmac.secret);
  assert.equal(hmac.record.sha256, undefined);
  assert.match(hmac.record.id, /^[0-9a-f]{8}$/);
});

for (const mode of SOURCE_AUTH_MODES) {
  test(`${mode}: during a rotation both secrets pass until the previous one expires`, () => {
    const { source: base, secret: oldSecret } = makeSource('src', mode);
    const next = issueSourceSecret(mode);
    const expiresAt = new Date(Date.parse(base.secrets[0].createdAt) + 3_600_000);
    const source: SourceRecord = { ...base, secrets: [next.record, { ...base.secrets[0], expiresAt: expiresAt.toISOString() }] };
    const before = new Date(expiresAt.getTime() - 1);
    verifySourceRequest(source, credentials(source, next.secret), BODY, before);
    verifySourceRequest(source, credentials(source, oldSecret), BODY, before);
    verifySourceRequest(source, credentials(source, next.secret), BODY, expiresAt);
    refused(source, credentials(source, oldSecret), new RegExp(`secret ${base.secrets[0].id} of source "src" was rotated out at ${expiresAt.toISOString()}`), BODY, expiresAt);
    // Once the previous secret is gone it is as wrong as any other.
    refused({ ...source, secrets: [next.record] }, credentials(source, oldSecret), /wrong|does not match/, BODY, before);
  });
}

test('a secret whose expiry cannot be read counts as expired', () => {
  const { source: base, secret } = makeSource('src', 'shared-secret');
  refused({ ...base, secrets: [{ ...base.secrets[0], expiresAt: 'soon' }] }, { 'x-caracal-secret': secret }, /was rotated out/);
});

test('an unknown auth mode in the control file is a configuration error, never a pass', () => {
  const { source, secret } = makeSource('src', 'shared-secret');
  assert.throws(
    () => verifySourceRequest({ ...source, authMode: 'none' as SourceAuthMode }, { 'x-caracal-secret': secret }, BODY),
    (err: unknown) => err instanceof CaracalError && err.code === 'INVALID_CONFIG' && /auth mode "none"/.test(err.message),
  );
});
