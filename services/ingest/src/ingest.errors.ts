import { CaracalError } from '@caracal/core';

/** One problem with one field of one event. */
export interface FieldProblem {
  field: string;
  problem: string;
}

export class BodyTooLargeError extends CaracalError {
  constructor(limitBytes: number) {
    super('RESOURCE_EXHAUSTED', `request body exceeds ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export class MalformedBodyError extends CaracalError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
    this.name = 'MalformedBodyError';
  }
}
