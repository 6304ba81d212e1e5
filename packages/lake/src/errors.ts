import { CaracalError, CaracalErrorOptions, ErrorCode } from '@caracal/core';

export class LakeError extends CaracalError {
  constructor(code: ErrorCode, message: string, options: CaracalErrorOptions = {}) {
    super(code, message, options);
    this.name = 'LakeError';
  }
}

/** A query the user wrote that Caracal refuses or cannot expand. */
export class QueryRejectedError extends LakeError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
    this.name = 'QueryRejectedError';
  }
}
