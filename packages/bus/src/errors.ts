import { CaracalError, CaracalErrorOptions } from '@caracal/core';

/** The broker (or the local log) did not take or give messages. */
export class BusError extends CaracalError {
  constructor(message: string, options: CaracalErrorOptions = {}) {
    super('UNAVAILABLE', message, { retriable: true, ...options });
    this.name = 'BusError';
  }
}
