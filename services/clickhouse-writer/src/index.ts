/** @caracal/clickhouse-writer: the consumer groups that write events, alerts, rejections and dead letters into the lake, each batch once. */
export { ClickhouseWriterModule } from './clickhouse-writer.module';
export { EVENT_WRITER_GROUP, EventWriterService } from './event-writer.service';
export { ALERT_WRITER_GROUP } from './alert-writer.service';
export { REJECTION_WRITER_GROUP } from './rejection-writer.service';
export { insertRows, writeBatch } from './lake-insert';
export { DEAD_LETTER_WRITER_GROUP, DeadLetterWriterService } from './dead-letter-writer.service';
