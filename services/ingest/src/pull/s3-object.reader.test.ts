import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { UnreadableInputError } from '../ingest.errors';
import { readS3Object } from './s3-object.reader';

const MAX = 1024 * 1024;
const a = { eventName: 'ConsoleLogin', n: 1 };
const b = { eventName: 'AssumeRole', n: 2 };

async function refused(bytes: Buffer, pattern: RegExp, max = MAX) {
  await assert.rejects(readS3Object(bytes, max), (err: Error) => {
    assert.ok(err instanceof UnreadableInputError, `${err.name}: ${err.message}`);
    assert.equal((err as UnreadableInputError).code, 'INVALID_ARGUMENT');
    assert.equal((err as UnreadableInputError).retriable, false);
    assert.match(err.message, pattern);
    return true;
  });
}

test('each format is told per object, plain or gzip alike', async () => {
  const cases: [string, string, unknown[]][] = [
    ['ndjson', `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`, [a, b]],
    ['json-array', JSON.stringify([a, b]), [a, b]],
    ['cloudtrail-records', JSON.stringify({ Records: [a, b] }), [a, b]],
    ['json-object', JSON.stringify(a), [a]],
  ];
  for (const [format, text, values] of cases) {
    for (const gzip of [false, true]) {
      const bytes = gzip ? gzipSync(text) : Buffer.from(text);
      const read = await readS3Object(bytes, MAX);
      assert.equal(read.format, format, `${format} gzip=${gzip}`);
      assert.equal(read.gzip, gzip);
      assert.deepEqual(
        read.records.map((r) => r.value),
        values,
      );
      assert.ok(read.records.every((r) => r.problem === undefined && JSON.parse(r.text) !== undefined));
    }
  }
});

test('records keep their text as written, so that a rejection quotes the input', async () => {
  const read = await readS3Object(Buffer.from('[ {"b":1,  "a":2} , {"c":3} ]'), MAX);
  assert.deepEqual(
    read.records.map((r) => r.text),
    ['{"b":1,  "a":2}', '{"c":3}'],
  );
  // CloudTrail's records are elements of the envelope: their JSON, not the file's bytes.
  const envelope = await readS3Object(Buffer.from('{"Records":[{"eventName":"X"}]}'), MAX);
  assert.equal(envelope.records[0].text, '{"eventName":"X"}');
});

test('a bad NDJSON line is its own problem and the good lines go on; a byte order mark is no part of the JSON', async () => {
  const read = await readS3Object(Buffer.from(`\ufeff${JSON.stringify(a)}\r\nnot json\n${JSON.stringify(b)}`), MAX);
  assert.equal(read.format, 'ndjson');
  assert.deepEqual(read.records[0].value, a);
  assert.match(read.records[1].problem ?? '', /^line 2 is not valid JSON/);
  assert.deepEqual(read.records[2].value, b);
});

test('an empty object, an empty array or empty Records hold no events and are nothing wrong', async () => {
  for (const text of ['', '  \n', '[]', '[ ]']) assert.deepEqual((await readS3Object(Buffer.from(text), MAX)).records, [], JSON.stringify(text));
  assert.deepEqual((await readS3Object(gzipSync(''), MAX)).records, []);
  const noRecords = await readS3Object(Buffer.from('{"Records":[]}'), MAX);
  assert.equal(noRecords.format, 'cloudtrail-records');
  assert.deepEqual(noRecords.records, []);
});

test('objects that hold nothing readable are refused as a whole, saying why', async () => {
  await refused(Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('this is no deflate stream')]), /^the object is not valid gzip/);
  await refused(gzipSync(JSON.stringify(a)).subarray(0, 15), /^the object is not valid gzip/);
  await refused(Buffer.from('just some text, no JSON'), /^the object is not JSON, a JSON array or NDJSON/);
  await refused(Buffer.from([0xc3, 0x28, 0x7b, 0x7d]), /^the object is not valid UTF-8$/);
  await refused(gzipSync(Buffer.from([0xff, 0xfe, 0xfd])), /^the object is not valid UTF-8 once gunzipped$/);
});

test('an object over the limit is refused, before or after gunzip (a small bomb never inflates past it)', async () => {
  await refused(Buffer.from(JSON.stringify([a, a, a])), /^the object is \d+ bytes; the limit is 16$/, 16);
  const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
  assert.ok(bomb.length < 16 * 1024);
  await refused(bomb, /^the object exceeds 1048576 bytes once gunzipped$/);
});
