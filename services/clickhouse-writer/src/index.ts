export * from './clickhouse-writer.module';
export * from './event-writer.service';
export * from './alert-writer.service';
export * from './lake-insert';
export * from './rejection-writer.service';
export * from './dead-letter-writer.service';
