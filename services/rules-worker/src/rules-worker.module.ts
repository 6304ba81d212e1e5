import { Module } from '@nestjs/common';
import { detectionEngineProvider } from './detection-engine.provider';
import { RulesConsumerService } from './rules-consumer.service';

/** Needs CONFIG, LOGGER and MESSAGE_BUS from a global runtime module. */
@Module({
  providers: [detectionEngineProvider, RulesConsumerService],
})
export class RulesWorkerModule {}
