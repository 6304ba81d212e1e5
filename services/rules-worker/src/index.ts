export * from './rules-worker.module';
export * from './rules-consumer.service';
export * from './alert-id';
export * from './detection-engine.provider';
