import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { readBody, splitRecords } from './request-body.reader';

test('a JSON object, a JSON array and NDJSON all split into records', () => {
  assert.deepEqual(splitRecords('{"a":1}').records, [{ a: 1 }]);
  assert.deepEqual(splitRecords('[{"a":1},{"a":2}]').records, [{ a: 1 }, { a: 2 }]);
  assert.deepEqual(splitRecords('{"a":1}\n\n{"a":2}\n').records, [{ a: 1 }, { a: 2 }]);
});

test('a bad NDJSON line is reported by number while the others pass', () => {
  const r = splitRecords('{"a":1}\n{oops\n{"a":3}');
  assert.deepEqual(r.records, [{ a: 1 }, undefined, { a: 3 }]);
  assert.equal(r.lineErrors.length, 1);
  assert.equal(r.lineErrors[0].index, 1);
  assert.match(r.lineErrors[0].problem, /^line 2 is not valid JSON/);
});

test('an empty or unreadable body is refused clearly', () => {
  assert.throws(() => splitRecords('  \n'), /the request body is empty/);
  assert.throws(() => splitRecords('{not json'), /not valid JSON or NDJSON/);
});

test('gzip bodies are read; the size limit applies after decompression', async () => {
  const text = JSON.stringify({ a: 'x'.repeat(1000) });
  assert.equal(await readBody(Readable.from([gzipSync(text)]), 'gzip', 10_000), text);
  await assert.rejects(readBody(Readable.from([gzipSync('x'.repeat(5000))]), 'gzip', 1000), /exceeds 1000 bytes/);
  await assert.rejects(readBody(Readable.from([Buffer.from('x')]), 'br', 1000), /unsupported Content-Encoding "br"/);
  await assert.rejects(readBody(Readable.from([Buffer.from('not gzip')]), 'gzip', 1000), /cannot read the request body/);
});
