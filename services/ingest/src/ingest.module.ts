import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HttpErrorFilter } from './http-error.filter';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';
import { PullSourcesManager } from './pull/pull-sources.manager';

/**
 * HTTP ingest, and the readers of the pull sources (S3, Kafka) that publish
 * through the same IngestService. Needs CONFIG, LOGGER, MESSAGE_BUS and
 * CONTROL_STORE from a global runtime module.
 */
@Module({
  controllers: [IngestController],
  providers: [IngestService, PullSourcesManager, { provide: APP_FILTER, useClass: HttpErrorFilter }],
})
export class IngestModule {}
