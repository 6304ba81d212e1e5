/** One event read from a file, ready to go in an NDJSON body, or why it cannot be sent. */
export interface SplitEvent {
  /** The event's JSON on one line: line breaks between tokens became spaces. Empty when `oversized`. */
  text: string;
  /** Its UTF-8 size; for an oversized event, how much of it was read before its text was let go. */
  bytes: number;
  /** Where it is: `file:line` (NDJSON, or an object spanning lines) or `file[index]` (an array's element). */
  where: string;
  /** Larger than the splitter keeps: counted and passed over, never held whole. */
  oversized?: boolean;
  /** Why it is not an event the CLI can send on its own. */
  problem?: string;
}

const enum Mode {
  /** Before the first character that is not whitespace. */
  Start,
  /** Inside the first line: its end tells NDJSON (the value closed on it) from an object spread over lines. */
  FirstLine,
  Lines,
  Values,
  Array,
  AfterArray,
  Ignore,
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const BOM = 0xfeff;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === NEWLINE || c === CR;
}

function utf8Bytes(c: number): number {
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  // Each half of a surrogate pair: the pair is 4 bytes.
  if (c >= 0xd800 && c <= 0xdfff) return 2;
  return 3;
}

const ARRAY_NOT_EVENT = 'a JSON array, not an event (an event is a JSON object)';
const BREAK_IN_STRING = 'a line break inside a string (not valid JSON)';

/**
 * Cuts the text of an events file, fed in chunks of any size, into events,
 * without parsing it: a JSON array element by element, NDJSON line by line,
 * and an object spread over lines (pretty-printed JSON) as one event. Strings
 * and their escapes are tracked, so brackets, commas and quotes inside them
 * cut nothing. An event larger than `maxEventBytes` is counted but not kept,
 * so one huge line cannot take the memory a file of any size must not.
 * Events are checked only as far as cutting needs: whether each is valid
 * JSON is ingest's to say, with its index in the body.
 */
export class EventStreamSplitter {
  private mode = Mode.Start;
  private line = 1;
  private index = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private afterComma = false;

  // The event being read.
  private active = false;
  private parts: string[] = [];
  private bytes = 0;
  private oversized = false;
  private startLine = 0;
  private problem: string | undefined;
  /** A line of junk in a file of objects: it ends with its line. */
  private junk = false;
  /** Where the event's text begins in the chunk being scanned; -1 when none of it is there. */
  private segment = -1;
  private out: SplitEvent[] = [];

  constructor(
    private readonly name: string,
    private readonly maxEventBytes: number,
  ) {}

