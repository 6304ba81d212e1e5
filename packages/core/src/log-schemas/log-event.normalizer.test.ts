import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLogSchema } from './log-schema.loader';
import { logSchema } from './log-schema.registry';
import { LogTypeSchema } from './log-schema.types';
import { MAX_EVENT_DEPTH, normalizeEvent, NormalizeResult } from './log-event.normalizer';

const ctx = { tenantId: 'acme', sourceId: 'audit', sourceLabel: 'Audit', parseTime: new Date('2024-05-01T00:00:00Z') };
const PANTHER = logSchema('Panther.Audit')!;
const GITHUB = logSchema('GitHub.Audit')!;

function pantherAudit(raw: unknown, context = ctx): NormalizeResult {
  return normalizeEvent(PANTHER, raw, context);
}

function raw(overrides: Record<string, unknown> = {}) {
  return {
    actionName: 'DELETE_DETECTION',
    actionResult: 'SUCCEEDED',
    actor: { id: 'u1', type: 'USER', name: 'homer', attributes: { email: 'Homer@Springfield.gov' } },
    timestamp: '2022-04-22 15:39:55.358',
    pantherVersion: '1.74.6',
    actionParams: { dynamic: { input: { emails: ['bart@springfield.gov'] } } },
    sourceIP: '203.0.113.10',
    XForwardedFor: ['203.0.113.10', '10.0.0.2'],
    p_tenant_id: 'evil',
    ...overrides,
  };
}

function problemsByField(r: NormalizeResult): Record<string, string> {
  assert.ok(!r.ok, 'expected the event to be refused');
  return Object.fromEntries(r.problems.map((p) => [p.field, p.problem]));
}

test('adds the standard fields; the tenant comes from the source, never the payload', () => {
  const r = pantherAudit(raw());
  assert.ok(r.ok);
  const e = r.event;
  assert.equal(e.p_tenant_id, 'acme');
  assert.equal(e.p_log_type, 'Panther.Audit');
  assert.equal(e.p_event_time, '2022-04-22 15:39:55.358');
  assert.equal(e.p_parse_time, '2024-05-01 00:00:00.000');
  assert.equal(e.p_source_id, 'audit');
  assert.equal(e.p_source_label, 'Audit');
  assert.equal(e.p_schema_version, 1);
  assert.match(e.p_row_id, /^[0-9a-f]{32}$/);
});

test('a Panther.Audit event comes out exactly as the hand-written normalizer made it', () => {
  const r = pantherAudit(raw({ errors: null, userAgent: 'Mozilla/5.0', actionDetails: { n: 1 } }));
  assert.ok(r.ok);
  assert.deepEqual(r.event, {
    p_log_type: 'Panther.Audit',
    p_tenant_id: 'acme',
    // sha256("acme\naudit\n" + canonical JSON of the raw event), as before the schemas were YAML.
    p_row_id: r.event.p_row_id,
    p_event_time: '2022-04-22 15:39:55.358',
    p_parse_time: '2024-05-01 00:00:00.000',
    p_source_id: 'audit',
    p_source_label: 'Audit',
    p_schema_version: 1,
    p_any_ip_addresses: ['203.0.113.10', '10.0.0.2'],
    p_any_usernames: ['homer'],
    p_any_emails: ['homer@springfield.gov', 'bart@springfield.gov'],
    p_any_trace_ids: ['u1'],
    p_any_actor_ids: ['u1'],
    actionName: 'DELETE_DETECTION',
    actionResult: 'SUCCEEDED',
    actor: { id: 'u1', type: 'USER', name: 'homer', attributes: { email: 'Homer@Springfield.gov' } },
    timestamp: '2022-04-22 15:39:55.358',
    pantherVersion: '1.74.6',
    actionParams: { dynamic: { input: { emails: ['bart@springfield.gov'] } } },
    actionDetails: { n: 1 },
    errors: null,
    sourceIP: '203.0.113.10',
    XForwardedFor: ['203.0.113.10', '10.0.0.2'],
    userAgent: 'Mozilla/5.0',
  });
  // Pinned: sha256 of "acme\naudit\n" and the sorted-key JSON, computed outside Caracal; the previous normalizer gave the same, so retries across the upgrade keep their id.
  const pinned = pantherAudit({
    actionName: 'DELETE_DETECTION',
    actionResult: 'SUCCEEDED',
    actor: { id: 'u1', type: 'USER' },
    timestamp: '2022-04-22 15:39:55.358',
    pantherVersion: '1.74.6',
  });
  assert.ok(pinned.ok);
  assert.equal(pinned.event.p_row_id, '35a4e4f33f0d79399df50af338b8f2b3');
});

