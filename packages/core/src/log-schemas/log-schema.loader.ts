import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../kernel/errors';
import { logTypeSlug } from '../messages/event.types';
import {
  FieldSchema,
  Indicator,
  INDICATORS,
  IpVersion,
  LOG_FIELD_TYPES,
  LogFieldType,
  LogTypeSchema,
  SCANNABLE_INDICATORS,
  StringValidation,
  ValueSchema,
} from './log-schema.types';
import { timeFormatProblem } from './time-format.parser';

const SCHEMA_NAME = /^[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)+$/;
// Top-level names become lake columns (quoted with backticks) and every name
// appears in field paths such as actor.id or XForwardedFor[2]: no dots,
// brackets, quotes or spaces.
const FIELD_NAME = /^[A-Za-z_@$][A-Za-z0-9_@$-]{0,127}$/;
const TOP_KEYS = ['schema', 'description', 'referenceURL', 'version', 'fields'];
const VALUE_KEYS = ['type', 'description', 'indicators', 'validate', 'timeFormats', 'fields', 'element'];
const FIELD_KEYS = ['name', 'required', 'isEventTime', ...VALUE_KEYS];
const VALIDATE_KEYS = ['allow', 'deny', 'ip'];
// Deep enough for any real log; bounds the loader's recursion on a hostile file.
const MAX_SCHEMA_DEPTH = 8;
const SCALAR_INDICATOR_TYPES: readonly LogFieldType[] = ['string', 'int', 'bigint'];

type Node = Record<string, unknown>;

function isMapping(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function quote(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    // A YAML alias can make a value refer to itself.
    text = String(v);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Collects every problem of one file, so that a fix does not reveal the next one. */
class Problems {
  readonly list: string[] = [];
  add(where: string, problem: string): void {
    this.list.push(where ? `${where}: ${problem}` : problem);
  }
}

function unknownKeys(node: Node, allowed: readonly string[], where: string, problems: Problems): void {
  for (const key of Object.keys(node)) {
    if (!allowed.includes(key)) problems.add(where, `unknown key "${key}"; allowed: ${allowed.join(', ')}`);
  }
}

function stringList(value: unknown, where: string, problems: Problems): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.length > 0)) {
    problems.add(where, 'must be a non-empty list of non-empty strings');
    return undefined;
  }
  const seen = new Set<string>();
  for (const v of value as string[]) {
    if (seen.has(v)) problems.add(where, `lists ${quote(v)} twice`);
    seen.add(v);
  }
  return value as string[];
}

interface Context {
  problems: Problems;
  eventTimeFields: string[];
  eventTime?: { path: string; field: FieldSchema };
}

function readValidate(value: unknown, type: LogFieldType, where: string, problems: Problems): StringValidation | undefined {
  if (value === undefined) return undefined;
  if (type !== 'string') {
    problems.add(where, `validate applies to string values only, not ${type}`);
    return undefined;
  }
  if (!isMapping(value)) {
    problems.add(where, 'validate must be a mapping with allow, deny or ip');
    return undefined;
  }
  unknownKeys(value, VALIDATE_KEYS, `${where}.validate`, problems);
  const out: StringValidation = {};
  if (value.allow !== undefined) out.allow = stringList(value.allow, `${where}.validate.allow`, problems);
  if (value.deny !== undefined) out.deny = stringList(value.deny, `${where}.validate.deny`, problems);
  if (value.ip !== undefined) {
    const ip: IpVersion | undefined = value.ip === true ? 'any' : value.ip === 'ipv4' || value.ip === 'ipv6' ? value.ip : undefined;
    if (ip === undefined) problems.add(`${where}.validate.ip`, `must be true, ipv4 or ipv6; got ${quote(value.ip)}`);
    else out.ip = ip;
  }
  if (out.allow && out.deny) problems.add(`${where}.validate`, 'has both allow and deny; allow alone says it all');
  return out;
}

