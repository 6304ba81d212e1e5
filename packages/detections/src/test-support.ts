import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NormalizedEvent } from '@caracal/core/messages';
import { detectionsPackageDir } from './package-paths';

/** A content directory under packages/detections/test-fixtures. */
export function fixtureDir(name: string): string {
  return path.join(detectionsPackageDir(), 'test-fixtures', name);
}

/** The repository root: the first directory above this file whose package.json declares workspaces. */
export function repoRoot(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && 'workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object)) return dir;
  }
  throw new Error(`no workspace root above ${__dirname}`);
}

let rowCounter = 0;

/** A normalized event with plausible p_ fields around the given raw fields. */
export function normalizedEvent(logType: string, tenantId: string, fields: Record<string, unknown>): NormalizedEvent {
  rowCounter += 1;
  return {
    p_log_type: logType,
    p_tenant_id: tenantId,
    p_row_id: `row-${rowCounter}`,
    p_event_time: '2024-03-05 17:42:09.512',
    p_parse_time: '2024-03-05 17:42:10.000',
    p_source_id: 'source-1',
    p_source_label: 'fixture source',
    p_schema_version: 1,
    p_any_ip_addresses: [],
    p_any_usernames: [],
    p_any_emails: [],
    p_any_trace_ids: [],
    p_any_actor_ids: [],
    ...fields,
  };
}
