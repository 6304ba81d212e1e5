import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { UnreadableInputError } from '../ingest.errors';
import { readKafkaMessage } from './kafka-message.reader';

const MAX = 64 * 1024;

test('a message is one event, NDJSON or a JSON array of events; an empty value holds none', async () => {
  assert.deepEqual(
    (await readKafkaMessage(Buffer.from('{"a":1}'), MAX)).map((r) => r.value),
    [{ a: 1 }],
  );
  assert.deepEqual(
    (await readKafkaMessage(Buffer.from('{"a":1}\n{"a":2}'), MAX)).map((r) => r.value),
    [{ a: 1 }, { a: 2 }],
  );
  assert.deepEqual(
    (await readKafkaMessage(Buffer.from('[{"a":1},{"a":2}]'), MAX)).map((r) => r.text),
    ['{"a":1}', '{"a":2}'],
  );
  assert.deepEqual(
    (await readKafkaMessage(gzipSync('{"a":3}'), MAX)).map((r) => r.value),
    [{ a: 3 }],
  );
  assert.deepEqual(await readKafkaMessage(Buffer.alloc(0), MAX), []);
  // A Records envelope is one event here: Kafka producers send events, not CloudTrail files.
  assert.equal((await readKafkaMessage(Buffer.from('{"Records":[{"a":1},{"a":2}]}'), MAX)).length, 1);
});

test('a message that is not JSON is unreadable as a whole; a bad line of NDJSON is only that line', async () => {
  await assert.rejects(readKafkaMessage(Buffer.from('hello'), MAX), (err: Error) => err instanceof UnreadableInputError && /^the message is not JSON/.test(err.message));
  await assert.rejects(readKafkaMessage(Buffer.from([0xff, 0x00]), MAX), (err: Error) => err instanceof UnreadableInputError && /not valid UTF-8/.test(err.message));
  const lines = await readKafkaMessage(Buffer.from('{"a":1}\n{oops'), MAX);
  assert.deepEqual(lines[0].value, { a: 1 });
  assert.match(lines[1].problem ?? '', /^line 2 is not valid JSON/);
});
