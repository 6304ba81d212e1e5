export * from './rules-worker.module';
export * from './rules-consumer.service';
export * from './rule-output.builder';
export * from './detection-engine.provider';
