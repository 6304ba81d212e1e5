import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { Response } from 'express';
import { CaracalError, CONFIG, CaracalConfig, ErrorCode, LOGGER, Logger } from '@caracal/core';
import { BodyTooLargeError, IngestUnavailableError, RateLimitedError } from './ingest.errors';

const STATUS: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  INVALID_EVENT: 400,
  INVALID_CONFIG: 500,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  RESOURCE_EXHAUSTED: 429,
  // nginx's 'client closed request': the caller itself stopped the work.
  CANCELLED: 499,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 503,
  DETECTION_ERROR: 500,
  INTERNAL: 500,
};

function statusOf(err: CaracalError): number {
  if (err instanceof BodyTooLargeError) return 413;
  return STATUS[err.code];
}

/** The one place where Caracal's errors become HTTP answers. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: CaracalConfig,
  ) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    // The request's ids (request, trace, tenant, source), as far as the controller got.
    const request = (res.locals?.log as Record<string, unknown> | undefined) ?? {};
    if (res.headersSent) {
      this.logger.warn({ ...request, err }, 'ingest failed after the answer started');
      return;
    }
    if (err instanceof HttpException) {
      res.status(err.getStatus()).json({ error: { code: 'HTTP', message: err.message } });
      return;
    }
    if (err instanceof CaracalError) {
      const status = statusOf(err);
      if (status >= 500) this.logger.error({ ...request, err }, 'ingest request failed');
      else this.logger.debug({ ...request, code: err.code, status }, 'ingest request refused');
      if (err instanceof RateLimitedError || err instanceof IngestUnavailableError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
      else if (err.retriable) res.setHeader('Retry-After', String(this.config.ingest.retryAfterSeconds));
      // The rest of an oversized body is not read; closing is how the client learns to stop sending it.
      if (status === 413) res.setHeader('Connection', 'close');
      res.status(status).json({ error: { code: err.code, message: err.message } });
      return;
    }
    this.logger.error({ ...request, err }, 'unexpected error in ingest');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error' } });
  }
}
