import path from 'node:path';
import { InvalidArgumentError, MAX_RULE_ID_CHARS, RULE_ID_PATTERN, RULE_ID_RULE, truncateUtf8 } from '@caracal/core';
import { supportedLogTypes } from '@caracal/core/log-schemas';
import { DetectionFiles } from '@caracal/core/messages';
import { analysisTypeOf } from './analysis-type';
import type { RuleSpec } from './content.types';
import { ContentError, InvalidContentError } from './errors';
import { parseRuleSpec } from './rule-spec';
import { readSpecText } from './spec-reader';

/** What errors call the YAML of a detection that has no file of its own. */
export const DETECTION_SPEC_NAME = 'detection.yml';

export interface DetectionFilesOptions {
  /**
   * The directory the files are taken to be in: errors name the YAML
   * `<directory>/detection.yml`, tracebacks the Python `<directory>/<Filename>`.
   * Default: none, the names alone.
   */
  directory?: string;
  /** The log types the rule may name; default: the log types Caracal ingests. */
  supportedLogTypes?: readonly string[];
}

function checkShape(files: DetectionFiles): void {
  if (typeof files !== 'object' || files === null) throw new InvalidArgumentError('detection files are required: { yaml, python }');
  for (const key of ['yaml', 'python'] as const) {
    if (typeof files[key] !== 'string') throw new InvalidArgumentError(`detection files: ${key} must be a string, got ${files[key] === null ? 'null' : typeof files[key]}`);
  }
}

/**
 * One detection as the API receives it, checked as the content loader checks
 * a rule file of a content directory (the same parser), plus what only this
 * path requires: a streaming `rule` on a log type Caracal ingests. The Python
 * comes with the YAML, so its Filename is taken as given. Throws an
 * InvalidContentError that lists every problem, each naming its key.
 */
export function parseDetectionFiles(files: DetectionFiles, options: DetectionFilesOptions = {}): RuleSpec {
  checkShape(files);
  const directory = options.directory ?? '';
  const specFile = path.join(directory, DETECTION_SPEC_NAME);
  const errors: ContentError[] = [];
  const fail = (): never => {
    throw new InvalidContentError(errors);
  };
  const reader = readSpecText(files.yaml, specFile, errors) ?? fail();
  const { type, notContent } = analysisTypeOf(reader);
  if (notContent !== undefined) reader.fail('AnalysisType', 'required key is missing');
  if (type !== undefined && type !== 'rule') {
    reader.fail('AnalysisType', `only a rule can be put as a detection, got ${JSON.stringify(type)}`);
    fail();
  }
  // Without a usable AnalysisType (already reported) the rest is still checked as a rule, so every problem is named at once.
  const result = parseRuleSpec(reader, 'rule', {
    supportedLogTypes: options.supportedLogTypes ?? supportedLogTypes(),
    pythonModule: (r, filename) => {
      if (files.python.trim() === '') {
        r.fail('Filename', `names ${JSON.stringify(filename)}, but the Python module given is empty`);
        return undefined;
      }
      return { pythonPath: path.join(directory, filename), pythonSource: files.python };
    },
  });
  if (result.kind === 'rule') {
    // A put RuleID becomes a Kafka key, an alert key and a path in tracebacks: only plain names.
    const id = result.spec.ruleId;
    if (id.length > MAX_RULE_ID_CHARS || !RULE_ID_PATTERN.test(id)) {
      errors.push(new ContentError(specFile, 'RuleID', `must be ${RULE_ID_RULE}, got ${JSON.stringify(truncateUtf8(id, 100))}`));
      return fail();
    }
    return result.spec;
  }
  if (result.kind === 'unsupported') {
    const key = reader.has('BaseDetection') ? 'BaseDetection' : 'Detection';
    errors.push(new ContentError(specFile, key, `${result.reason}: a detection needs Filename and its Python module`));
  }
  return fail();
}