function readIndicators(value: unknown, type: LogFieldType, where: string, problems: Problems): Indicator[] {
  if (value === undefined) return [];
  const list = stringList(value, `${where}.indicators`, problems);
  if (!list) return [];
  const out: Indicator[] = [];
  for (const name of list) {
    if (!(INDICATORS as string[]).includes(name)) {
      problems.add(`${where}.indicators`, `unknown indicator ${quote(name)}; use ${INDICATORS.join(', ')}`);
      continue;
    }
    const indicator = name as Indicator;
    if (type === 'array') {
      problems.add(`${where}.indicators`, 'put indicators on the array\'s element, not on the array');
    } else if (type === 'json' || type === 'object') {
      // A free-form value has no field to take a username or an id from; only values of a recognisable shape can be found in it.
      if (!SCANNABLE_INDICATORS.includes(indicator)) {
        problems.add(`${where}.indicators`, `${indicator} cannot be found among the strings of a ${type} value; only ${SCANNABLE_INDICATORS.join(' and ')} can`);
      }
    } else if (!SCALAR_INDICATOR_TYPES.includes(type)) {
      problems.add(`${where}.indicators`, `indicators apply to ${SCALAR_INDICATOR_TYPES.join(', ')}, object and json values, not ${type}`);
    } else if ((indicator === 'ip' || indicator === 'email') && type !== 'string') {
      problems.add(`${where}.indicators`, `${indicator} applies to string values, not ${type}`);
    }
    out.push(indicator);
  }
  return out;
}

/** How a problem names a field: `field actor.id`, `field XForwardedFor[]`. */
function label(fieldPath: string): string {
  return `field ${fieldPath}`;
}

/** The parts every value has, a field's or an array element's; `fieldPath` is e.g. actor.id or XForwardedFor[]. */
function readValue(node: Node, fieldPath: string, ctx: Context, depth: number): ValueSchema | undefined {
  const { problems } = ctx;
  const where = label(fieldPath);
  const type = node.type;
  if (type === undefined) {
    problems.add(where, 'type is required');
    return undefined;
  }
  if (typeof type !== 'string' || !(LOG_FIELD_TYPES as readonly string[]).includes(type)) {
    problems.add(where, `unknown type ${quote(type)}; use one of ${LOG_FIELD_TYPES.join(', ')}`);
    return undefined;
  }
  const t = type as LogFieldType;
  const value: ValueSchema = { type: t, indicators: readIndicators(node.indicators, t, where, problems) };
  if (node.description !== undefined) {
    if (typeof node.description !== 'string') problems.add(`${where}.description`, 'must be a string');
    else value.description = node.description;
  }
  const validate = readValidate(node.validate, t, where, problems);
  if (validate) value.validate = validate;

  if (t === 'timestamp') {
    if (node.timeFormats === undefined) problems.add(where, 'a timestamp needs timeFormats (e.g. [rfc3339] or [unix_ms])');
    else {
      const formats = stringList(node.timeFormats, `${where}.timeFormats`, problems);
      for (const f of formats ?? []) {
        const problem = timeFormatProblem(f);
        if (problem) problems.add(`${where}.timeFormats`, problem);
      }
      if (formats) value.timeFormats = formats;
    }
  } else if (node.timeFormats !== undefined) problems.add(where, `timeFormats applies to timestamp values only, not ${t}`);

  if (t === 'object') {
    if (node.fields === undefined) problems.add(where, 'an object needs fields (use type json for a free-form object)');
    else value.fields = readFields(node.fields, fieldPath, ctx, depth + 1);
  } else if (node.fields !== undefined) problems.add(where, `fields applies to object values only, not ${t}`);

  if (t === 'array') {
    const elementPath = `${fieldPath}[]`;
    if (node.element === undefined) problems.add(where, 'an array needs element (the schema of its items)');
    else if (!isMapping(node.element)) problems.add(label(elementPath), 'element must be a mapping with at least a type');
    else if (depth >= MAX_SCHEMA_DEPTH) problems.add(where, `nested deeper than ${MAX_SCHEMA_DEPTH} levels`);
    else {
      unknownKeys(node.element, VALUE_KEYS, label(elementPath), problems);
      const element = readValue(node.element, elementPath, ctx, depth + 1);
      if (element) value.element = element;
    }
  } else if (node.element !== undefined) problems.add(where, `element applies to array values only, not ${t}`);
  return value;
}

