import { CaracalError } from '@caracal/core';

/** One event to test a detection on, as JSON text, and where it came from so a result can point back at it. */
export interface EventInput {
  json: string;
  where: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(message: string): CaracalError {
  return new CaracalError('INVALID_ARGUMENT', message);
}

/**
 * The events of one file: a JSON object, a JSON array of objects, or NDJSON
 * (one object a line, blank lines skipped). `name` labels each event: the file
 * for a lone object, `name[i]` in an array, `name:line` in NDJSON.
 */
export function parseEventFile(text: string, name: string): EventInput[] {
  const trimmed = text.trim();
  if (trimmed === '') throw bad(`${name}: no events (the file is empty)`);
  let whole: unknown;
  let wholeError: Error | undefined;
  try {
    whole = JSON.parse(trimmed);
  } catch (err) {
    wholeError = err as Error;
  }
  if (wholeError === undefined) {
    if (isObject(whole)) return [{ json: JSON.stringify(whole), where: name }];
    if (!Array.isArray(whole)) throw bad(`${name}: expected a JSON object, an array of objects or NDJSON, got a JSON ${whole === null ? 'null' : typeof whole}`);
    if (whole.length === 0) throw bad(`${name}: no events (the array is empty)`);
    return whole.map((item, i) => {
      if (!isObject(item)) throw bad(`${name}[${i}]: an event must be a JSON object`);
      return { json: JSON.stringify(item), where: `${name}[${i}]` };
    });
  }
  // A broken array is not NDJSON; reading it line by line would blame the wrong line.
  if (trimmed.startsWith('[')) throw bad(`${name}: not valid JSON: ${wholeError.message}`);
  const events: EventInput[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${name}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw bad(`${where}: not valid JSON: ${(err as Error).message}`);
    }
    if (!isObject(value)) throw bad(`${where}: an event must be a JSON object`);
    events.push({ json: line, where });
  });
  return events;
}
