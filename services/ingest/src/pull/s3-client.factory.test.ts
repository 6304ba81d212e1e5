import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createS3Client } from './s3-client.factory';

const settings = { bucket: 'logs', prefix: '', region: 'us-east-1', forcePathStyle: true, accessKeyId: 'id', secretAccessKey: 'secret' };

test('with private networks off, an endpoint on a loopback, private or metadata address is refused', () => {
  for (const endpoint of ['http://127.0.0.1:9000', 'http://169.254.169.254', 'http://[::1]:9000', 'https://10.1.2.3']) {
    assert.throws(
      () => createS3Client({ ...settings, endpoint }, { requestTimeoutMs: 1000, allowPrivateNetworks: false }),
      (err: Error) => (err as { code?: string }).code === 'PERMISSION_DENIED' && /pull sources may not reach private networks \(CARACAL_SOURCE_ALLOW_PRIVATE_NETWORKS\)/.test(err.message),
      endpoint,
    );
  }
  createS3Client({ ...settings, endpoint: 'http://127.0.0.1:9000' }, { requestTimeoutMs: 1000, allowPrivateNetworks: true }).destroy();
  createS3Client(settings, { requestTimeoutMs: 1000, allowPrivateNetworks: false }).destroy();
});