  push(chunk: string): SplitEvent[] {
    this.out = [];
    this.segment = this.active ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) this.scan(chunk, i, chunk.charCodeAt(i));
    if (this.active) this.keep(chunk, chunk.length);
    return this.out;
  }

  /** The events still open when the input ends. */
  end(): SplitEvent[] {
    this.out = [];
    switch (this.mode) {
      case Mode.FirstLine:
      case Mode.Values:
        if (this.active) {
          if (!this.junk && (this.inString || this.depth > 0)) this.problem ??= 'the file ends before this JSON value closes';
          this.emit(`${this.name}:${this.startLine}`);
        }
        break;
      case Mode.Lines:
        if (this.active) this.emit(`${this.name}:${this.startLine}`);
        break;
      case Mode.Array:
        if (this.active) {
          this.problem ??= 'the file ends before the JSON array closes';
          this.emit(`${this.name}[${this.index}]`);
        } else {
          this.out.push({ text: '', bytes: 0, where: this.name, problem: 'the file ends before the JSON array closes' });
        }
        break;
      default:
        break;
    }
    return this.out;
  }

  private scan(chunk: string, i: number, c: number): void {
    if (this.active) {
      this.bytes += utf8Bytes(c);
      if (!this.oversized && this.bytes > this.maxEventBytes) {
        this.oversized = true;
        this.parts = [];
        this.segment = -1;
      }
    }
    switch (this.mode) {
      case Mode.Start:
        if (c === NEWLINE) this.line++;
        if (isSpace(c) || c === BOM) return;
        if (c === OPEN_BRACKET) {
          this.mode = Mode.Array;
          this.depth = 1;
          return;
        }
        this.mode = Mode.FirstLine;
        this.begin(i, c);
        this.track(c);
        return;
      case Mode.FirstLine:
        if (c === NEWLINE && !this.inString && this.depth <= 0) {
          this.mode = Mode.Lines;
          this.finish(chunk, i, `${this.name}:${this.startLine}`);
          this.line++;
          return;
        }
        if (c === NEWLINE) this.mode = Mode.Values;
        this.valueChar(chunk, i, c, false);
        return;
      case Mode.Lines:
        if (c === NEWLINE) {
          if (this.active) this.finish(chunk, i, `${this.name}:${this.startLine}`);
          this.line++;
          return;
        }
        if (!this.active && !isSpace(c)) {
          this.begin(i, c);
          if (c === OPEN_BRACKET) this.problem = ARRAY_NOT_EVENT;
        }
        return;
      case Mode.Values:
        if (!this.active) {
          if (c === NEWLINE) this.line++;
          if (isSpace(c)) return;
          this.begin(i, c);
          if (c === OPEN_BRACKET) this.problem = ARRAY_NOT_EVENT;
          else if (c !== OPEN_BRACE) {
            this.junk = true;
            this.problem = 'not a JSON object';
          }
          if (!this.junk) this.track(c);
          return;
        }
        if (this.junk) {
          if (c === NEWLINE) {
            this.finish(chunk, i, `${this.name}:${this.startLine}`);
            this.line++;
          }
          return;
        }
        this.valueChar(chunk, i, c, true);
        return;
      case Mode.Array:
        this.arrayChar(chunk, i, c);
        return;
      case Mode.AfterArray:
        if (c === NEWLINE) this.line++;
        if (isSpace(c)) return;
        this.out.push({ text: '', bytes: 0, where: `${this.name}:${this.line}`, problem: 'text after the end of the JSON array' });
        this.mode = Mode.Ignore;
        return;
      case Mode.Ignore:
        return;
    }
  }

  /** A character of an object (or array) that may span lines; `closes` ends the event when its brackets balance. */
  private valueChar(chunk: string, i: number, c: number, closes: boolean): void {
    if (c === NEWLINE || c === CR) {
      if (c === NEWLINE) this.line++;
      if (this.inString) this.problem ??= BREAK_IN_STRING;
      this.lineBreak(chunk, i);
      return;
    }
    this.track(c);
    if (closes && !this.inString && this.depth === 0) this.finish(chunk, i + 1, `${this.name}:${this.startLine}`);
  }

  private arrayChar(chunk: string, i: number, c: number): void {
    if (!this.active) {
      if (c === NEWLINE) this.line++;
      if (isSpace(c)) return;
      if (c === COMMA) {
        this.out.push({ text: '', bytes: 0, where: `${this.name}[${this.index}]`, problem: 'an empty element of the JSON array' });
        this.index++;
        this.afterComma = true;
        return;
      }
      if (c === CLOSE_BRACKET) {
        if (this.afterComma) this.out.push({ text: '', bytes: 0, where: `${this.name}[${this.index}]`, problem: 'a comma before the end of the JSON array' });
        this.mode = Mode.AfterArray;
        this.depth = 0;
        return;
      }
      this.begin(i, c);
      if (c === OPEN_BRACKET) this.problem = ARRAY_NOT_EVENT;
      this.track(c);
      return;
    }
    if (c === NEWLINE || c === CR) {
      if (c === NEWLINE) this.line++;
      if (this.inString) this.problem ??= BREAK_IN_STRING;
      this.lineBreak(chunk, i);
      return;
    }
    if (!this.inString && this.depth === 1 && (c === COMMA || c === CLOSE_BRACKET)) {
      this.finish(chunk, i, `${this.name}[${this.index}]`);
      this.index++;
      this.afterComma = c === COMMA;
      if (c === CLOSE_BRACKET) {
        this.mode = Mode.AfterArray;
        this.depth = 0;
      }
      return;
    }
    this.track(c);
  }

  private track(c: number): void {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (c === BACKSLASH) this.escaped = true;
      else if (c === QUOTE) this.inString = false;
      return;
    }
    if (c === QUOTE) this.inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) this.depth--;
  }

  private begin(i: number, c: number): void {
    this.active = true;
    this.parts = [];
    this.bytes = utf8Bytes(c);
    this.oversized = this.bytes > this.maxEventBytes;
    this.startLine = this.line;
    this.problem = undefined;
    this.junk = false;
    this.afterComma = false;
    this.segment = i;
  }

  /** A line break between tokens: an NDJSON body holds each event on one line, so it becomes a space. */
  private lineBreak(chunk: string, i: number): void {
    this.keep(chunk, i);
    if (!this.oversized) this.parts.push(' ');
    this.segment = i + 1;
  }

  private keep(chunk: string, to: number): void {
    if (this.segment >= 0 && !this.oversized && to > this.segment) this.parts.push(chunk.slice(this.segment, to));
    this.segment = -1;
  }

  private finish(chunk: string, to: number, where: string): void {
    this.keep(chunk, to);
    this.emit(where);
  }

  private emit(where: string): void {
    const text = this.oversized ? '' : this.parts.join('').trim();
    const event: SplitEvent = { text, bytes: this.oversized ? this.bytes : Buffer.byteLength(text), where };
    if (this.oversized) event.oversized = true;
    if (this.problem !== undefined) event.problem = this.problem;
    this.out.push(event);
    this.active = false;
    this.parts = [];
    this.junk = false;
    this.problem = undefined;
    this.segment = -1;
    this.depth = this.mode === Mode.Array ? 1 : 0;
    this.inString = false;
    this.escaped = false;
  }
}
