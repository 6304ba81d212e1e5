export * from './rules-worker.module';
export * from './rules-consumer.service';
export * from './rule-output.builder';
export * from './detection-engine.provider';
export * from './detection-content.provider';
export * from './detection-catalog.service';
