/** Resolves when the thing it checks is fit to serve; rejects (or throws) with the reason when it is not. */
export type ReadinessProbe = () => Promise<void> | void;

export type ReadinessCheckResult = { status: 'ok' } | { status: 'fail'; error: string; /** Reported only: the process stays ready. */ advisory?: true };

export interface ReadinessReport {
  status: 'ready' | 'not-ready';
  checks: Record<string, ReadinessCheckResult>;
}

/** A probe slower than this counts as failing: a hung dependency must not hang the readiness answer. */
export const READINESS_PROBE_TIMEOUT_MS = 2_000;

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function withinTime(probe: ReadinessProbe, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(probe),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The named checks behind /readyz. The process declares the checks its
 * services will have before they start (so a check reads as failing, not as
 * absent, while its service loads); each service then sets its real probe.
 */
export class ReadinessRegistry {
  private readonly probes = new Map<string, ReadinessProbe>();
  /** Checks reported but not counted (see set). */
  private readonly advisory = new Set<string>();
  private stopping = false;

  /** A check that fails with `reason` until its probe is set. */
  declare(name: string, reason: string): void {
    if (!this.probes.has(name)) this.probes.set(name, () => Promise.reject(new Error(reason)));
  }

  /**
   * `advisory`: the check is reported, but its failure leaves the process
   * ready. For a dependency whose loss the process answers better than an
   * empty Service would (ingest tells senders 503 and when to retry).
   */
  set(name: string, probe: ReadinessProbe, options: { advisory?: boolean } = {}): void {
    this.probes.set(name, probe);
    if (options.advisory) this.advisory.add(name);
    else this.advisory.delete(name);
  }

  /** From now on the process is not ready, whatever the checks say: it is going away. */
  markShuttingDown(): void {
    this.stopping = true;
  }

  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** Runs every check at once, each bounded by `timeoutMs`. */
  async report(timeoutMs = READINESS_PROBE_TIMEOUT_MS): Promise<ReadinessReport> {
    if (this.stopping) return { status: 'not-ready', checks: { shutdown: { status: 'fail', error: 'the process is shutting down' } } };
    const entries = await Promise.all(
      [...this.probes].map(async ([name, probe]): Promise<[string, ReadinessCheckResult]> => {
        try {
          await withinTime(probe, timeoutMs);
          return [name, { status: 'ok' }];
        } catch (err) {
          return [name, this.advisory.has(name) ? { status: 'fail', error: describe(err), advisory: true } : { status: 'fail', error: describe(err) }];
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    // Shutdown may have begun while the probes ran.
    const ready = !this.stopping && entries.every(([name, r]) => r.status === 'ok' || this.advisory.has(name));
    return { status: ready ? 'ready' : 'not-ready', checks };
  }
}
