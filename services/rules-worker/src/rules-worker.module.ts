import { Module } from '@nestjs/common';
import { DetectionCatalogService } from './detection-catalog.service';
import { detectionContentProvider } from './detection-content.provider';
import { detectionEngineProvider } from './detection-engine.provider';
import { RulesConsumerService } from './rules-consumer.service';
import { seenEventsProvider } from './seen-events.provider';

/** Needs CONFIG, LOGGER and MESSAGE_BUS from a global runtime module. */
@Module({
  providers: [detectionContentProvider, detectionEngineProvider, seenEventsProvider, DetectionCatalogService, RulesConsumerService],
})
export class RulesWorkerModule {}
