import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ControlStore } from './control-store';

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
  assert.equal(source.secretSha256.length, 64);
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
