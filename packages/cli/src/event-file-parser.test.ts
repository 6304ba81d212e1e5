import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEventFile } from './event-file-parser';

const invalid = (pattern: RegExp) => (err: unknown) => (err as { code?: string }).code === 'INVALID_ARGUMENT' && pattern.test((err as Error).message);

test('a file with one JSON object is one event, labelled by the file', () => {
  const events = parseEventFile('{\n  "action": "DELETE_RULE",\n  "actor": {"id": "u1"}\n}\n', 'one.json');
  assert.deepEqual(events, [{ json: '{"action":"DELETE_RULE","actor":{"id":"u1"}}', where: 'one.json' }]);
});

test('a JSON array is one event per element, labelled by index', () => {
  const events = parseEventFile('[{"a": 1},\n {"a": 2}]', 'many.json');
  assert.deepEqual(events, [
    { json: '{"a":1}', where: 'many.json[0]' },
    { json: '{"a":2}', where: 'many.json[1]' },
  ]);
  assert.throws(() => parseEventFile('[{"a": 1}, 2]', 'many.json'), invalid(/^many\.json\[1\]: an event must be a JSON object$/));
  assert.throws(() => parseEventFile('[]', 'many.json'), invalid(/the array is empty/));
});

test('NDJSON is one event a line, labelled by line number; blank lines are skipped', () => {
  const events = parseEventFile('{"a": 1}\r\n\n{"a": 2}\n', 'events.ndjson');
  assert.deepEqual(
    events.map((e) => [e.where, JSON.parse(e.json)]),
    [
      ['events.ndjson:1', { a: 1 }],
      ['events.ndjson:3', { a: 2 }],
    ],
  );
});

test('a bad NDJSON line is named by its line number', () => {
  assert.throws(() => parseEventFile('{"a": 1}\n\n{"a": 2\n{"a": 3}\n', 'events.ndjson'), invalid(/^events\.ndjson:3: not valid JSON/));
  assert.throws(() => parseEventFile('{"a": 1}\n[1, 2]\n', 'events.ndjson'), invalid(/^events\.ndjson:2: an event must be a JSON object$/));
});

test('files that hold no events, or not events, are refused', () => {
  assert.throws(() => parseEventFile(' \n\n', 'empty.json'), invalid(/empty\.json: no events/));
  assert.throws(() => parseEventFile('"text"', 'x.json'), invalid(/got a JSON string/));
  assert.throws(() => parseEventFile('null', 'x.json'), invalid(/got a JSON null/));
  // A broken array is reported as JSON, not blamed on one of its lines.
  assert.throws(() => parseEventFile('[{"a": 1},\n{"a": }]', 'x.json'), invalid(/^x\.json: not valid JSON/));
});
