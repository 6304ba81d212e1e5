import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventStreamSplitter, SplitEvent } from './event-stream-splitter';

/** The events of `text` fed in chunks of `size` characters: every cut must give the same events. */
function split(text: string, size: number, max = 1024 * 1024, name = 'f'): SplitEvent[] {
  const splitter = new EventStreamSplitter(name, max);
  const events: SplitEvent[] = [];
  for (let i = 0; i < text.length; i += size) events.push(...splitter.push(text.slice(i, i + size)));
  events.push(...splitter.end());
  return events;
}

/** The same events for chunks of 1, 2, 3, 7 characters and the whole text at once. */
function splitAnyhow(text: string, max?: number): SplitEvent[] {
  const whole = split(text, text.length || 1, max);
  for (const size of [1, 2, 3, 7]) assert.deepEqual(split(text, size, max), whole, `chunks of ${size}`);
  return whole;
}

const texts = (events: SplitEvent[]) => events.map((e) => e.text);
const wheres = (events: SplitEvent[]) => events.map((e) => e.where);

test('NDJSON is cut by lines, blank lines and CRs dropped, each named by its line', () => {
  const events = splitAnyhow('{"a":1}\r\n\n  {"b":"x"}\n{"c":[1,2]}');
  assert.deepEqual(texts(events), ['{"a":1}', '{"b":"x"}', '{"c":[1,2]}']);
  assert.deepEqual(wheres(events), ['f:1', 'f:3', 'f:4']);
  assert.deepEqual(events.map((e) => e.bytes), [7, 9, 11]);
});

test('an NDJSON line that is not JSON stays one event, for ingest to refuse by its index', () => {
  const events = splitAnyhow('{"a":1}\nnot json {\n{"b":2}\n');
  assert.deepEqual(texts(events), ['{"a":1}', 'not json {', '{"b":2}']);
  assert.equal(events[1].problem, undefined);
});

test('a JSON array is cut element by element; brackets, commas and escaped quotes inside strings cut nothing', () => {
  const text = '[\n  {"msg": "a ] b, c } d"},\n  {"q": "say \\"[hi,\\" \\\\", "n": {"x": [1, {"y": 2}]}},\n  {"nl": "line\\nbreak"}\n]\n';
  const events = splitAnyhow(text);
  assert.deepEqual(texts(events), ['{"msg": "a ] b, c } d"}', '{"q": "say \\"[hi,\\" \\\\", "n": {"x": [1, {"y": 2}]}}', '{"nl": "line\\nbreak"}']);
  assert.deepEqual(wheres(events), ['f[0]', 'f[1]', 'f[2]']);
  for (const e of events) assert.doesNotThrow(() => JSON.parse(e.text));
});

test('an element spread over lines is sent on one line, its strings untouched', () => {
  const events = splitAnyhow('[{\n  "a": "x  y",\r\n  "b": 2\n}]');
  assert.deepEqual(texts(events), ['{   "a": "x  y",    "b": 2 }']);
  assert.deepEqual(JSON.parse(events[0].text), { a: 'x  y', b: 2 });
});

test('a single pretty-printed object is one event', () => {
  const events = splitAnyhow('\uFEFF{\n  "actionName": "X",\n  "actor": {"id": "u1"}\n}\n');
  assert.equal(events.length, 1);
  assert.deepEqual(JSON.parse(events[0].text), { actionName: 'X', actor: { id: 'u1' } });
  assert.equal(events[0].where, 'f:1');
});

test('objects spread over lines one after another are events each, named by their first line', () => {
  const events = splitAnyhow('{\n "a": 1\n}\n{\n "b": "}"\n}\n');
  assert.deepEqual(texts(events).map((t) => JSON.parse(t)), [{ a: 1 }, { b: '}' }]);
  assert.deepEqual(wheres(events), ['f:1', 'f:4']);
});

test('a single-line object without a final line break is one event', () => {
  assert.deepEqual(texts(splitAnyhow('{"a": "[{"}')), ['{"a": "[{"}']);
});

test('broken arrays say what is wrong, and where', () => {
  assert.deepEqual(
    splitAnyhow('[{"a":1},,{"b":2},]').map((e) => [e.where, e.problem]),
    [
      ['f[0]', undefined],
      ['f[1]', 'an empty element of the JSON array'],
      ['f[2]', undefined],
      ['f[3]', 'a comma before the end of the JSON array'],
    ],
  );
  assert.deepEqual(splitAnyhow('[{"a":1}, {"b": 2').map((e) => e.problem), [undefined, 'the file ends before the JSON array closes']);
  assert.deepEqual(splitAnyhow('[{"a":1}]\nmore').map((e) => [e.where, e.problem]), [
    ['f[0]', undefined],
    ['f:2', 'text after the end of the JSON array'],
  ]);
  assert.equal(splitAnyhow('[{"a": "x\ny"}]')[0].problem, 'a line break inside a string (not valid JSON)');
  assert.equal(splitAnyhow('[[{"a":1}]]')[0].problem, 'a JSON array, not an event (an event is a JSON object)');
  assert.deepEqual(splitAnyhow('[]'), []);
  assert.deepEqual(splitAnyhow('  \n '), []);
});

test('an event over the limit is counted and let go, not kept, and the next one is whole', () => {
  const big = `{"pad":"${'x'.repeat(5000)}"}`;
  const events = splitAnyhow(`{"a":1}\n${big}\n{"b":2}\n`, 1000);
  assert.deepEqual(texts(events), ['{"a":1}', '', '{"b":2}']);
  assert.equal(events[1].oversized, true);
  assert.ok(events[1].bytes > 1000);
  assert.equal(events[1].where, 'f:2');
  const inArray = splitAnyhow(`[${big}, {"c": "]"}]`, 1000);
  assert.deepEqual(inArray.map((e) => [e.where, e.oversized === true, e.text]), [
    ['f[0]', true, ''],
    ['f[1]', false, '{"c": "]"}'],
  ]);
});

test('sizes are UTF-8 bytes, whatever the chunks cut through', () => {
  const events = splitAnyhow('{"e":"é😀"}\n');
  assert.equal(events[0].bytes, Buffer.byteLength('{"e":"é😀"}'));
});
