import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaracalError } from '../kernel/errors';
import { loadLogSchemaDirectory, parseLogSchema } from './log-schema.loader';
import { logSchema, logSchemaDirectory, logSchemas, supportedLogTypes } from './log-schema.registry';

const FILE = 'log-schemas/test_logs.yml';

/** A schema with one extra field spec (YAML, indented as a list item of fields). */
function withField(field: string, head = 'schema: Test.Logs\nversion: 1\n'): string {
  return `${head}fields:\n  - name: action\n    type: string\n    required: true\n${field}`;
}

function problemsOf(text: string, file = FILE): string[] {
  try {
    parseLogSchema(text, file);
  } catch (err) {
    assert.ok(err instanceof CaracalError, `not a CaracalError: ${String(err)}`);
    assert.equal(err.code, 'INVALID_CONFIG');
    assert.ok(err.message.startsWith(`invalid log schema ${file}: `), err.message);
    return (err.details as { problems: string[] }).problems;
  }
  assert.fail('the schema was accepted');
}

test('the shipped schemas load, are named after their log types and list Panther.Audit and GitHub.Audit', () => {
  const logTypes = supportedLogTypes();
  assert.ok(logTypes.includes('GitHub.Audit') && logTypes.includes('Panther.Audit') && logTypes.includes('AWS.CloudTrail'), logTypes.join(', '));
  assert.deepEqual(
    logSchemas().map((s) => s.slug),
    logSchemas()
      .map((s) => s.slug)
      .sort(),
    'sorted by file (table) name',
  );
  assert.equal(logSchemas(), logSchemas(), 'loaded once and memoized');
  assert.equal(logSchemaDirectory(), path.resolve(__dirname, '..', '..', 'log-schemas'));
  const panther = logSchema('Panther.Audit')!;
  assert.equal(panther.slug, 'panther_audit');
  assert.equal(panther.version, 1);
  assert.equal(panther.eventTimeField?.name, 'timestamp');
  assert.equal(logSchema('GitHub.Audit')?.slug, 'github_audit');
  assert.equal(logSchema('GitHub.Audit')?.eventTimeField?.name, '@timestamp');
  assert.equal(logSchema('Nope.Logs'), undefined);
});

test('a well-formed schema is read with every part', () => {
  const s = parseLogSchema(
    [
      'schema: Acme.Door',
      'description: Door events',
      'referenceURL: https://example.com/doors',
      'version: 2',
      'fields:',
      '  - name: when',
      '    type: timestamp',
      '    required: true',
      '    isEventTime: true',
      "    timeFormats: [unix_ms, '%d/%b/%Y:%H:%M:%S %z']",
      '  - name: who',
      '    type: object',
      '    fields:',
      '      - name: badge',
      '        type: bigint',
      '        indicators: [actor_id]',
      '  - name: doors',
      '    type: array',
      '    element:',
      '      type: string',
      '      validate: { allow: [front, back] }',
      '  - name: from',
      '    type: string',
      '    validate: { ip: ipv4 }',
      '    indicators: [ip]',
    ].join('\n'),
    'acme_door.yml',
  );
  assert.equal(s.logType, 'Acme.Door');
  assert.equal(s.slug, 'acme_door');
  assert.equal(s.referenceURL, 'https://example.com/doors');
  assert.equal(s.eventTimeField?.name, 'when');
  assert.deepEqual(s.fields[1].fields?.[0], { type: 'bigint', indicators: ['actor_id'], name: 'badge', required: false, isEventTime: false });
  assert.deepEqual(s.fields[2].element, { type: 'string', indicators: [], validate: { allow: ['front', 'back'] } });
  assert.deepEqual(s.fields[3].validate, { ip: 'ipv4' });
});