function readField(node: unknown, index: number, parentPath: string, ctx: Context, depth: number): FieldSchema | undefined {
  const { problems } = ctx;
  const topLevel = parentPath === '';
  const position = topLevel ? `fields[${index}]` : `${label(parentPath)}: fields[${index}]`;
  if (!isMapping(node)) {
    problems.add(position, 'must be a mapping with name and type');
    return undefined;
  }
  let where = position;
  let fieldPath = topLevel ? `fields[${index}]` : `${parentPath}.fields[${index}]`;
  const name = node.name;
  const usableName = typeof name === 'string' && FIELD_NAME.test(name) && name !== '__proto__';
  if (name === undefined) problems.add(position, 'name is required');
  else if (!usableName) {
    problems.add(position, `name ${quote(name)} is not usable: letters, digits, _, @, $ and - only, not starting with a digit or -, at most 128 characters`);
  } else {
    fieldPath = topLevel ? name : `${parentPath}.${name}`;
    where = label(fieldPath);
    if (topLevel && name.startsWith('p_')) problems.add(where, 'names starting with p_ are the standard fields Caracal adds');
  }
  unknownKeys(node, FIELD_KEYS, where, problems);
  if (depth >= MAX_SCHEMA_DEPTH) {
    problems.add(where, `nested deeper than ${MAX_SCHEMA_DEPTH} levels`);
    return undefined;
  }
  const value = readValue(node, fieldPath, ctx, depth);
  let required = false;
  if (node.required !== undefined) {
    if (typeof node.required !== 'boolean') problems.add(`${where}.required`, `must be true or false; got ${quote(node.required)}`);
    else required = node.required;
  }
  let isEventTime = false;
  if (node.isEventTime !== undefined) {
    if (typeof node.isEventTime !== 'boolean') problems.add(`${where}.isEventTime`, `must be true or false; got ${quote(node.isEventTime)}`);
    else isEventTime = node.isEventTime;
  }
  if (isEventTime) {
    // Nested is allowed (Google Workspace's id.time, Auth0's data.date), but not under an array: an event has one time.
    if (fieldPath.includes('[]')) problems.add(where, 'isEventTime is not allowed inside an array: an event has one time');
    else if (value && value.type !== 'timestamp') problems.add(where, `isEventTime needs type timestamp, not ${value.type}`);
    ctx.eventTimeFields.push(fieldPath);
  }
  if (!value || !usableName) return undefined;
  const field: FieldSchema = { ...value, name: name as string, required, isEventTime };
  if (isEventTime) ctx.eventTime = { path: fieldPath, field };
  return field;
}

function readFields(value: unknown, parentPath: string, ctx: Context, depth: number): FieldSchema[] {
  const where = parentPath === '' ? 'fields' : `${label(parentPath)}.fields`;
  if (!Array.isArray(value) || value.length === 0) {
    ctx.problems.add(where, 'must be a non-empty list of fields');
    return [];
  }
  const fields: FieldSchema[] = [];
  const seen = new Set<string>();
  value.forEach((node, i) => {
    const field = readField(node, i, parentPath, ctx, depth);
    if (!field) return;
    if (seen.has(field.name)) ctx.problems.add(where, `field "${field.name}" is declared twice`);
    seen.add(field.name);
    fields.push(field);
  });
  return fields;
}

function fail(file: string, problems: string[]): never {
  throw new ConfigError(`invalid log schema ${file}: ${problems.join('; ')}`, { details: { file, problems } });
}

