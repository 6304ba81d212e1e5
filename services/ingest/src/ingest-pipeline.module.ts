import { Module } from '@nestjs/common';
import { IngestService } from './ingest.service';

/**
 * Normalize-and-publish without the HTTP edge, for services that write events
 * of their own (the query service's audit trail) through the same path.
 */
@Module({
  providers: [IngestService],
  exports: [IngestService],
})
export class IngestPipelineModule {}
