/** @caracal/rules-worker: events through each tenant's detections, matches and errors out; tenants' detection changes followed from the detections topic. */
export { RulesWorkerModule } from './rules-worker.module';
export { RULES_WORKER_GROUP, RulesConsumerService } from './rules-consumer.service';
export { DetectionCatalogService } from './detection-catalog.service';
export { seenEventKey, sourcePosition } from './seen-events.store';
export { InMemorySeenEventsStore } from './in-memory-seen-events.store';
export { RedisSeenEventsStore, redisSeenEventKey } from './redis-seen-events.store';
