import type { ReadinessProbe, ReadinessRegistry } from '@caracal/core/observability';
import type { LakeClient } from '@caracal/lake';
import type { ObservedMessageBus } from './observed-message-bus';

/** How long a bus or lake answer is reused: probes come every few seconds, from every replica's kubelet and more. */
export const PROBE_CACHE_MS = 3_000;
/** A broker or lake slower than this to answer reads as down. */
export const PROBE_TIMEOUT_MS = 2_000;

/**
 * A probe whose outcome (success or failure) is reused for `ttlMs`, with one
 * attempt in flight at a time however many requests ask.
 */
export function cachedProbe(probe: () => Promise<void>, ttlMs: number, now: () => number = Date.now): ReadinessProbe {
  let last: { at: number; outcome: Promise<void> } | undefined;
  return () => {
    if (!last || now() - last.at >= ttlMs) {
      const outcome = probe();
      // Timed from when the answer came, so a slow probe is not repeated at once.
      last = { at: Number.POSITIVE_INFINITY, outcome };
      const entry = last;
      const settled = () => {
        entry.at = now();
      };
      outcome.then(settled, settled);
    }
    return last.outcome;
  };
}

async function lakeAnswers(lake: LakeClient): Promise<void> {
  const rs = await lake.query({ query: 'SELECT 1 AS ok', format: 'JSONEachRow' });
  const rows = await rs.json<{ ok: number }>();
  if (rows[0]?.ok !== 1) throw new Error(`SELECT 1 returned ${JSON.stringify(rows).slice(0, 200)}`);
}

export interface RuntimeChecks {
  bus: ObservedMessageBus;
  lake?: LakeClient;
  runsRulesWorker: boolean;
  /** Ingest answers 503 with Retry-After while the bus is away; see registerRuntimeChecks. */
  runsIngest: boolean;
  /** True once every service of the process has started (Nest bootstrap done, ingest listening). */
  started: () => boolean;
}

/**
 * The checks of /readyz that the process itself can answer: the bus, the
 * lake, its consumers; and the rules check as failing until the rules-worker
 * sets its own, once its detections are loaded.
 */
export function registerRuntimeChecks(readiness: ReadinessRegistry, checks: RuntimeChecks): void {
  // Kafka is shared by every replica, so its loss makes them all unready at once. For consumers that
  // only pauses a rollout. For ingest it would empty the Service: senders would get refused connections
  // instead of ingest's 503 with Retry-After, so there the check is reported without gating.
  readiness.set(
    'bus',
    cachedProbe(() => checks.bus.ping(PROBE_TIMEOUT_MS), PROBE_CACHE_MS),
    { advisory: checks.runsIngest },
  );
  const lake = checks.lake;
  if (lake) readiness.set('lake', cachedProbe(() => lakeAnswers(lake), PROBE_CACHE_MS));
  if (checks.runsRulesWorker) readiness.declare('rules', 'detections not loaded yet');
  readiness.set('consumers', () => {
    if (!checks.started()) throw new Error('the services are starting');
    const down = checks.bus.notRunning();
    if (down.length > 0) throw new Error(`not consuming: ${down.join('; ')}`);
  });
}
