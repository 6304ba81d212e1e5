/** @caracal/alert-stage: rule outputs into deduplicated alerts (the alerts topic is its state), and their delivery to destinations. */
export { AlertStageModule } from './alert-stage.module';
export { dedupOutputs } from './alert-dedup';
export { ALERT_STAGE_GROUP, AlertDedupService } from './alert-dedup.service';
export { ALERT_DELIVERY_GROUP } from './alert-delivery.service';
export { displayUrl } from './destinations/destination-url';
