import { randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONFIG, CaracalConfig, sourceAuthNeedsBody } from '@caracal/core';
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
    let source = this.ingest.findSource(sourceId);
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
    const result = await this.ingest.ingest(source, body, requestId);
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
