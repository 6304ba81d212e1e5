import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash, createHmac } from 'node:crypto';
import { ControlStore } from './control-store';
import { verifySourceRequest } from './source-auth';
import { SourceAuthMode } from './source.types';

function freshFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-control-')), 'control.json');
}

test('a source authenticates with its secret header only; the tenant comes from the source', () => {
  const store = ControlStore.open(freshFile());
  store.createTenant('acme');
  const { source, secret } = store.createSource({ id: 'audit', tenantId: 'acme', logType: 'Panther.Audit' });
  assert.equal(store.authenticateSource('audit', { 'x-caracal-secret': secret }).tenantId, 'acme');
  assert.throws(() => store.authenticateSource('audit', {}), /missing the x-caracal-secret header of source "audit"/);
  assert.throws(() => store.authenticateSource('audit', { 'x-caracal-secret': `${secret}x` }), /wrong secret for source "audit"/);
  assert.throws(() => store.authenticateSource('other', { 'x-caracal-secret': secret }), /no source "other"/);
  assert.ok(!fs.readFileSync(store.file, 'utf8').includes(secret), 'only the hash is stored');
  assert.equal(source.authMode, 'shared-secret');
  assert.equal(source.authHeader, 'x-caracal-secret');
  assert.equal(source.secrets.length, 1);
  assert.equal(source.secrets[0].sha256?.length, 64);
});

test('tokens authenticate to their tenant and role; unknown tokens are refused', () => {
  const store = ControlStore.open(freshFile());
  store.createTenant('acme');
  const { token } = store.createToken({ tenantId: 'acme', name: 'ci', role: 'analyst' });
  const rec = store.authenticateToken(token);
  assert.equal(rec.tenantId, 'acme');
  assert.equal(rec.role, 'analyst');
  assert.throws(() => store.authenticateToken('crc_nope'), /unknown API token/);
  assert.throws(() => store.createToken({ tenantId: 'missing', name: 'x', role: 'admin' }), /no tenant "missing"/);
});

test('ids are checked and duplicates refused; another process sees the changes', () => {
  const file = freshFile();
  const a = ControlStore.open(file);
  assert.throws(() => a.createTenant('Bad Id'), /tenant id "Bad Id" must be/);
  a.createTenant('acme');
  assert.throws(() => a.createTenant('acme'), /tenant "acme" already exists/);
  const { secret } = a.createSource({ id: 's1', tenantId: 'acme', logType: 'Panther.Audit' });
  const b = ControlStore.open(file);
  assert.equal(b.authenticateSource('s1', { 'x-caracal-secret': secret }).id, 's1');
});

test('a source or token created by another process a moment ago is found at once', () => {
  const file = freshFile();
  const ingest = ControlStore.open(file);
  const admin = ControlStore.open(file);
  admin.createTenant('acme');
  const { secret } = admin.createSource({ id: 'fresh', tenantId: 'acme', logType: 'Panther.Audit' });
  const { token } = admin.createToken({ tenantId: 'acme', name: 't', role: 'admin' });
  assert.equal(ingest.authenticateSource('fresh', { 'x-caracal-secret': secret }).tenantId, 'acme');
  assert.equal(ingest.authenticateToken(token).tenantId, 'acme');
});

