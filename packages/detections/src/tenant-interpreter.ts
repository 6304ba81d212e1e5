import type { Logger } from '@caracal/core';
import { PyodideRuntime } from './pyodide-runtime';
import { SerialQueue } from './serial-queue';

/**
 * The interpreter of one tenant, started on first use. Every call goes through
 * one queue: the interpreter is single-threaded, and a second start while the
 * first is loading would create two.
 */
export class TenantInterpreter {
  private runtime: PyodideRuntime | undefined;
  private readonly queue = new SerialQueue();
  batches = 0;
  events = 0;

  constructor(
    readonly tenantId: string,
    private readonly contentPayload: string,
    private readonly logger?: Logger,
  ) {}

  run<T>(task: (runtime: PyodideRuntime) => T): Promise<T> {
    return this.queue.run(async () => task(await this.started()));
  }

  private async started(): Promise<PyodideRuntime> {
    if (this.runtime) return this.runtime;
    const runtime = await PyodideRuntime.start({ label: `tenant:${this.tenantId}`, logger: this.logger });
    try {
      const report = runtime.loadContent(this.contentPayload);
      for (const failure of report.loadErrors) {
        // Not fatal: that detection reports a rule error on each event it would see.
        this.logger?.warn(
          { tenant: this.tenantId, kind: failure.kind, id: failure.id, errorType: failure.errorType, error: failure.message },
          'detection content failed to load',
        );
      }
    } catch (err) {
      runtime.close();
      throw err;
    }
    this.runtime = runtime;
    return runtime;
  }

  /** Waits for queued calls, then releases the interpreter. */
  close(): Promise<void> {
    return this.queue.run(() => {
      this.runtime?.close();
      this.runtime = undefined;
    });
  }
}
