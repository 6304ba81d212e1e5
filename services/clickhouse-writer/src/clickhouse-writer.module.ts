import { Module } from '@nestjs/common';
import { EventWriterService } from './event-writer.service';
import { AlertWriterService } from './alert-writer.service';
import { RejectionWriterService } from './rejection-writer.service';
import { DeadLetterWriterService } from './dead-letter-writer.service';

/** Needs CONFIG, LOGGER, MESSAGE_BUS and LAKE_CLIENT (with the lake schema applied) from a global runtime module. */
@Module({
  providers: [EventWriterService, AlertWriterService, RejectionWriterService, DeadLetterWriterService],
})
export class ClickhouseWriterModule {}
