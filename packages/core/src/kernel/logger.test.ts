import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, MAX_LOG_STRING_BYTES } from './logger';
import { CaracalError } from './errors';

function capture(): { lines: () => Record<string, unknown>[]; raw: () => string[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const raw = () => chunks.join('').split('\n').filter((l) => l !== '');
  return { stream, raw, lines: () => raw().map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('a huge message, string field, nested field or error is cut in the log line, with the marker', () => {
  const out = capture();
  const logger = createLogger('info', 'test', out.stream);
  const huge = 'x'.repeat(5 * 1024 * 1024);
  logger.warn({ tenantId: 'acme', problem: huge, nested: { deeper: [huge] } }, `rule raised: ${huge}`);
  logger.error({ err: new CaracalError('INTERNAL', huge) }, 'failed');
  logger.error(new Error(huge));
  logger.info('interpolated %s', huge);
  for (const line of out.raw()) assert.ok(Buffer.byteLength(line) < 4 * MAX_LOG_STRING_BYTES, `a line of ${Buffer.byteLength(line)} bytes`);
  const [first, second, third, fourth] = out.lines();
  assert.equal(first.tenantId, 'acme');
  assert.match(first.msg as string, /^rule raised: x+… \[truncated, 5242893 bytes\]$/);
  assert.match(first.problem as string, /… \[truncated, 5242880 bytes\]$/);
  assert.match((first.nested as { deeper: string[] }).deeper[0], /… \[truncated, 5242880 bytes\]$/);
  const err = second.err as Record<string, unknown>;
  assert.equal(err.type, 'CaracalError');
  assert.equal(err.code, 'INTERNAL');
  assert.match(err.message as string, /… \[truncated, 5242880 bytes\]$/);
  assert.match(err.stack as string, /^\w*Error: x+… \[truncated, \d+ bytes\]$/);
  assert.match(third.msg as string, /… \[truncated, 5242880 bytes\]$/);
  assert.match(fourth.msg as string, /^interpolated x+… \[truncated, 5242893 bytes\]$/);
});

test('ordinary lines are unchanged', () => {
  const out = capture();
  const logger = createLogger('info', 'test', out.stream);
  logger.info({ n: 3, ok: true, list: ['a', { b: 'c' }], at: new Date(0) }, 'hello');
  const [line] = out.lines();
  assert.deepEqual([line.msg, line.n, line.ok, line.list, line.at, line.service], ['hello', 3, true, ['a', { b: 'c' }], '1970-01-01T00:00:00.000Z', 'test']);
});
