import type { Server, ServerResponse } from 'node:http';

/**
 * Tracks an HTTP server's requests in flight and stops it gracefully: no new
 * connections, every request already received answered, and then each
 * connection closed rather than kept alive for more.
 */
export class HttpDrain {
  private readonly inFlight = new Set<ServerResponse>();
  private draining = false;

  constructor(private readonly server: Server) {
    // Prepended, so the header is set before any handler can start the answer.
    server.prependListener('request', (_req, res: ServerResponse) => {
      this.inFlight.add(res);
      if (this.draining) res.setHeader('connection', 'close');
      res.once('close', () => {
        this.inFlight.delete(res);
        // The connection that carried it is idle now; a stopping server closes it.
        if (this.draining) setImmediate(() => server.closeIdleConnections());
      });
    });
  }

  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  /** Resolves once the server is closed and every connection has ended. */
  async drain(): Promise<void> {
    this.draining = true;
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    const closed = new Promise<void>((resolve, reject) =>
      this.server.close((err) => (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING' ? reject(err) : resolve())),
    );
    this.server.closeIdleConnections();
    await closed;
  }
}