test('each problem names the file, the field path and what is wrong', () => {
  const cases: [string, string, RegExp][] = [
    ['unknown type', withField('  - name: count\n    type: integr\n'), /^field count: unknown type "integr"; use one of string, int, bigint, float, boolean, timestamp, object, array, json$/],
    ['missing name', withField('  - type: string\n'), /^fields\[1\]: name is required$/],
    ['missing type', withField('  - name: count\n'), /^field count: type is required$/],
    ['duplicate field', withField('  - name: action\n    type: string\n'), /^fields: field "action" is declared twice$/],
    ['unusable name', withField('  - name: "a`b"\n    type: string\n'), /^fields\[1\]: name "a`b" is not usable/],
    ['reserved p_ name', withField('  - name: p_event_time\n    type: string\n'), /^field p_event_time: names starting with p_ are the standard fields Caracal adds$/],
    ['unknown time format', withField('  - name: at\n    type: timestamp\n    timeFormats: [unix_s]\n'), /^field at\.timeFormats: "unix_s" is neither a named format \(rfc3339, unix, unix_ms, unix_us, unix_ns, lake\) nor a strftime-style pattern$/],
    ['unknown directive', withField("  - name: at\n    type: timestamp\n    timeFormats: ['%Y-%m-%d %Q']\n"), /^field at\.timeFormats: "%Y-%m-%d %Q" unknown directive %Q; use /],
    ['pattern without a date', withField("  - name: at\n    type: timestamp\n    timeFormats: ['%H:%M:%S']\n"), /needs a full date: %Y, %m \(or %b\) and %d \(or %e\)$/],
    ['timestamp without formats', withField('  - name: at\n    type: timestamp\n'), /^field at: a timestamp needs timeFormats/],
    ['timeFormats on a string', withField('  - name: at\n    type: string\n    timeFormats: [unix]\n'), /^field at: timeFormats applies to timestamp values only, not string$/],
    ['isEventTime on a string', withField('  - name: at\n    type: string\n    isEventTime: true\n'), /^field at: isEventTime needs type timestamp, not string$/],
    [
      'isEventTime under an array',
      withField('  - name: o\n    type: array\n    element:\n      type: object\n      fields:\n        - name: at\n          type: timestamp\n          timeFormats: [unix]\n          isEventTime: true\n'),
      /^field o\[\]\.at: isEventTime is not allowed inside an array: an event has one time$/,
    ],
    ['unknown indicator', withField('  - name: who\n    type: string\n    indicators: [user]\n'), /^field who\.indicators: unknown indicator "user"; use ip, username, email, trace_id, actor_id$/],
    ['username on json', withField('  - name: blob\n    type: json\n    indicators: [username]\n'), /^field blob\.indicators: username cannot be found among the strings of a json value; only ip and email can$/],
    ['indicator on an array', withField('  - name: ips\n    type: array\n    indicators: [ip]\n    element: { type: string }\n'), /put indicators on the array's element/],
    ['object without fields', withField('  - name: o\n    type: object\n'), /^field o: an object needs fields \(use type json for a free-form object\)$/],
    ['array without element', withField('  - name: a\n    type: array\n'), /^field a: an array needs element/],
    ['bad element type', withField('  - name: a\n    type: array\n    element: { type: str }\n'), /^field a\[\]: unknown type "str"/],
    ['validate on an int', withField('  - name: n\n    type: int\n    validate: { allow: [a] }\n'), /^field n: validate applies to string values only, not int$/],
    ['bad ip validation', withField('  - name: ip\n    type: string\n    validate: { ip: v4 }\n'), /^field ip\.validate\.ip: must be true, ipv4 or ipv6; got "v4"$/],
    ['unknown field key', withField('  - name: n\n    type: int\n    requird: true\n'), /^field n: unknown key "requird"; allowed: /],
    ['required not a boolean', withField('  - name: n\n    type: int\n    required: yes please\n'), /^field n\.required: must be true or false; got "yes please"$/],
    ['nested unnamed field', withField('  - name: o\n    type: object\n    fields:\n      - type: string\n'), /^field o: fields\[0\]: name is required$/],
    ['bad schema name', withField('', 'schema: test logs\nversion: 1\n'), /^schema: must be a log type name such as GitHub\.Audit/],
    ['missing version', withField('', 'schema: Test.Logs\n'), /^version: is required/],
    ['version zero', withField('', 'schema: Test.Logs\nversion: 0\n'), /^version: must be a whole number from 1; got 0$/],
    ['unknown top-level key', withField('', 'schema: Test.Logs\nversion: 1\nparser: {}\n'), /^unknown key "parser"; allowed: schema, description, referenceURL, version, fields$/],
    ['bad referenceURL', withField('', 'schema: Test.Logs\nversion: 1\nreferenceURL: docs\n'), /^referenceURL: must be an http\(s\) URL; got "docs"$/],
  ];
  for (const [name, text, expected] of cases) {
    const problems = problemsOf(text);
    assert.ok(
      problems.some((p) => expected.test(p)),
      `${name}: expected a problem like ${expected}, got ${JSON.stringify(problems)}`,
    );
  }
});

test('two isEventTime fields are refused, naming both', () => {
  const text = withField(
    '  - name: a\n    type: timestamp\n    timeFormats: [unix]\n    isEventTime: true\n  - name: b\n    type: timestamp\n    timeFormats: [rfc3339]\n    isEventTime: true\n',
  );
  assert.deepEqual(problemsOf(text), ['fields: only one field may be isEventTime; found a, b']);
});

test('every problem of a file is reported at once', () => {
  const text = withField('  - name: a\n    type: nope\n  - name: b\n    type: timestamp\n', 'schema: Test.Logs\nversion: -1\n');
  assert.deepEqual(problemsOf(text), [
    'version: must be a whole number from 1; got -1',
    'field a: unknown type "nope"; use one of string, int, bigint, float, boolean, timestamp, object, array, json',
    'field b: a timestamp needs timeFormats (e.g. [rfc3339] or [unix_ms])',
  ]);
});

test('YAML that does not parse is reported with its line', () => {
  const unclosed = problemsOf('schema: Test.Logs\nversion: 1\nfields: [\n');
  assert.equal(unclosed.length, 1, 'only the first error: the rest is the parser losing its way');
  assert.match(unclosed[0], /^not valid YAML at line 4: Flow sequence/);
  assert.match(problemsOf('schema: Test.Logs\nschema: Again\n')[0], /^not valid YAML at line 2: /);
  assert.deepEqual(problemsOf('- just\n- a list\n'), ['must be a mapping with schema, version and fields']);
});

test('a directory: files named after their log type, .yml only, at least one', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-log-schemas-'));
  try {
    assert.throws(() => loadLogSchemaDirectory(dir), (e: CaracalError) => e.code === 'INVALID_CONFIG' && /no log schemas \(\*\.yml\) in /.test(e.message));
    fs.writeFileSync(path.join(dir, 'wrong_name.yml'), withField(''));
    assert.throws(() => loadLogSchemaDirectory(dir), /wrong_name\.yml: schema Test\.Logs must be in a file named test_logs\.yml$/);
    fs.renameSync(path.join(dir, 'wrong_name.yml'), path.join(dir, 'test_logs.yml'));
    fs.writeFileSync(path.join(dir, 'README.md'), 'not a schema');
    assert.deepEqual(loadLogSchemaDirectory(dir).map((s) => s.logType), ['Test.Logs']);
    fs.writeFileSync(path.join(dir, 'other.yaml'), withField(''));
    assert.throws(() => loadLogSchemaDirectory(dir), /other\.yaml: name it other\.yml; only \.yml files are read$/);
    assert.throws(() => loadLogSchemaDirectory(path.join(dir, 'missing')), (e: CaracalError) => e.code === 'INVALID_CONFIG' && /cannot read the log schema directory/.test(e.message));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
