import jsYaml from 'js-yaml';

/**
 * Spec YAML read as the reference tool reads it, so a test's Log holds the
 * same values there and here: a rule comparing `event["n"] >= 10` raises in
 * both or in neither.
 *
 * The reference parses with YAML 1.1 implicit resolution (PyYAML's), then
 * turns back what YAML 1.2 would not resolve: timestamps stay text, only
 * true/false are booleans (yes/no/on/off stay text), leading zeros are
 * decimal, and sexagesimal integers stay text. What remains different from
 * a YAML 1.2 core schema: a float needs a dot and a signed exponent (`5e+06`
 * and `1.0e3` are text), integers take `_` separators and `0b` binary.
 *
 * js-yaml rather than the `yaml` package used elsewhere: like PyYAML, it
 * reads a flow mapping that sits less indented than its block parent (a test
 * Log pasted as JSON at column 0), which public content has and `yaml`
 * refuses as a whole file.
 */

const BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL = /^(?:~|null|Null|NULL|)$/;

function integer(text: string): number {
  let digits = text.replace(/_/g, '');
  let sign = 1;
  if (digits.startsWith('-')) {
    sign = -1;
    digits = digits.slice(1);
  } else if (digits.startsWith('+')) {
    digits = digits.slice(1);
  }
  if (/^0[xX]/.test(digits)) return sign * parseInt(digits.slice(2), 16);
  if (/^0[bB]/.test(digits)) return sign * parseInt(digits.slice(2), 2);
  // Leading zeros are decimal to the reference (0644 is 644), not octal.
  return sign * parseInt(digits, 10);
}

function float(text: string): number {
  let value = text.replace(/_/g, '').toLowerCase();
  const sign = value.startsWith('-') ? -1 : 1;
  if (value[0] === '-' || value[0] === '+') value = value.slice(1);
  if (value === '.inf') return sign * Infinity;
  if (value === '.nan') return NaN;
  if (value.includes(':')) {
    // Base 60, most significant part first (190:20:30.15): still a float to the reference.
    return sign * value.split(':').reduce((total, part) => total * 60 + Number(part), 0);
  }
  return sign * Number(value);
}

const scalar = (tag: string, resolve: (text: string) => boolean, construct: (text: string) => unknown) =>
  new jsYaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (data: unknown) => (data === null ? tag === 'null' : typeof data === 'string' && resolve(data)),
    construct: (data: unknown) => (data === null ? null : construct(data as string)),
  });

const REFERENCE_SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar('null', (t) => NULL.test(t), () => null),
    scalar('bool', (t) => BOOL.test(t), (t) => t.toLowerCase() === 'true'),
    scalar('int', (t) => INT.test(t), integer),
    scalar('float', (t) => FLOAT.test(t), float),
    // `<<: *defaults` merges a mapping in, as PyYAML does: the loader merges keys of this tag.
    new jsYaml.Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: unknown) => data === '<<' }),
  ],
});

/**
 * Parses spec YAML with the reference's scalar resolution. Throws the
 * parser's error (with line and column) for text that is not YAML. A key
 * given twice keeps its last value, as in the reference.
 */
export function parseReferenceYaml(text: string): unknown {
  return jsYaml.load(text, { schema: REFERENCE_SCHEMA, json: true });
}
