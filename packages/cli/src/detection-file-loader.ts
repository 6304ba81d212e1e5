import * as fs from 'node:fs';
import path from 'node:path';
import { CaracalError } from '@caracal/core';

/** A detection as the API takes it: the spec and the module its Filename names. */
export interface DetectionFiles {
  yaml: string;
  python: string;
}

/**
 * The spec's top-level `Filename:` value, or undefined when it has none (a
 * simple detection written in `Detection:`). A line match is enough: a
 * top-level key starts its line, and block scalars and nested keys are
 * indented, so they cannot be mistaken for it. The server parses the spec
 * properly; this only finds the file to send with it.
 */
export function specFilename(yaml: string): string | undefined {
  const m = /^Filename[ \t]*:[ \t]*(.*)$/m.exec(yaml);
  if (!m) return undefined;
  const raw = m[1].trim();
  const quoted = /^(['"])(.*?)\1/.exec(raw);
  const value = quoted ? quoted[2] : raw.replace(/\s+#.*$/, '').trim();
  return value === '' ? undefined : value;
}

/**
 * Where the Python module is: --python when given (relative to the working
 * directory, like any path on the command line), else the spec's Filename
 * relative to the spec's folder, which is how content on disk is laid out.
 */
export function resolvePythonPath(yamlPath: string, yaml: string, pythonFlag: string | undefined): string | undefined {
  if (pythonFlag !== undefined) return path.resolve(pythonFlag);
  const filename = specFilename(yaml);
  return filename === undefined ? undefined : path.resolve(path.dirname(path.resolve(yamlPath)), filename);
}

function readText(file: string, what: string, hint = ''): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new CaracalError('INVALID_ARGUMENT', `cannot read ${what} ${file}: ${why}${hint}`);
  }
}

/** Reads a spec and its Python module; a spec without Filename goes with no Python. */
export function loadDetectionFiles(yamlPath: string, pythonFlag: string | undefined): DetectionFiles {
  const yaml = readText(yamlPath, 'the detection spec');
  const pythonPath = resolvePythonPath(yamlPath, yaml, pythonFlag);
  if (pythonPath === undefined) return { yaml, python: '' };
  const hint = pythonFlag === undefined ? ` (the Filename of ${yamlPath}; pass --python <file.py> to use another)` : '';
  return { yaml, python: readText(pythonPath, 'the Python module', hint) };
}

/** A test target is a spec file when it names one by its extension; anything else is a RuleID. */
export function isSpecPath(target: string): boolean {
  return /\.ya?ml$/i.test(target);
}
