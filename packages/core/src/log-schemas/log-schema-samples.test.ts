import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INDICATOR_FIELDS } from './log-schema.types';
import { normalizeEvent } from './log-event.normalizer';
import { logSchemaDirectory, logSchemas } from './log-schema.registry';

// Every log type has a sample event of its vendor's shape (written for this
// test from the vendor's documentation), and what its schema must make of it:
// the event time and each p_any_* list.
interface Sample {
  event: Record<string, unknown>;
  expect: Record<string, unknown>;
}

const sampleDir = path.join(logSchemaDirectory(), 'samples');
const ctx = { tenantId: 'acme', sourceId: 'sample', sourceLabel: 'Sample', parseTime: new Date('2030-01-01T00:00:00Z') };

test('every log type has a sample, and no sample is left without its log type', () => {
  const slugs = logSchemas().map((s) => s.slug);
  const samples = fs.readdirSync(sampleDir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
  assert.deepEqual(slugs.filter((s) => !samples.includes(s)), [], 'log types without a sample');
  assert.deepEqual(samples.filter((s) => !slugs.includes(s)), [], 'samples without a log type');
});

for (const schema of logSchemas()) {
  test(`${schema.logType}: its sample is accepted, with its event time and indicators`, () => {
    const sample = JSON.parse(fs.readFileSync(path.join(sampleDir, `${schema.slug}.json`), 'utf8')) as Sample;
    const r = normalizeEvent(schema, sample.event, ctx);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
    if (schema.eventTimeField) {
      assert.equal(r.event.p_event_time, sample.expect.p_event_time, 'p_event_time');
      assert.notEqual(r.event.p_event_time, '2030-01-01 00:00:00.000', "the time is the event's own, not the parse time");
    } else {
      // A log type whose events carry no time of their own (GitHub webhook payloads).
      assert.equal(sample.expect.p_event_time, undefined, 'a log type without an event time expects none');
      assert.equal(r.event.p_event_time, '2030-01-01 00:00:00.000');
    }
    for (const field of Object.values(INDICATOR_FIELDS)) {
      const want = sample.expect[field];
      assert.ok(Array.isArray(want), `the sample states ${field}`);
      assert.deepEqual([...(r.event[field] as string[])].sort(), [...(want as string[])].sort(), field);
    }
  });
}
