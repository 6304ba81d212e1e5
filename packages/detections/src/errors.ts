import { CaracalError, CaracalErrorOptions, ErrorCode } from '@caracal/core';

/** One problem in one content file; `key` names the offending spec key when there is one. */
export class ContentError extends CaracalError {
  readonly file: string;
  readonly key?: string;
  /** The problem alone, without the file and key the message starts with. */
  readonly problem: string;

  constructor(file: string, key: string | undefined, problem: string, options: CaracalErrorOptions = {}) {
    super('INVALID_ARGUMENT', key === undefined ? `${file}: ${problem}` : `${file}: ${key}: ${problem}`, {
      ...options,
      details: { file, ...(key === undefined ? {} : { key }), ...options.details },
    });
    this.name = 'ContentError';
    this.file = file;
    this.key = key;
    this.problem = problem;
  }
}

/** Content that cannot be run as a whole; lists every ContentError found. */
export class InvalidContentError extends CaracalError {
  readonly errors: readonly ContentError[];

  constructor(errors: readonly ContentError[]) {
    const lines = errors.map((e) => `  - ${e.message}`).join('\n');
    super('INVALID_ARGUMENT', `detection content has ${errors.length} error(s):\n${lines}`, {
      details: { errors: errors.map((e) => e.message) },
    });
    this.name = 'InvalidContentError';
    this.errors = errors;
  }
}

/** The Python runtime failed (not a detection: those become rule errors). */
export class DetectionRuntimeError extends CaracalError {
  constructor(message: string, options: CaracalErrorOptions & { code?: ErrorCode } = {}) {
    super(options.code ?? 'DETECTION_ERROR', message, options);
    this.name = 'DetectionRuntimeError';
  }
}
