/** @caracal/lake: the ClickHouse lake (server or chDB): schema, client, and the checks and tenant scoping of analysts' SQL. */
export { LakeError } from './errors';
export { createLakeClient } from './lake-client';
export type { LakeClient } from './lake-client';
export { lakeLogSchemas, schemaForLogType } from './log-schemas';
export type { LakeMigrationProgress } from './lake-schema';
export { applyLakeSchema, lakeDdl, lakeMigrations, logTableColumns, monthOfTime, partitionKeyOf } from './lake-schema';
export { ALERTS_TABLE, ALERT_ACTIVITY_TABLE, ALERT_DELIVERIES_TABLE } from './alert-schema';
export { INGEST_REJECTIONS_TABLE } from './rejection-schema';
export { CORRELATION_MATCHES_TABLE, ruleOutputTable, SCHEDULED_QUERY_RUNS_TABLE, SCHEDULED_ROWS_TABLE } from './scheduled-query-schema';
export { alertDeliveryRow, alertRow } from './alert-rows';
export { expandMacros } from './occurs-macros';
export { checkQueryId, checkTenantId, queryMarker, tenantQuerySettings } from './tenant-scope';
export type { QueryLimits } from './tenant-scope';
export { engineMessage } from './engine-message';
export { sqlStringLiteral } from './query-canonical';
export { withQueryClient } from './query-connection';
export { prepareTenantQuery } from './tenant-query';
export { DEAD_LETTERS_TABLE } from './dead-letter-schema';
