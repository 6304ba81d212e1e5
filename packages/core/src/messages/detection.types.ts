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

function isFiles(value: unknown): value is DetectionFiles {
  const files = value as Partial<DetectionFiles> | null;
  return typeof files === 'object' && files !== null && typeof files.yaml === 'string' && typeof files.python === 'string';
}

/** Why a value is not a TenantDetectionRecord stored under `key`, or undefined when it is one. */
export function tenantDetectionRecordProblem(value: unknown, key: string | null): string | undefined {
  const record = value as Partial<TenantDetectionRecord> | null;
  if (typeof record !== 'object' || record === null) return 'not a JSON object';
  if (typeof record.tenantId !== 'string' || record.tenantId === '') return 'tenantId is missing';
  if (typeof record.ruleId !== 'string' || record.ruleId === '') return 'ruleId is missing';
  if (typeof record.version !== 'number' || !Number.isFinite(record.version)) return 'version is not a number';
  if (record.files !== undefined && !isFiles(record.files)) return 'files is not { yaml, python }';
  // Compaction keeps one record per key: a record under another key could outlive its own.
  if (key !== tenantDetectionKey(record.tenantId, record.ruleId)) return `stored under key ${JSON.stringify(key)}, not its own`;
  return undefined;
}
