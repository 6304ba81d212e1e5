export * from './errors';
export * from './lake-client';
export * from './log-schemas';
export * from './lake-schema';
export * from './sql-scanner';
export * from './occurs-macros';
export * from './tenant-scope';
export * from './query-tables';
