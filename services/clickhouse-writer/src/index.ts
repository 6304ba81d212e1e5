export * from './clickhouse-writer.module';
export * from './event-writer.service';
export * from './rule-match-writer.service';
export * from './lake-insert';
