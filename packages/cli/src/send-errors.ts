import { CaracalError } from '@caracal/core';

/** A file `caracal send` could not read (missing, unreadable, not UTF-8): the other files still go. */
export class UnreadableFileError extends CaracalError {
  constructor(file: string, reason: string, options: { cause?: unknown } = {}) {
    super('INVALID_ARGUMENT', `cannot read ${file}: ${reason}`, options);
    this.name = 'UnreadableFileError';
  }
}