/**
 * Reads and checks one log schema. Throws a ConfigError (INVALID_CONFIG)
 * naming the file and every problem with its field path.
 */
export function parseLogSchema(text: string, file: string): LogTypeSchema {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  // The first error only: the ones after it are mostly the parser losing its way.
  const yamlError = doc.errors[0];
  if (yamlError) {
    const offset = yamlError.pos[0];
    const line = yamlError.linePos?.[0].line ?? (Number.isInteger(offset) ? text.slice(0, offset).split('\n').length : undefined);
    fail(file, [`not valid YAML${line === undefined ? '' : ` at line ${line}`}: ${yamlError.message.split('\n')[0]}`]);
  }
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    fail(file, [`not usable YAML: ${(err as Error).message}`]);
  }
  if (!isMapping(root)) fail(file, ['must be a mapping with schema, version and fields']);

  const problems = new Problems();
  const ctx: Context = { problems, eventTimeFields: [] };
  unknownKeys(root, TOP_KEYS, '', problems);

  const logType = root.schema;
  if (logType === undefined) problems.add('schema', 'is required (the log type name, e.g. GitHub.Audit)');
  else if (typeof logType !== 'string' || !SCHEMA_NAME.test(logType)) {
    problems.add('schema', `must be a log type name such as GitHub.Audit (dot-separated words starting with a capital); got ${quote(logType)}`);
  }
  if (root.description !== undefined && typeof root.description !== 'string') problems.add('description', 'must be a string');
  if (root.referenceURL !== undefined && (typeof root.referenceURL !== 'string' || !/^https?:\/\/\S+$/.test(root.referenceURL))) {
    problems.add('referenceURL', `must be an http(s) URL; got ${quote(root.referenceURL)}`);
  }
  if (root.version === undefined) problems.add('version', 'is required (the p_schema_version of the events, from 1)');
  else if (typeof root.version !== 'number' || !Number.isInteger(root.version) || root.version < 1 || root.version > 0xffff_ffff) {
    problems.add('version', `must be a whole number from 1; got ${quote(root.version)}`);
  }
  const fields = readFields(root.fields, '', ctx, 0);
  if (ctx.eventTimeFields.length > 1) problems.add('fields', `only one field may be isEventTime; found ${ctx.eventTimeFields.join(', ')}`);

  if (problems.list.length > 0) fail(file, problems.list);
  const name = logType as string;
  const schema: LogTypeSchema = {
    logType: name,
    slug: logTypeSlug(name),
    description: (root.description as string | undefined) ?? '',
    version: root.version as number,
    fields,
    file,
  };
  if (root.referenceURL !== undefined) schema.referenceURL = root.referenceURL as string;
  if (ctx.eventTime) {
    schema.eventTimeField = ctx.eventTime.field;
    schema.eventTimePath = ctx.eventTime.path;
  }
  return schema;
}

/**
 * Every `<slug>.yml` of a directory, sorted by file name. A file must be
 * named after its log type, as the name is also the table's and the topic's.
 */
export function loadLogSchemaDirectory(dir: string): LogTypeSchema[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch (err) {
    throw new ConfigError(`cannot read the log schema directory ${dir}`, { cause: err });
  }
  const schemas: LogTypeSchema[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    if (name.endsWith('.yaml')) throw new ConfigError(`log schema ${file}: name it ${name.replace(/\.yaml$/, '.yml')}; only .yml files are read`);
    if (!name.endsWith('.yml')) continue;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read log schema ${file}`, { cause: err });
    }
    const schema = parseLogSchema(text, file);
    if (`${schema.slug}.yml` !== name) {
      throw new ConfigError(`invalid log schema ${file}: schema ${schema.logType} must be in a file named ${schema.slug}.yml`);
    }
    schemas.push(schema);
  }
  if (schemas.length === 0) throw new ConfigError(`no log schemas (*.yml) in ${dir}`);
  return schemas;
}
