import * as path from 'node:path';
import { loadLogSchemaDirectory } from './log-schema.loader';
import type { LogTypeSchema } from './log-schema.types';

interface Registry {
  schemas: readonly LogTypeSchema[];
  byLogType: ReadonlyMap<string, LogTypeSchema>;
  logTypes: readonly string[];
}

let registry: Registry | undefined;

/**
 * packages/core/log-schemas, found from this module: dist/log-schemas/ and
 * src/log-schemas/ are both two levels below the package, so the compiled
 * and the source module agree.
 */
export function logSchemaDirectory(): string {
  return path.resolve(__dirname, '..', '..', 'log-schemas');
}

// Read on first use rather than at import, so that a process which never
// touches log types (and a broken schema file) does not pay for or fail on
// it; synchronous, so callers such as the lake DDL stay synchronous. A failed
// load is not kept: the next call reports the same error again.
function loaded(): Registry {
  if (!registry) {
    const schemas = Object.freeze(loadLogSchemaDirectory(logSchemaDirectory()));
    registry = {
      schemas,
      byLogType: new Map(schemas.map((s) => [s.logType, s])),
      logTypes: Object.freeze(schemas.map((s) => s.logType)),
    };
  }
  return registry;
}

/** Every log type Caracal ingests, sorted by file (table) name. */
export function logSchemas(): readonly LogTypeSchema[] {
  return loaded().schemas;
}

export function logSchema(logType: string): LogTypeSchema | undefined {
  return loaded().byLogType.get(logType);
}

/** The log type names, e.g. ['GitHub.Audit', 'Panther.Audit']. */
export function supportedLogTypes(): readonly string[] {
  return loaded().logTypes;
}
