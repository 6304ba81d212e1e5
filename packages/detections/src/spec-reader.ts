import YAML from 'yaml';
import { ContentError } from './errors';
import { parseReferenceYaml } from './reference-yaml';

export type SpecDoc = Record<string, unknown>;

// The reference tool rejects these in ids and display names; a spec loaded here should pass it too.
const NAME_FORBIDDEN = /[<>&"%]/;
// Top-level lists the reference tool refuses with a repeated value (Tags also when only the case differs).
const SET_KEYS = new Set(['LogTypes', 'PackIDs', 'OutputIds', 'SummaryAttributes', 'Suppressions', 'Tags']);

export function isMapping(value: unknown): value is SpecDoc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value;
}

/**
 * Typed access to the keys of one spec document. Problems are collected, not
 * thrown, so that a content directory reports all of them in one pass.
 */
export class SpecReader {
  constructor(
    readonly doc: SpecDoc,
    readonly file: string,
    readonly errors: ContentError[],
    /** Prefix for nested documents (e.g. `Tests[2].`), so the key named is exact. */
    readonly keyPrefix = '',
    /**
     * The same document with every scalar kept as written (YAML failsafe
     * schema), for values whose text matters more than their YAML type.
     */
    private readonly literalDoc?: () => SpecDoc | undefined,
  ) {}

  /** Without a key, a nested reader still names where it is (e.g. `Mappings[0]`). */
  fail(key: string | undefined, problem: string): void {
    const named = key === undefined ? this.keyPrefix.replace(/\.$/, '') || undefined : this.keyPrefix + key;
    this.errors.push(new ContentError(this.file, named, problem));
  }

  has(key: string): boolean {
    return this.doc[key] !== undefined && this.doc[key] !== null;
  }

  rejectUnknownKeys(known: ReadonlySet<string>): void {
    for (const key of Object.keys(this.doc)) {
      if (!known.has(key)) this.fail(key, 'unknown key');
    }
  }

  private present(key: string, required: boolean): unknown {
    const value = this.doc[key];
    if (value === undefined || value === null) {
      if (required) this.fail(key, 'required key is missing');
      return undefined;
    }
    return value;
  }

