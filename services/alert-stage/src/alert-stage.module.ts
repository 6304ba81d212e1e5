import { Module } from '@nestjs/common';
import { AlertDedupService } from './alert-dedup.service';
import { AlertDeliveryService } from './alert-delivery.service';

/** Needs CONFIG, LOGGER, MESSAGE_BUS and CONTROL_STORE from a global runtime module. */
@Module({
  providers: [AlertDedupService, AlertDeliveryService],
})
export class AlertStageModule {}