test('a webhook destination gets a signing secret once; a slack destination none', () => {
  const store = ControlStore.open(freshFile());
  store.createTenant('acme');
  const hook = store.createDestination({ id: 'soc-hook', tenantId: 'acme', type: 'webhook', url: 'https://soc.example.com/hooks/caracal' });
  assert.match(hook.signingSecret ?? '', /^cds_[A-Za-z0-9_-]{43}$/);
  assert.equal(hook.destination.name, 'soc-hook');
  assert.deepEqual(hook.destination.severities, ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']);
  const slack = store.createDestination({
    id: 'slack-sec',
    tenantId: 'acme',
    name: 'Security channel',
    type: 'slack',
    url: 'https://hooks.slack.com/services/T0/B0/xyz',
    severities: ['HIGH', 'CRITICAL', 'HIGH'],
  });
  assert.equal(slack.signingSecret, undefined);
  assert.equal(slack.destination.signingSecret, undefined);
  assert.deepEqual(slack.destination.severities, ['HIGH', 'CRITICAL']);
});

test('destination fields are checked, each error naming its field', () => {
  const store = ControlStore.open(freshFile());
  store.createTenant('acme');
  const base = { id: 'd1', tenantId: 'acme', type: 'webhook' as const, url: 'https://example.com/h' };
  assert.throws(() => store.createDestination({ ...base, id: 'Bad Id' }), /destination id "Bad Id" must be/);
  assert.throws(() => store.createDestination({ ...base, tenantId: 'nope' }), /no tenant "nope"/);
  assert.throws(() => store.createDestination({ ...base, url: 'not a url' }), /destination url is not a valid URL/);
  assert.throws(() => store.createDestination({ ...base, url: 'ftp://example.com/x' }), /destination url must be http or https, got "ftp"/);
  assert.throws(() => store.createDestination({ ...base, type: 'slack', url: 'http://hooks.slack.com/x' }), /url of a slack destination must be https/);
  assert.throws(() => store.createDestination({ ...base, url: 'https://u:p@example.com/h' }), /must not carry a user name or password/);
  assert.throws(() => store.createDestination({ ...base, severities: ['HIGH', 'URGENT'] as never }), /destination severities: "URGENT" is not one of/);
  assert.throws(() => store.createDestination({ ...base, type: 'email' as never }), /destination type "email" must be one of webhook, slack/);
  assert.throws(() => store.createDestination({ ...base, name: ' ' }), /destination name " " must be/);
  store.createDestination(base);
  assert.throws(() => store.createDestination(base), /destination "d1" already exists/);
  assert.throws(() => store.createDestination({ ...base, id: 'd2', name: 'd1' }), /already has a destination with id or name "d1"/);
});

test('destinationsOf lists one tenant, sees destinations created by another process, and old files have none', () => {
  const file = freshFile();
  fs.writeFileSync(file, JSON.stringify({ tenants: [{ id: 'acme', name: 'acme', createdAt: '2026-01-01T00:00:00Z' }], sources: [], tokens: [] }));
  const worker = ControlStore.open(file);
  assert.deepEqual(worker.destinationsOf('acme'), []);
  const admin = ControlStore.open(file);
  admin.createTenant('globex');
  admin.createDestination({ id: 'a-hook', tenantId: 'acme', type: 'webhook', url: 'https://a.example.com/' });
  admin.createDestination({ id: 'g-hook', tenantId: 'globex', type: 'webhook', url: 'https://g.example.com/' });
  assert.deepEqual(worker.destinationsOf('acme').map((d) => d.id), ['a-hook']);
  assert.deepEqual(worker.destinationsOf('globex').map((d) => d.id), ['g-hook']);
});

test('a source is created in each auth mode with its default header; HMAC keys are the only secrets kept', () => {
  const store = ControlStore.open(freshFile());
  store.createTenant('acme');
  const shared = store.createSource({ id: 'shared', tenantId: 'acme', logType: 'Panther.Audit' });
  const signed = store.createSource({ id: 'signed', tenantId: 'acme', logType: 'Panther.Audit', authMode: 'hmac-sha256', rateLimitPerSecond: 50 });
  const bearer = store.createSource({ id: 'bearer', tenantId: 'acme', logType: 'Panther.Audit', authMode: 'bearer', authHeader: 'Authorization' });
  const custom = store.createSource({ id: 'custom', tenantId: 'acme', logType: 'Panther.Audit', authMode: 'hmac-sha256', authHeader: 'X-Hub-Signature-256' });
  assert.deepEqual(
    [shared, signed, bearer, custom].map(({ source }) => [source.authMode, source.authHeader, source.rateLimitPerSecond]),
    [
      ['shared-secret', 'x-caracal-secret', undefined],
      ['hmac-sha256', 'x-caracal-signature-256', 50],
      ['bearer', 'authorization', undefined],
      ['hmac-sha256', 'x-hub-signature-256', undefined],
    ],
  );
  const body = Buffer.from('{"a":1}');
  const signature = `sha256=${createHmac('sha256', signed.secret).update(body).digest('hex')}`;
  assert.equal(store.authenticateSource('shared', { 'x-caracal-secret': shared.secret }).id, 'shared');
  assert.equal(store.authenticateSource('signed', { 'x-caracal-signature-256': signature }, body).id, 'signed');
  assert.equal(store.authenticateSource('bearer', { authorization: `Bearer ${bearer.secret}` }).id, 'bearer');
  assert.throws(() => store.authenticateSource('bearer', { 'x-caracal-secret': bearer.secret }), /missing the "Authorization: Bearer <secret>" header of source "bearer"/);
  const file = fs.readFileSync(store.file, 'utf8');
  assert.ok(!file.includes(shared.secret) && !file.includes(bearer.secret), 'shared secrets and bearer secrets are kept as hashes');
  assert.ok(file.includes(signed.secret), 'an HMAC key is kept, since checking a signature needs it');
  assert.equal(store.findSource('signed').secrets[0].key, signed.secret);
});

test('source settings are checked, each error naming its field', () => {
  const store = ControlStore.open(freshFile());
  store.createTenant('acme');
  const base = { id: 's1', tenantId: 'acme', logType: 'Panther.Audit' };
  const cases: [Partial<Parameters<ControlStore['createSource']>[0]>, RegExp][] = [
    [{ authMode: 'basic' as SourceAuthMode }, /source auth mode "basic" must be one of shared-secret, hmac-sha256, bearer/],
    [{ authHeader: 'x secret' }, /source auth header "x secret" must be an HTTP header name/],
    [{ authHeader: '' }, /source auth header "" must be an HTTP header name/],
    [{ authHeader: 'x-caracal-säkret' }, /source auth header "x-caracal-säkret" must be an HTTP header name/],
    [{ authHeader: 'Host' }, /source auth header "Host" cannot carry a secret: it names the server/],
    [{ authHeader: 'content-length' }, /source auth header "content-length" cannot carry a secret/],
    [{ authHeader: 'Content-Encoding' }, /source auth header "Content-Encoding" cannot carry a secret/],
    [{ authHeader: 'content-type' }, /source auth header "content-type" cannot carry a secret/],
    [{ authHeader: 'Authorization' }, /source auth header "Authorization" is for bearer sources only/],
    [{ authMode: 'hmac-sha256', authHeader: 'authorization' }, /is for bearer sources only; a hmac-sha256 source needs another header/],
    [{ authMode: 'bearer', authHeader: 'x-token' }, /source auth header of a bearer source is always authorization, got "x-token"/],
    [{ rateLimitPerSecond: 0 }, /source rate limit per second must be a whole number from 1 to 100000, got 0/],
    [{ rateLimitPerSecond: 1.5 }, /source rate limit per second must be a whole number/],
    [{ rateLimitPerSecond: 100_001 }, /source rate limit per second must be a whole number from 1 to 100000, got 100001/],
  ];
  for (const [input, pattern] of cases) {
    assert.throws(
      () => store.createSource({ ...base, ...input }),
      (err: Error) => (err as { code?: string }).code === 'INVALID_ARGUMENT' && pattern.test(err.message),
      JSON.stringify(input),
    );
  }
  assert.deepEqual(store.sourcesOf('acme'), [], 'nothing refused was kept');
  assert.equal(store.createSource({ ...base, rateLimitPerSecond: 100_000 }).source.rateLimitPerSecond, 100_000);
  for (const previousValidSeconds of [-1, 0.5, 30 * 86_400 + 1]) {
    assert.throws(() => store.rotateSourceSecret('acme', 's1', { previousValidSeconds }), /previous secret validity \(previousValidSeconds\) must be a whole number of seconds from 0 to 2592000/);
  }
});

test('a rotation puts the new secret first; the previous one passes until it expires, older ones are dropped', () => {
  const file = freshFile();
  const store = ControlStore.open(file);
  store.createTenant('acme');
  const first = store.createSource({ id: 'audit', tenantId: 'acme', logType: 'Panther.Audit', authMode: 'bearer' });
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

  const before = Date.now();
  const second = store.rotateSourceSecret('acme', 'audit');
  assert.notEqual(second.secret, first.secret);
  assert.deepEqual(second.source.secrets.map((s) => s.id), [second.source.secrets[0].id, first.source.secrets[0].id]);
  assert.equal(second.source.secrets[0].expiresAt, undefined);
  const expiresAt = Date.parse(second.source.secrets[1].expiresAt ?? '');
  assert.ok(expiresAt >= before + 86_400_000 && expiresAt <= Date.now() + 86_400_000, 'a day by default');

  // Another process (ingest) sees the rotation and accepts both secrets until the previous one expires.
  const ingest = ControlStore.open(file);
  assert.equal(ingest.authenticateSource('audit', bearer(second.secret)).id, 'audit');
  assert.equal(ingest.authenticateSource('audit', bearer(first.secret)).id, 'audit');
  const later = new Date(expiresAt + 1);
  verifySourceRequest(ingest.findSource('audit'), bearer(second.secret), undefined, later);
  assert.throws(() => verifySourceRequest(ingest.findSource('audit'), bearer(first.secret), undefined, later), /was rotated out at/);

  const third = store.rotateSourceSecret('acme', 'audit', { previousValidSeconds: 60 });
  assert.deepEqual(third.source.secrets.map((s) => s.id), [third.source.secrets[0].id, second.source.secrets[0].id], 'the secret before the previous one is dropped');
  assert.ok(Date.parse(third.source.secrets[1].expiresAt ?? '') <= Date.now() + 60_000);
  assert.throws(() => store.authenticateSource('audit', bearer(first.secret)), /wrong bearer secret for source "audit"/);

  const fourth = store.rotateSourceSecret('acme', 'audit', { previousValidSeconds: 0 });
  assert.equal(fourth.source.secrets.length, 1, '0 drops the previous secret at once');
  assert.throws(() => store.authenticateSource('audit', bearer(third.secret)), /wrong bearer secret/);
  // A process that has the source loaded sees the change within a second (RELOAD_CHECK_MS); a fresh one at once.
  assert.equal(ControlStore.open(file).authenticateSource('audit', bearer(fourth.secret)).tenantId, 'acme');
  assert.deepEqual(store.sourcesOf('acme')[0].secrets, fourth.source.secrets);
});

test('a rotation keeps the mode: an HMAC source gets a new key', () => {
  const store = ControlStore.open(freshFile());
  store.createTenant('acme');
  store.createSource({ id: 'signed', tenantId: 'acme', logType: 'Panther.Audit', authMode: 'hmac-sha256', authHeader: 'x-sig' });
  const { source, secret } = store.rotateSourceSecret('acme', 'signed', { previousValidSeconds: 0 });
  assert.deepEqual([source.authMode, source.authHeader, source.secrets.length, source.secrets[0].key], ['hmac-sha256', 'x-sig', 1, secret]);
});

test("a tenant cannot rotate another tenant's source, which reads as missing and is left alone", () => {
  const store = ControlStore.open(freshFile());
  store.createTenant('acme');
  store.createTenant('globex');
  const { source, secret } = store.createSource({ id: 'audit', tenantId: 'acme', logType: 'Panther.Audit' });
  assert.throws(
    () => store.rotateSourceSecret('globex', 'audit'),
    (err: Error) => (err as { code?: string }).code === 'NOT_FOUND' && /^no source "audit"$/.test(err.message),
  );
  assert.throws(() => store.rotateSourceSecret('acme', 'nope'), /no source "nope"/);
  assert.deepEqual(store.findSource('audit').secrets, source.secrets);
  assert.equal(store.authenticateSource('audit', { 'x-caracal-secret': secret }).tenantId, 'acme');
});

test('findSource finds any tenant\'s source, one created by another process too, and names a missing one', () => {
  const file = freshFile();
  const ingest = ControlStore.open(file);
  const admin = ControlStore.open(file);
  admin.createTenant('acme');
  admin.createSource({ id: 'fresh', tenantId: 'acme', logType: 'Panther.Audit', authMode: 'hmac-sha256' });
  assert.equal(ingest.findSource('fresh').tenantId, 'acme');
  assert.throws(
    () => ingest.findSource('gone'),
    (err: Error) => (err as { code?: string }).code === 'NOT_FOUND' && err.message === 'no source "gone"',
  );
});

test('sources written before auth modes load as shared-secret sources and keep authenticating', () => {
  const file = freshFile();
  const secret = 'crs_old-secret-from-an-earlier-version';
  const hash = createHash('sha256').update(secret).digest('hex');
  fs.writeFileSync(
    file,
    JSON.stringify({
      tenants: [{ id: 'acme', name: 'acme', createdAt: '2026-01-01T00:00:00.000Z' }],
      sources: [
        { id: 'old', tenantId: 'acme', label: 'Old', logType: 'Panther.Audit', secretHeader: 'x-caracal-secret', secretSha256: hash, createdAt: '2026-01-02T00:00:00.000Z' },
        { id: 'old-custom', tenantId: 'acme', label: 'Custom', logType: 'Panther.Audit', secretHeader: 'x-okta-secret', secretSha256: hash, createdAt: '2026-01-03T00:00:00.000Z' },
      ],
      tokens: [],
    }),
  );
  const store = ControlStore.open(file);
  const old = store.findSource('old');
  assert.deepEqual({ ...old, secrets: old.secrets.map(({ id: _id, ...rest }) => rest) }, {
    id: 'old',
    tenantId: 'acme',
    label: 'Old',
    logType: 'Panther.Audit',
    authMode: 'shared-secret',
    authHeader: 'x-caracal-secret',
    secrets: [{ sha256: hash, createdAt: '2026-01-02T00:00:00.000Z' }],
    createdAt: '2026-01-02T00:00:00.000Z',
  });
  assert.match(old.secrets[0].id, /^[0-9a-f]{8}$/);
  assert.equal(ControlStore.open(file).findSource('old').secrets[0].id, old.secrets[0].id, 'every process shows the same secret id');
  assert.equal(store.authenticateSource('old', { 'x-caracal-secret': secret }).id, 'old');
  assert.equal(store.authenticateSource('old-custom', { 'x-okta-secret': secret }).id, 'old-custom');
  assert.throws(() => store.authenticateSource('old-custom', { 'x-caracal-secret': secret }), /missing the x-okta-secret header of source "old-custom"/);

  // The next write keeps the new format; the old secret still passes during its rotation.
  const rotated = store.rotateSourceSecret('acme', 'old');
  assert.equal(rotated.source.secrets[1].sha256, hash);
  const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { sources: Record<string, unknown>[] };
  assert.ok(saved.sources.every((s) => s.authMode === 'shared-secret' && !('secretSha256' in s) && !('secretHeader' in s)));
  assert.equal(ControlStore.open(file).authenticateSource('old', { 'x-caracal-secret': secret }).id, 'old');
});

test('without an id, a source gets one made here: the prefix asked for and a random end, never a taken one', () => {
  const store = ControlStore.open(freshFile());
  store.createTenant('acme');
  store.createTenant('globex');
  const a = store.createSource({ idPrefix: 'okta', tenantId: 'acme', logType: 'Panther.Audit' }).source;
  const b = store.createSource({ idPrefix: 'okta', tenantId: 'globex', logType: 'Panther.Audit' }).source;
  const c = store.createSource({ tenantId: 'acme', logType: 'Panther.Audit' }).source;
  assert.match(a.id, /^okta-[0-9a-f]{10}$/);
  assert.match(b.id, /^okta-[0-9a-f]{10}$/);
  assert.notEqual(a.id, b.id, 'the same prefix in two tenants: two sources, and neither learns of the other');
  assert.equal(a.label, 'okta', 'the label defaults to the prefix asked for');
  assert.match(c.id, /^src-[0-9a-f]{10}$/);
  assert.equal(store.findSource(a.id).tenantId, 'acme');
  assert.throws(() => store.createSource({ idPrefix: 'x'.repeat(53), tenantId: 'acme', logType: 'Panther.Audit' }), /1-52 lower-case letters/);
  assert.throws(() => store.createSource({ idPrefix: 'Bad_Prefix', tenantId: 'acme', logType: 'Panther.Audit' }), /source id prefix must be/);
});

test('source ids starting with caracal- are kept for Caracal, whoever asks', () => {
  const store = ControlStore.open(freshFile());
  store.createTenant('acme');
  assert.throws(() => store.createSource({ id: 'caracal-api', tenantId: 'acme', logType: 'Panther.Audit' }), /starts with "caracal-", which is kept for Caracal's own sources/);
  assert.throws(() => store.createSource({ idPrefix: 'caracal', tenantId: 'acme', logType: 'Panther.Audit' }), /would make an id starting with "caracal-"/);
  assert.throws(() => store.createSource({ idPrefix: 'caracal-api', tenantId: 'acme', logType: 'Panther.Audit' }), /would make an id starting with "caracal-"/);
  assert.match(store.createSource({ idPrefix: 'caracals', tenantId: 'acme', logType: 'Panther.Audit' }).source.id, /^caracals-/);
  assert.deepEqual(store.sourcesOf('acme').map((s) => s.id.split('-')[0]), ['caracals']);
});

test('pull sources keep their settings, get no HTTP secret, and take none of the HTTP settings', () => {
  const store = ControlStore.open(freshFile());
  store.createTenant('acme');
  const s3 = store.createSource({
    idPrefix: 'cloudtrail',
    tenantId: 'acme',
    logType: 'Panther.Audit',
    transport: 's3',
    s3: { bucket: 'acme-trail', prefix: 'AWSLogs/', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalr/EXAMPLE' },
  });
  assert.equal(s3.secret, '');
  assert.equal(s3.source.transport, 's3');
  assert.deepEqual(s3.source.secrets, []);
  assert.equal(s3.source.s3?.region, 'us-east-1');
  const kafka = store.createSource({ idPrefix: 'okta', tenantId: 'acme', logType: 'Panther.Audit', transport: 'kafka', kafka: { brokers: ['k:9092'], topic: 'okta' } });
  const http = store.createSource({ idPrefix: 'audit', tenantId: 'acme', logType: 'Panther.Audit', transport: 'http' });
  assert.equal(http.source.transport, undefined, 'an http source is written as before');
  assert.ok(http.secret.startsWith('crs_'));
  assert.deepEqual(
    store.pullSources().map((s) => s.id),
    [s3.source.id, kafka.source.id],
  );
  // Reloaded from the file by another process, the settings are the same.
  assert.deepEqual(ControlStore.open(store.file).pullSources()[0].s3, s3.source.s3);
  assert.throws(() => store.rotateSourceSecret('acme', s3.source.id), /is read by Caracal from s3 and has no HTTP secret to rotate/);
  assert.throws(() => store.authenticateSource(s3.source.id, { 'x-caracal-secret': 'anything' }), /wrong secret/);
  const base = { tenantId: 'acme', logType: 'Panther.Audit' };
  assert.throws(() => store.createSource({ ...base, transport: 's3' }), /an S3 source needs its settings/);
  assert.throws(() => store.createSource({ ...base, transport: 'kafka', kafka: { brokers: ['k:9092'], topic: 't' }, rateLimitPerSecond: 5 }), /: rate_limit_per_second applies to http sources only; a kafka source is read by Caracal itself$/);
  assert.throws(() => store.createSource({ ...base, transport: 's3', authMode: 'bearer', s3: { bucket: 'abc' } }), /: auth_mode applies to http sources only/);
  assert.throws(() => store.createSource({ ...base, s3: { bucket: 'abc' } }), /: s3 settings apply to s3 sources only; this source's transport is http$/);
  assert.throws(() => store.createSource({ ...base, transport: 's3', kafka: { topic: 't' }, s3: { bucket: 'abc' } }), /: kafka settings apply to kafka sources only/);
  assert.throws(() => store.createSource({ ...base, transport: 'ftp' as 'http' }), /: source transport "ftp" must be one of http, s3, kafka$/);
});
