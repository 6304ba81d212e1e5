import type { RecentError, RecentErrors, RunMode } from '@caracal/core';
import type { ReadinessRegistry, ReadinessReport } from '@caracal/core/observability';

/** Who a process is: fixed from its start. */
export interface ProcessIdentity {
  pid: number;
  mode: RunMode;
  services: readonly string[];
  /** ISO 8601: when the process began starting its services. */
  startedAt: string;
}

/**
 * The body of /statusz: what /readyz says, plus who answers and its last
 * errors, the facts `caracal status` shows beside the lag it reads from
 * /metrics. Lag stays in /metrics only, so there is one source for it.
 */
export interface ProcessStatusReport extends ProcessIdentity, ReadinessReport {
  recentErrors: RecentError[];
}

export interface ProcessStatusSource {
  identity: ProcessIdentity;
  recentErrors: RecentErrors;
}

export async function processStatus(source: ProcessStatusSource, readiness: ReadinessRegistry): Promise<ProcessStatusReport> {
  const report = await readiness.report();
  return { ...source.identity, services: [...source.identity.services], ...report, recentErrors: source.recentErrors.list() };
}
