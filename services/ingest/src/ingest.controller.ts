import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONFIG, CaracalConfig } from '@caracal/core';
import { IngestService } from './ingest.service';
import { readBody } from './request-body.reader';

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
    // Authenticate before reading the body, so an unknown caller costs nothing.
    const source = this.ingest.authenticate(sourceId, req.headers);
    const body = await readBody(req, req.headers['content-encoding'], this.config.maxBodyBytes);
    const result = await this.ingest.ingest(source, body);
    if (result.accepted === 0) res.status(400);
    return { sourceId: source.id, ...result };
  }
}