  string(key: string, required: true): string | undefined;
  string(key: string, required?: false): string | undefined;
  string(key: string, required = false): string | undefined {
    const value = this.present(key, required);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.fail(key, `expected a string, got ${typeName(value)}`);
      return undefined;
    }
    if (required && value.trim() === '') {
      this.fail(key, 'must not be empty');
      return undefined;
    }
    return value;
  }

  /**
   * A string that names something (an id, a display name): not empty and
   * without markup characters, as the reference's name pattern; blank
   * space alone is a name there, so it is here.
   */
  name(key: string, required = false): string | undefined {
    const value = this.present(key, required);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.fail(key, `expected a string, got ${typeName(value)}`);
      return undefined;
    }
    if (value === '') {
      this.fail(key, 'must not be empty');
      return undefined;
    }
    if (NAME_FORBIDDEN.test(value)) {
      this.fail(key, `must not contain any of < > & " %, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  }

  boolean(key: string, required: boolean, fallback: boolean): boolean {
    const value = this.present(key, required);
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.fail(key, `expected true or false, got ${typeName(value)}`);
      return fallback;
    }
    return value;
  }

  positiveInteger(key: string, fallback: number): number {
    return this.integer(key, { min: 1 }) ?? fallback;
  }

  /** A whole number (of at least `min`, when given), or undefined, with an error when required or invalid. */
  integer(key: string, options: { required?: boolean; min?: number } = {}): number | undefined {
    const value = this.present(key, options.required ?? false);
    if (value === undefined) return undefined;
    const { min } = options;
    if (typeof value !== 'number' || !Number.isInteger(value) || (min !== undefined && value < min)) {
      const wanted = min === undefined ? 'an integer' : min === 1 ? 'a positive integer' : `an integer of at least ${min}`;
      this.fail(key, `expected ${wanted}, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  }

  /** A list of strings; an empty list is a list, for required keys too (the reference accepts `LogTypes: []`). */
  stringList(key: string, required: boolean): string[] {
    const value = this.present(key, required);
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      this.fail(key, 'expected a list of strings');
      return [];
    }
    const list = value as string[];
    if (this.keyPrefix === '' && SET_KEYS.has(key)) {
      const folded = key === 'Tags' ? list.map((v) => v.toLowerCase()) : list;
      const repeated = folded.filter((v, i) => folded.indexOf(v) !== i);
      if (repeated.length > 0) {
        this.fail(key, `must not repeat a value${key === 'Tags' ? ' (in any case)' : ''}: ${[...new Set(repeated)].map((v) => JSON.stringify(v)).join(', ')}`);
      }
    }
    return list;
  }

  /**
   * A mapping of names to lists of scalars, each kept as the text written:
   * report ids such as CIS `3.10` are numbers to YAML, and `3.1` is another id.
   */
  stringListMap(key: string): Record<string, string[]> {
    const value = this.present(key, false);
    if (value === undefined) return {};
    // The reference's schema takes report ids that are strings or numbers, not null or true/false.
    const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number';
    const ok = isMapping(value) && Object.values(value).every((list) => Array.isArray(list) && list.every(isScalar));
    if (!ok) {
      this.fail(key, 'expected a mapping of names to lists of strings');
      return {};
    }
    const lists = value as Record<string, unknown[]>;
    if (Object.values(lists).every((list) => list.every((v) => typeof v === 'string'))) {
      return lists as Record<string, string[]>;
    }
    const literal = this.literalDoc?.()?.[key];
    const literalLists = isMapping(literal) ? literal : {};
    return Object.fromEntries(
      Object.entries(lists).map(([name, list]) => {
        const written = literalLists[name];
        return [
          name,
          list.map((v, i) => {
            const text = Array.isArray(written) ? written[i] : undefined;
            return typeof text === 'string' ? text : String(v);
          }),
        ];
      }),
    );
  }

  /** The raw value of a key, for keys whose type is anything (the reference says `object`). */
  raw(key: string): unknown {
    return this.doc[key];
  }

  list(key: string): unknown[] {
    const value = this.present(key, false);
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.fail(key, `expected a list, got ${typeName(value)}`);
      return [];
    }
    return value;
  }

  /** A reader over a nested mapping, or undefined (with an error) if it is not one. */
  nested(value: unknown, keyPrefix: string): SpecReader | undefined {
    if (!isMapping(value)) {
      this.fail(keyPrefix.replace(/\.$/, ''), 'expected a mapping');
      return undefined;
    }
    return new SpecReader(value, this.file, this.errors, this.keyPrefix + keyPrefix);
  }
}

/**
 * A reader over the YAML text of one spec (`file` names it in errors), or
 * undefined after reporting why the text is not a spec document.
 */
export function readSpecText(
  text: string,
  file: string,
  errors: ContentError[],
  /** Called instead of reporting an error when the document is not a mapping (an empty file, a list). */
  onNotMapping?: () => void,
): SpecReader | undefined {
  let doc: unknown;
  try {
    doc = parseReferenceYaml(text);
  } catch (err) {
    errors.push(new ContentError(file, undefined, `not valid YAML: ${(err as Error).message}`, { cause: err }));
    return undefined;
  }
  if (!isMapping(doc)) {
    if (onNotMapping) {
      onNotMapping();
      return undefined;
    }
    errors.push(new ContentError(file, undefined, 'expected a YAML mapping at the top level'));
    return undefined;
  }
  // Parsed again only when a value's written text is needed (see SpecReader.stringListMap).
  const literal = (): SpecDoc | undefined => {
    try {
      const failsafe: unknown = YAML.parse(text, { schema: 'failsafe', logLevel: 'error' });
      return isMapping(failsafe) ? failsafe : undefined;
    } catch {
      // The typed values are still there: the written text is a refinement.
      return undefined;
    }
  };
  return new SpecReader(doc, file, errors, '', literal);
}
