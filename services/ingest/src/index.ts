/** @caracal/ingest: HTTP ingest (source authentication, bodies), the pull sources' readers (S3, Kafka), normalization, acknowledged publish. */
export { IngestModule } from './ingest.module';
export { kafkaSourceGroupId } from './pull/kafka-topic-source.consumer';
export { RedisS3ProgressStore, S3_PROGRESS_KEY_PREFIX } from './pull/redis-s3-progress.store';
export { LocalS3ProgressStore } from './pull/local-s3-progress.store';
export type { ObjectClaim, S3ObjectRef, S3ProgressStore } from './pull/s3-progress.store';
