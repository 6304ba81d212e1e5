import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '@caracal/core';
import { resolveSendAccess } from './client-credentials';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function dataDir(creds?: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-send-access-'));
  dirs.push(dir);
  if (creds) fs.writeFileSync(path.join(dir, 'credentials.json'), JSON.stringify(creds));
  return dir;
}

const LOCAL = { tenantId: 'demo', sourceId: 'panther-audit', secretHeader: 'x-caracal-secret', sourceSecret: 'crs_local', token: 'crc_t', ingestUrl: 'http://127.0.0.1:8080', grpcEndpoint: '' };

test('with no flags, send takes the data dir source, its URL, secret and header (files of before auth modes: shared-secret)', () => {
  const config = loadConfig({ CARACAL_DATA_DIR: dataDir(LOCAL) });
  assert.deepEqual(resolveSendAccess(config, {}), {
    url: 'http://127.0.0.1:8080',
    sourceId: 'panther-audit',
    auth: { mode: 'shared-secret', header: 'x-caracal-secret', secret: 'crs_local' },
  });
});

test('another source takes nothing secret of the data dir, and each mode its default header', () => {
  const config = loadConfig({ CARACAL_DATA_DIR: dataDir(LOCAL) });
  assert.throws(() => resolveSendAccess(config, { source: 'other' }), (err: Error & { code?: string }) => err.code === 'UNAUTHENTICATED' && /source "other"/.test(err.message));
  assert.deepEqual(resolveSendAccess(config, { source: 'other', secret: 's', auth: 'hmac-sha256' }).auth, { mode: 'hmac-sha256', header: 'x-caracal-signature-256', secret: 's' });
  assert.deepEqual(resolveSendAccess(config, { source: 'other', secret: 's', auth: 'bearer' }).auth, { mode: 'bearer', header: 'authorization', secret: 's' });
  assert.equal(resolveSendAccess(config, { source: 'other', secret: 's', header: 'X-Mine' }).auth.header, 'x-mine');
});

test('--secret-file is read without its final line break; --secret with it is refused', () => {
  const dir = dataDir();
  const file = path.join(dir, 'secret');
  fs.writeFileSync(file, 'crs_from_file\n');
  const config = loadConfig({ CARACAL_DATA_DIR: dir, CARACAL_INGEST_URL: 'http://ingest:8080' });
  assert.equal(resolveSendAccess(config, { source: 's', secretFile: file }).auth.secret, 'crs_from_file');
  assert.throws(() => resolveSendAccess(config, { source: 's', secretFile: file, secret: 'x' }), /not both/);
  assert.throws(() => resolveSendAccess(config, { source: 's', secretFile: path.join(dir, 'missing') }), /--secret-file: cannot read/);
  assert.throws(() => resolveSendAccess(config, { secret: 'x' }), /send needs --source/);
});
