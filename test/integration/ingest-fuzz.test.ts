import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { startCaracal, RunningCaracal } from '@caracal/runtime';
import { createLogger, loadConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { dataLakeQueryEvent, deleteDetectionEvent } from '../support/audit-events';
import { postToSource } from '../support/ingest-http';
import { tempDir } from '../support/test-env';

// Garbage at the HTTP edge: whatever the body and headers, ingest answers
// with a 2xx or 4xx naming the problem, never a 5xx, and keeps serving.
const dataDir = tempDir('ingest-fuzz');
const config = loadConfig({ CARACAL_DATA_DIR: dataDir, CARACAL_HTTP_PORT: '0', CARACAL_OPS_PORT: '0', CARACAL_LOG_LEVEL: 'silent' });
let running: RunningCaracal;
let base: string;
let secret: string;

before(async () => {
  const control = ControlStore.open(config.controlFile);
  control.createTenant('acme');
  secret = control.createSource({ id: 'fuzz', tenantId: 'acme', logType: 'Panther.Audit', rateLimitPerSecond: 100000 }).secret;
  running = await startCaracal(config, ['ingest'], createLogger('silent'));
  base = `http://127.0.0.1:${running.httpPort}`;
});

after(async () => {
  await running?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const printable = fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).filter((s) => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(s));

/** A real event with some fields replaced, removed or retyped: near misses find more than noise does. */
const mutatedEvent = fc
  .tuple(
    fc.constantFrom(dataLakeQueryEvent(), deleteDetectionEvent()),
    fc.array(fc.tuple(fc.constantFrom('actionName', 'actionResult', 'actor', 'timestamp', 'pantherVersion', 'actionParams', 'errors', 'sourceIP', 'XForwardedFor', 'userAgent', 'actor.id', 'actor.type', 'actor.attributes', 'extra'), fc.oneof(fc.jsonValue(), fc.constant(undefined))), { maxLength: 4 }),
  )
  .map(([event, changes]) => {
    const copy = structuredClone(event) as Record<string, unknown>;
    for (const [field, value] of changes) {
      const [top, sub] = field.split('.');
      if (sub && typeof copy[top] === 'object' && copy[top] !== null) (copy[top] as Record<string, unknown>)[sub] = value;
      else copy[top] = value;
    }
    return copy;
  });

const deepNesting = fc.integer({ min: 10, max: 200_000 }).map((depth) => `[${'{"a":['.repeat(depth)}${']}'.repeat(depth)}]`);

// Near misses weigh most: they are what reaches the normalizer and the publish.
const text = fc.oneof(
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? '') },
  { weight: 2, arbitrary: mutatedEvent.map((e) => JSON.stringify(e)) },
  { weight: 3, arbitrary: fc.array(mutatedEvent, { maxLength: 20 }).map((es) => JSON.stringify(es)) },
  {
    weight: 3,
    arbitrary: fc.array(fc.oneof(mutatedEvent.map((e) => JSON.stringify(e)), fc.string({ maxLength: 50 })), { maxLength: 20 }).map((lines) => lines.join('\n')),
  },
  { weight: 1, arbitrary: deepNesting },
);

const body = fc.oneof(
  text.map((t) => ({ bytes: Buffer.from(t), gzip: false })),
  text.map((t) => ({ bytes: gzipSync(t), gzip: true })),
  fc.uint8Array({ maxLength: 500 }).map((b) => ({ bytes: Buffer.from(b), gzip: false })),
  text.map((t) => ({ bytes: gzipSync(t).subarray(0, Math.max(1, Math.floor(t.length / 3))), gzip: true })),
);

const request = fc.record({
  body,
  sourceId: fc.oneof({ weight: 8, arbitrary: fc.constant('fuzz') }, { weight: 1, arbitrary: printable.filter((s) => s.length > 0) }),
  secret: fc.oneof({ weight: 8, arbitrary: fc.constant<string | undefined>(undefined) }, { weight: 1, arbitrary: printable }, { weight: 1, arbitrary: fc.constant('') }),
  encoding: fc.oneof(fc.constant<string | undefined>(undefined), fc.constantFrom('gzip', 'identity', 'GZIP', ' gzip ', 'br', 'gzip, gzip', 'deflate'), printable),
  contentType: fc.oneof(fc.constant<string | undefined>(undefined), fc.constantFrom('application/json', 'application/x-ndjson', 'text/plain; charset=latin1'), printable),
});

test('no body or header makes ingest answer 5xx or stop', async (t) => {
  const seen = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const headers: Record<string, string> = { 'x-caracal-secret': r.secret ?? secret };
      const encoding = r.encoding ?? (r.body.gzip ? 'gzip' : undefined);
      if (encoding !== undefined) headers['content-encoding'] = encoding;
      if (r.contentType !== undefined) headers['content-type'] = r.contentType;
      const answer = await postToSource(base, r.sourceId, r.body.bytes, headers);
      seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
      assert.ok([200, 400, 401, 404, 413].includes(answer.status), `status ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
      if (answer.status === 200) {
        assert.ok(Number(answer.body.accepted) >= 1, JSON.stringify(answer.body).slice(0, 500));
      } else {
        const error = answer.body.error as { message?: unknown } | undefined;
        const rejected = answer.body.rejected as unknown[] | undefined;
        assert.ok((typeof error?.message === 'string' && error.message.length > 0) || (rejected?.length ?? 0) > 0, `a ${answer.status} says why: ${JSON.stringify(answer.body).slice(0, 500)}`);
      }
    }),
    { numRuns: 400 },
  );
  t.diagnostic(`statuses: ${JSON.stringify(Object.fromEntries(seen))}`);
  // The run must have reached the parser, not just bounced off authentication.
  assert.ok((seen.get(200) ?? 0) >= 3 && (seen.get(400) ?? 0) >= 30, `statuses seen: ${JSON.stringify([...seen])}`);
  const alive = await postToSource(base, 'fuzz', JSON.stringify(dataLakeQueryEvent()), { 'x-caracal-secret': secret });
  assert.equal(alive.status, 200);
});
