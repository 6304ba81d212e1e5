import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HttpErrorFilter } from './http-error.filter';
import { IngestController } from './ingest.controller';
import { IngestPipelineModule } from './ingest-pipeline.module';

/** Needs CONFIG, LOGGER, MESSAGE_BUS and CONTROL_STORE from a global runtime module. */
@Module({
  imports: [IngestPipelineModule],
  controllers: [IngestController],
  providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
})
export class IngestModule {}
