import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { CaracalError } from './errors';
import { createLogger, recentErrorsOf } from './logger';
import { RecentErrors } from './recent-errors.buffer';

const AT = new Date('2026-12-07T06:00:00.000Z');

test('the buffer keeps the newest entries up to its capacity, newest first', () => {
  const recent = new RecentErrors(3);
  for (let i = 1; i <= 5; i++) recent.addLogCall([`failure ${i}`], 'error', 'caracal', AT);
  assert.deepEqual(
    recent.list().map((e) => e.message),
    ['failure 5', 'failure 4', 'failure 3'],
  );
});

test('each form of a pino call gives its message and code, and nothing of the fields beside them', () => {
  const recent = new RecentErrors();
  recent.addLogCall(['batch of %d failed', 3], 'error', 'caracal', AT);
  recent.addLogCall([{ err: new CaracalError('UNAVAILABLE', 'broker down'), tenantId: 'acme', event: { password: 'hunter2' } }, 'publish failed'], 'error', 'caracal', AT);
  recent.addLogCall([new CaracalError('INTERNAL', 'lake refused the insert')], 'fatal', 'caracal', AT);
  recent.addLogCall([{ groupId: 'caracal-rules-worker', reason: 'INVALID_EVENT', error: 'secret event text' }, 'message set aside on the dead-letter topic'], 'error', 'caracal', AT);
  recent.addLogCall([{ service: 'ingest', code: 'a code with spaces and "quotes"' }, 'x'], 'error', 'caracal', AT);
  assert.deepEqual(recent.list().reverse(), [
    { time: AT.toISOString(), level: 'error', service: 'caracal', message: 'batch of 3 failed' },
    { time: AT.toISOString(), level: 'error', service: 'caracal', code: 'UNAVAILABLE', message: 'publish failed' },
    { time: AT.toISOString(), level: 'fatal', service: 'caracal', code: 'INTERNAL', message: 'lake refused the insert' },
    { time: AT.toISOString(), level: 'error', service: 'caracal', code: 'INVALID_EVENT', group: 'caracal-rules-worker', message: 'message set aside on the dead-letter topic' },
    { time: AT.toISOString(), level: 'error', service: 'ingest', message: 'x' },
  ]);
  assert.ok(!JSON.stringify(recent.list()).includes('hunter2'));
  assert.ok(!JSON.stringify(recent.list()).includes('secret event text'));
});

test('a long message is cut', () => {
  const recent = new RecentErrors();
  recent.addLogCall([`failed: ${'x'.repeat(10_000)}`], 'error', 'caracal', AT);
  assert.ok(Buffer.byteLength(recent.list()[0].message) <= 500);
});

test('a logger from createLogger, and its children, feed its recent errors; lower levels do not', () => {
  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  const logger = createLogger('info', 'caracal', sink);
  logger.warn('only a warning');
  logger.error({ err: new CaracalError('UNAVAILABLE', 'down') }, 'bus unreachable');
  logger.child({ service: 'rules-worker' }).error('rules failed');
  const recent = recentErrorsOf(logger);
  assert.ok(recent);
  assert.deepEqual(
    recent.list().map((e) => [e.service, e.code, e.message]),
    [
      ['rules-worker', undefined, 'rules failed'],
      ['caracal', 'UNAVAILABLE', 'bus unreachable'],
    ],
  );
});
