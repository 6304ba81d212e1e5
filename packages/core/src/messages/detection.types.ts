/**
 * One tenant's detection as changed through the API, the value of one key
 * (tenant and RuleID) of the compacted detections topic. A tenant's
 * detections are the content pack in the rules directory with these laid
 * over it: a put adds or replaces a detection of that RuleID, a delete
 * removes it, pack detections included.
 */
export interface TenantDetectionRecord {
  tenantId: string;
  ruleId: string;
  /** Absent when the detection was deleted. */
  files?: DetectionFiles;
  /** Grows by one with every change of this key. */
  version: number;
  updatedAtMs: number;
  /** Who made the change, as "token:<name> (<id>)". */
  updatedBy: string;
}

/** A detection as its author writes it: the YAML spec and the Python module its Filename names. */
export interface DetectionFiles {
  yaml: string;
  python: string;
}

/** The key of a record in the detections topic. */
export function tenantDetectionKey(tenantId: string, ruleId: string): string {
  return `${tenantId}|${ruleId}`;
}
