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