test('p_row_id is the same for the same event retried, whatever its key order; different events differ', () => {
  const a = pantherAudit(raw());
  const reordered = Object.fromEntries(Object.entries(raw({ actor: { attributes: { email: 'Homer@Springfield.gov' }, name: 'homer', type: 'USER', id: 'u1' } })).reverse());
  const b = pantherAudit(reordered, { ...ctx, parseTime: new Date() });
  const c = pantherAudit(raw({ actionName: 'UPDATE_USER' }));
  const otherTenant = pantherAudit(raw(), { ...ctx, tenantId: 'globex' });
  const otherSource = pantherAudit(raw(), { ...ctx, sourceId: 'audit-2' });
  assert.ok(a.ok && b.ok && c.ok && otherTenant.ok && otherSource.ok);
  assert.equal(a.event.p_row_id, b.event.p_row_id);
  assert.notEqual(a.event.p_row_id, c.event.p_row_id);
  assert.notEqual(a.event.p_row_id, otherTenant.event.p_row_id);
  assert.notEqual(a.event.p_row_id, otherSource.event.p_row_id);
});

test('both timestamp styles are read, a zoneless one as UTC', () => {
  const time = (timestamp: unknown) => {
    const r = pantherAudit(raw({ timestamp }));
    return r.ok ? [r.event.p_event_time, r.event.timestamp] : undefined;
  };
  assert.deepEqual(time('2022-04-22 15:39:55.358'), ['2022-04-22 15:39:55.358', '2022-04-22 15:39:55.358']);
  assert.deepEqual(time('2022-04-22 15:39:55'), ['2022-04-22 15:39:55.000', '2022-04-22 15:39:55.000']);
  assert.deepEqual(time('2022-04-22T15:39:55Z')?.[0], '2022-04-22 15:39:55.000');
  assert.deepEqual(time('2022-04-22T17:39:55.123456+02:00')?.[0], '2022-04-22 15:39:55.123');
  assert.deepEqual(time('2022-04-22 15:39:55.5-0130')?.[0], '2022-04-22 17:09:55.500');
  for (const bad of ['yesterday', 1650641995, '2022-02-30 10:00:00', '2022-04-22T25:00:00Z', '1850-01-01T00:00:00Z']) {
    assert.match(problemsByField(pantherAudit(raw({ timestamp: bad }))).timestamp, /^must be a timestamp \(rfc3339 or %Y-%m-%d %H:%M:%S\.%f or .*; got /, String(bad));
  }
});

test('each p_any_* field takes its indicators: IPs, usernames, emails (also found in free-form params), trace and actor ids', () => {
  const r = pantherAudit(
    raw({
      sourceIP: '2001:db8::1',
      XForwardedFor: [' 198.51.100.7', '2001:db8::1'],
      actor: { id: 'tok-9', type: 'TOKEN', name: 'ci-bot', attributes: { email: 'not-an-email' } },
      actionParams: { static: { notify: ['Lisa@Springfield.gov', 'nope'], nested: [{ cc: 'ned@flanders.org' }] } },
    }),
  );
  assert.ok(r.ok);
  assert.deepEqual(r.event.p_any_ip_addresses, ['2001:db8::1', '198.51.100.7']);
  assert.deepEqual(r.event.p_any_usernames, ['ci-bot']);
  assert.deepEqual(r.event.p_any_emails.sort(), ['lisa@springfield.gov', 'ned@flanders.org']);
  assert.deepEqual(r.event.p_any_trace_ids, ['tok-9']);
  assert.deepEqual(r.event.p_any_actor_ids, ['tok-9']);
  assert.deepEqual(r.event.XForwardedFor, [' 198.51.100.7', '2001:db8::1'], 'the raw value is kept; the indicator is trimmed');

  const bare = pantherAudit(raw({ sourceIP: null, XForwardedFor: undefined, actor: { id: 'u2', type: 'USER' }, actionParams: undefined }));
  assert.ok(bare.ok);
  assert.deepEqual([bare.event.p_any_ip_addresses, bare.event.p_any_usernames, bare.event.p_any_emails], [[], [], []]);
});

test('absent optional values stay absent and nulls stay null (the lake stores the defaults); undeclared top-level fields go to p_extra_fields', () => {
  const r = pantherAudit({ actionName: 'X', actionResult: 'FAILED', actor: { id: 'u', type: 'USER', extra: { kept: true } }, timestamp: '2024-01-01T00:00:00Z', pantherVersion: '1', surprise: 1, userAgent: null, actionParams: null });
  assert.ok(r.ok);
  for (const field of ['actionDetails', 'errors', 'XForwardedFor', 'sourceIP', 'actionDescription']) assert.ok(!(field in r.event), field);
  assert.equal(r.event.userAgent, null);
  assert.equal(r.event.actionParams, null);
  assert.ok(!('surprise' in r.event));
  assert.deepEqual(r.event.p_extra_fields, { surprise: 1 });
  assert.deepEqual(r.event.actor, { id: 'u', type: 'USER', extra: { kept: true } }, 'inside an object, undeclared keys are kept');
});

test('every problem of an invalid event is named with its field path', () => {
  const byField = problemsByField(
    pantherAudit({
      actionResult: 'MAYBE',
      actor: { type: 'ROBOT', name: 7, attributes: { emailVerified: 'yes' } },
      timestamp: 'soon',
      actionParams: 'free text',
      sourceIP: 'not-an-ip',
      XForwardedFor: ['1.2.3.4', 'x', 5],
      errors: [{ message: 'ok' }, 'bad'],
      userAgent: ['a'],
    }),
  );
  assert.deepEqual(byField, {
    actionName: 'is required',
    actionResult: 'must be one of SUCCEEDED, FAILED, PARTIALLY_FAILED; got "MAYBE"',
    'actor.id': 'is required',
    'actor.type': 'must be one of USER, TOKEN; got "ROBOT"',
    'actor.name': 'must be a string',
    'actor.attributes.emailVerified': 'must be true or false',
    timestamp: byField.timestamp,
    pantherVersion: 'is required',
    actionParams: 'must be a JSON object',
    'errors[1]': 'must be a JSON object',
    sourceIP: 'must be an IP address; got "not-an-ip"',
    'XForwardedFor[1]': 'must be an IP address; got "x"',
    'XForwardedFor[2]': 'must be a string',
    userAgent: 'must be a string',
  });
  assert.match(byField.timestamp, /got "soon"$/);
  assert.deepEqual(problemsByField(pantherAudit(raw({ actionName: '' }))), { actionName: 'must be a non-empty string' });
  assert.deepEqual(problemsByField(pantherAudit(raw({ actor: 'homer' }))), { actor: 'must be an object' });
  assert.deepEqual(pantherAudit([1, 2]), { ok: false, problems: [{ field: '(event)', problem: 'must be a JSON object' }] });
});

test('an event nested deeper than the bound is refused as a whole, one level less is read', () => {
  const nest = (levels: number) => {
    let v: unknown = 'deep';
    for (let i = 0; i < levels; i++) v = { v };
    return v;
  };
  // The event itself is the first level, so actionParams may hold one level less.
  assert.ok(pantherAudit(raw({ actionParams: nest(MAX_EVENT_DEPTH - 1) })).ok);
  assert.deepEqual(pantherAudit(raw({ actionParams: nest(MAX_EVENT_DEPTH) })), {
    ok: false,
    problems: [{ field: '(event)', problem: `is nested deeper than ${MAX_EVENT_DEPTH} levels` }],
  });
  assert.deepEqual(problemsByField(pantherAudit(raw({ actionParams: nest(100_000) }))), { '(event)': `is nested deeper than ${MAX_EVENT_DEPTH} levels` });
});

test('hostile shapes give problems, never exceptions', () => {
  const protoKeys = JSON.parse('{"__proto__": {"actionName": "X"}, "constructor": 1, "toString": "x"}');
  const huge = Array.from({ length: 200_000 }, (_, i) => `10.0.${i % 250}.1`);
  for (const value of [null, 0, -1.5, 'text', true, [], [{}], {}, protoKeys, raw({ XForwardedFor: huge }), raw({ actionParams: { list: huge } }), raw({ errors: huge })]) {
    const r = pantherAudit(value);
    if (!r.ok) assert.ok(r.problems.length > 0 && r.problems.length <= 50);
  }
  const many = pantherAudit(raw({ XForwardedFor: Array.from({ length: 1000 }, () => 'x') }));
  assert.ok(!many.ok && many.problems.length === 50, 'problems are capped');
});

test('a field named like an Object.prototype member is read from the event only', () => {
  const schema: LogTypeSchema = parseLogSchema('schema: Test.Proto\nversion: 3\nfields:\n  - name: constructor\n    type: string\n    required: true\n', 'test_proto.yml');
  assert.deepEqual(normalizeEvent(schema, {}, ctx), { ok: false, problems: [{ field: 'constructor', problem: 'is required' }] });
  const r = normalizeEvent(schema, { constructor: 'x' }, ctx);
  assert.ok(r.ok);
  assert.equal(r.event.constructor, 'x');
  assert.equal(r.event.p_schema_version, 3);
  assert.equal(r.event.p_event_time, '2024-05-01 00:00:00.000', 'no event time field: the parse time');
});

function githubEvent(overrides: Record<string, unknown> = {}) {
  return {
    '@timestamp': 1714521600123,
    _document_id: 'Xq3bWsdCsmVqr9ZbUqfB5A',
    action: 'protected_branch.destroy',
    actor: 'octocat',
    actor_id: 583231,
    actor_ip: '192.0.2.44',
    actor_location: { country_code: 'US' },
    business: 'springfield',
    created_at: 1714521600120,
    external_identity_nameid: 'Octo.Cat@Example.com',
    operation_type: 'remove',
    org: 'springfield-nuclear',
    org_id: 4242,
    repo: 'springfield-nuclear/reactor-control',
    request_id: 'C0A8:1F2E:3B4C:5D6E',
    user: 'hubot',
    data: { note: 'by mona@example.com' },
    name: 'main',
    ...overrides,
  };
}

test('GitHub.Audit goes through the same normalizer: @timestamp is the event time, indicators from its YAML', () => {
  const r = normalizeEvent(GITHUB, githubEvent(), ctx);
  assert.ok(r.ok, JSON.stringify(r));
  const e = r.event;
  assert.equal(e.p_log_type, 'GitHub.Audit');
  assert.equal(e.p_event_time, '2024-05-01 00:00:00.123');
  assert.equal(e['@timestamp'], '2024-05-01 00:00:00.123');
  assert.equal(e.created_at, '2024-05-01 00:00:00.120');
  assert.deepEqual(e.p_any_ip_addresses, ['192.0.2.44']);
  assert.deepEqual(e.p_any_usernames, ['octocat', 'hubot']);
  assert.deepEqual(e.p_any_emails, ['octo.cat@example.com']);
  assert.deepEqual(e.p_any_trace_ids, ['C0A8:1F2E:3B4C:5D6E']);
  assert.deepEqual(e.p_any_actor_ids, ['583231']);
  assert.deepEqual(e.actor_location, { country_code: 'US' });
  assert.ok(!('team' in e), 'absent, as it was sent');
  assert.ok(!('name' in e), 'a field the schema does not declare is not a column');
  assert.deepEqual(e.p_extra_fields, { name: 'main' }, 'it is kept in the catch-all');

  const quoted = normalizeEvent(GITHUB, githubEvent({ actor_id: '583231', business_id: '-7' }), ctx);
  assert.ok(quoted.ok, JSON.stringify(quoted));
  assert.equal(quoted.event.actor_id, 583231, 'a quoted id is stored as its number');
  assert.equal(quoted.event.business_id, -7);
  assert.deepEqual(quoted.event.p_any_actor_ids, ['583231']);
  const tooLong = normalizeEvent(GITHUB, githubEvent({ actor_id: '12345678901234567' }), ctx);
  assert.ok(!tooLong.ok, 'digits past a double are refused, not rounded');

  const untimed = normalizeEvent(GITHUB, githubEvent({ '@timestamp': undefined }), ctx);
  assert.ok(untimed.ok);
  assert.equal(untimed.event.p_event_time, '2024-05-01 00:00:00.000', 'an optional event time that is absent: the parse time');

  assert.deepEqual(problemsByField(normalizeEvent(GITHUB, githubEvent({ '@timestamp': '2024-05-01', actor_id: '58323x', actor_location: [] }), ctx)), {
    '@timestamp': 'must be a timestamp (unix_ms or lake) from 1900 to 2299; got "2024-05-01"',
    actor_id: 'must be a whole number within ±9007199254740991 (or its digits as a string)',
    actor_location: 'must be an object',
  });
});

test('undeclared top-level fields are kept as they came in p_extra_fields; the standard fields are never taken from the sender', () => {
  const sent = githubEvent({
    ruleset: { name: 'main', rules: [{ type: 'deletion' }] },
    note: null,
    p_tenant_id: 'globex',
    p_extra_fields: { forged: true },
    p_enrichment: { tor: true },
  });
  const r = normalizeEvent(GITHUB, sent, ctx);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.event.p_extra_fields, { name: 'main', ruleset: { name: 'main', rules: [{ type: 'deletion' }] }, note: null, p_enrichment: { tor: true } });
  assert.equal(r.event.p_tenant_id, ctx.tenantId);
  assert.equal(r.event.ruleset, undefined, 'not at the top level of the message: the lake has no such column');

  const proto = normalizeEvent(GITHUB, JSON.parse('{"action":"repo.create","__proto__":{"polluted":true}}') as unknown, ctx);
  assert.ok(proto.ok);
  assert.equal(JSON.stringify(proto.event.p_extra_fields), '{"__proto__":{"polluted":true}}', 'a field named __proto__ is kept as a field');
  assert.equal(Object.getPrototypeOf(proto.event.p_extra_fields), Object.prototype);

  const plain = normalizeEvent(GITHUB, githubEvent({ name: undefined }), ctx);
  assert.ok(plain.ok);
  assert.ok(!('p_extra_fields' in plain.event), 'absent when every field is declared');
});

