import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { decodeBody, readRawBody, splitRecords } from './request-body.reader';

test('a JSON object, a JSON array and NDJSON all split into records, each with its text as sent', () => {
  assert.deepEqual(splitRecords('{"a":1}'), [{ text: '{"a":1}', value: { a: 1 } }]);
  assert.deepEqual(splitRecords('[ {"b":2, "a":1} ,\n{"a":[2,"]"]}]'), [
    { text: '{"b":2, "a":1}', value: { b: 2, a: 1 } },
    { text: '{"a":[2,"]"]}', value: { a: [2, ']'] } },
  ]);
  assert.deepEqual(splitRecords('{"a":1}\r\n\n{"a":2}\n'), [
    { text: '{"a":1}', value: { a: 1 } },
    { text: '{"a":2}', value: { a: 2 } },
  ]);
});

test('a bad NDJSON line is reported by number while the others pass', () => {
  const r = splitRecords('{"a":1}\n{oops\n{"a":3}');
  assert.deepEqual(r.map((x) => x.value), [{ a: 1 }, undefined, { a: 3 }]);
  assert.equal(r[1].text, '{oops');
  assert.match(r[1].problem ?? '', /^line 2 is not valid JSON/);
});

test('an empty or unreadable body is refused clearly', () => {
  assert.throws(() => splitRecords('  \n'), /the request body is empty/);
  assert.throws(() => splitRecords('[ ]'), /empty JSON array/);
  assert.throws(() => splitRecords('{not json'), /not valid JSON or NDJSON/);
});

test('deeply nested arrays split without recursion', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const r = splitRecords(`[${deep}, 1]`);
  assert.equal(r.length, 2);
  assert.equal(r[0].text.length, deep.length);
  assert.equal(r[1].text, '1');
});

test('the wire size is bounded before reading, by Content-Length, and while reading', async () => {
  await assert.rejects(readRawBody(Readable.from([Buffer.from('x')]), '5000', 1000), /request body exceeds 1000 bytes/);
  await assert.rejects(readRawBody(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), undefined, 1000), /exceeds 1000 bytes/);
  assert.equal((await readRawBody(Readable.from([Buffer.from('ab'), Buffer.from('c')]), '3', 1000)).toString(), 'abc');
});

test('gzip bodies are decoded; the size limit applies after decoding too', async () => {
  const text = JSON.stringify({ a: 'x'.repeat(1000) });
  assert.equal(await decodeBody(gzipSync(text), 'gzip', 10_000), text);
  assert.equal(await decodeBody(Buffer.from(text), undefined, 10_000), text);
  await assert.rejects(decodeBody(gzipSync('x'.repeat(5000)), 'gzip', 1000), /request body after gzip decoding exceeds 1000 bytes/);
  await assert.rejects(decodeBody(Buffer.from('x'), 'br', 1000), /unsupported Content-Encoding "br"/);
  await assert.rejects(decodeBody(Buffer.from('not gzip'), 'gzip', 1000), /the body is not valid gzip/);
  await assert.rejects(decodeBody(Buffer.from([0x7b, 0xff, 0x7d]), undefined, 1000), /not valid UTF-8/);
});
