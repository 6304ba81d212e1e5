export * from './ingest.module';
export * from './ingest-pipeline.module';
export * from './ingest.service';
export * from './ingest.errors';
export * from './request-body.reader';
