import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HttpErrorFilter } from './http-error.filter';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';

/** Needs CONFIG, LOGGER, MESSAGE_BUS and CONTROL_STORE from a global runtime module. */
@Module({
  controllers: [IngestController],
  providers: [IngestService, { provide: APP_FILTER, useClass: HttpErrorFilter }],
})
export class IngestModule {}
