import { randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONFIG, CaracalConfig, LOGGER, Logger, METRICS } from '@caracal/core';
import { sourceAuthNeedsBody } from '@caracal/core/control-plane';
import { CaracalMetrics, parseTraceparent, TRACEPARENT_HEADER, Tracing, TRACING } from '@caracal/core/observability';
import { IngestService, RejectedEvent } from './ingest.service';
import { BodyTooLargeError, MalformedBodyError } from './ingest.errors';
import { decodeBody, readRawBody } from './request-body.reader';

// A body of many bad events would otherwise answer with a list as large as the body.
const MAX_LISTED_REJECTIONS = 100;

@Controller()
export class IngestController {
  constructor(
    private readonly ingest: IngestService,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(METRICS) private readonly metrics: CaracalMetrics,
    @Inject(TRACING) private readonly tracing: Tracing,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get('healthz')
  health(): { status: string } {
    return { status: 'ok' };
  }

  @Post('http/:sourceId')
  @HttpCode(200)
  async receive(@Param('sourceId') sourceId: string, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const requestId = randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const limit = this.config.ingest.maxBodyBytes;
    // A sender's traceparent is continued; without one the request starts a trace. Either way the
    // trace id goes with the events to every stage's logs.
    const incoming = req.headers[TRACEPARENT_HEADER];
    const span = this.tracing.startSpan('ingest POST /http/{sourceId}', {
      parent: parseTraceparent(Array.isArray(incoming) ? incoming[0] : incoming),
      kind: 'server',
      attributes: { 'caracal.request_id': requestId },
    });
    // What the error filter and the closing log line say about this request.
    const log: Record<string, unknown> = { requestId, traceId: span.context.traceId, sourceId };
    res.locals.log = log;
    // Any path can be asked for: only ids of existing sources become label values.
    let metricSource = 'unknown';
    res.once('finish', () => {
      this.metrics.ingestRequests.inc({ source: metricSource, status: String(res.statusCode) });
      span.setAttributes({ 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.fail(new Error(`answered ${res.statusCode}`));
      span.end();
      this.logger.debug({ ...log, status: res.statusCode }, 'ingest request answered');
    });
    let source = this.ingest.findSource(sourceId);
    metricSource = source.id;
    log.tenantId = source.tenantId;
    span.setAttributes({ 'caracal.tenant_id': source.tenantId, 'caracal.source_id': source.id });
    // Header and bearer credentials are checked before the body is read, so an
    // unknown caller costs nothing; an HMAC needs the body, read within the limit.
    const signed = sourceAuthNeedsBody(source);
    if (!signed) {
      source = this.ingest.authenticate(source, req.headers);
      this.ingest.admit(source);
    }
    let raw: Buffer;
    try {
      raw = await readRawBody(req, req.headers['content-length'], limit);
    } catch (err) {
      if (!signed && err instanceof BodyTooLargeError) await this.ingest.rejectBody(source, '', err.message, requestId);
      throw err;
    }
    if (signed) {
      source = this.ingest.authenticate(source, req.headers, raw);
      this.ingest.admit(source);
    }
    let body: string;
    try {
      body = await decodeBody(raw, req.headers['content-encoding'], limit);
    } catch (err) {
      if (err instanceof MalformedBodyError || err instanceof BodyTooLargeError) await this.ingest.rejectBody(source, raw, err.message, requestId);
      throw err;
    }
    const result = await this.ingest.ingest(source, body, requestId, span.context);
    log.accepted = result.accepted;
    log.rejected = result.rejected.length;
    if (result.rejected.length > 0) this.logger.info(log, 'ingest refused events');
    if (result.accepted === 0) res.status(400);
    return {
      requestId,
      sourceId: source.id,
      accepted: result.accepted,
      rejectedCount: result.rejected.length,
      rejected: result.rejected.slice(0, MAX_LISTED_REJECTIONS) satisfies RejectedEvent[],
    };
  }
}
