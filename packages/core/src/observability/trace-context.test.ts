import { test } from 'node:test';
import assert from 'node:assert/strict';
import { childTraceContext, formatTraceparent, parseTraceparent } from './trace-context';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

test('a valid traceparent is read, and written back the same', () => {
  const ctx = parseTraceparent(`00-${TRACE}-${SPAN}-01`);
  assert.deepEqual(ctx, { traceId: TRACE, spanId: SPAN, sampled: true });
  assert.equal(formatTraceparent(ctx!), `00-${TRACE}-${SPAN}-01`);
  assert.equal(parseTraceparent(`00-${TRACE}-${SPAN}-00`)?.sampled, false);
  // A later version may append fields; its known part is still used.
  assert.equal(parseTraceparent(`01-${TRACE}-${SPAN}-01-extra`)?.traceId, TRACE);
});

test('a malformed traceparent starts a new trace instead of being trusted', () => {
  for (const bad of [
    undefined,
    '',
    'garbage',
    `00-${'0'.repeat(32)}-${SPAN}-01`,
    `00-${TRACE}-${'0'.repeat(16)}-01`,
    `ff-${TRACE}-${SPAN}-01`,
    `00-${TRACE}-${SPAN}-01-extra`,
    `00-${TRACE.slice(1)}-${SPAN}-01`,
    `00-${TRACE}-${SPAN}-0z`,
  ]) {
    assert.equal(parseTraceparent(bad), undefined, String(bad));
  }
});

test('a child keeps the trace and the sampling decision, with a span id of its own', () => {
  const parent = { traceId: TRACE, spanId: SPAN, sampled: true };
  const child = childTraceContext(parent);
  assert.equal(child.traceId, TRACE);
  assert.equal(child.sampled, true);
  assert.match(child.spanId, /^[0-9a-f]{16}$/);
  assert.notEqual(child.spanId, SPAN);
  const root = childTraceContext(undefined);
  assert.match(root.traceId, /^[0-9a-f]{32}$/);
  assert.notEqual(root.traceId, childTraceContext(undefined).traceId);
});