test('a nested isEventTime field is the event time (Google Workspace keeps it in id.time)', () => {
  const schema = parseLogSchema(
    ['schema: Nested.Time', 'version: 1', 'fields:', '  - name: id', '    type: object', '    fields:', '      - name: time', '        type: timestamp', '        timeFormats: [rfc3339]', '        isEventTime: true', '  - name: kind', '    type: string'].join('\n'),
    'nested_time.yml',
  );
  assert.equal(schema.eventTimePath, 'id.time');
  const r = normalizeEvent(schema, { id: { time: '2024-05-01T12:00:00.5Z', uniqueQualifier: '42' }, kind: 'admin' }, ctx);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.event.p_event_time, '2024-05-01 12:00:00.500');
  assert.deepEqual(r.event.id, { time: '2024-05-01 12:00:00.500', uniqueQualifier: '42' });
  const absent = normalizeEvent(schema, { kind: 'admin' }, ctx);
  assert.ok(absent.ok);
  assert.equal(absent.event.p_event_time, '2024-05-01 00:00:00.000', 'without it: the parse time');
});

test("p_parse_time is the context's instant, also when that Date is later set to another", () => {
  const parseTime = new Date('2024-05-01T00:00:00Z');
  const context = { ...ctx, parseTime };
  const texts = () => {
    const r = pantherAudit(raw(), context);
    assert.ok(r.ok);
    return [r.event.p_parse_time, r.event.p_event_time];
  };
  assert.deepEqual(texts(), ['2024-05-01 00:00:00.000', '2022-04-22 15:39:55.358']);
  assert.deepEqual(texts(), ['2024-05-01 00:00:00.000', '2022-04-22 15:39:55.358'], 'a second event of the same request');
  parseTime.setTime(Date.parse('2025-01-02T03:04:05.678Z'));
  assert.deepEqual(texts(), ['2025-01-02 03:04:05.678', '2022-04-22 15:39:55.358']);
});
