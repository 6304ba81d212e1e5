/**
 * A token bucket per source, in this process: each request takes a token,
 * tokens come back at the source's rate, and a full bucket holds two seconds'
 * worth so a sender that batches can burst. With several ingest replicas
 * each enforces the rate on what it receives.
 */
export class SourceRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** 0 when the request may pass; otherwise the whole seconds to wait before one would. */
  take(sourceId: string, ratePerSecond: number): number {
    const capacity = ratePerSecond * 2;
    const now = this.now();
    const bucket = this.buckets.get(sourceId) ?? { tokens: capacity, atMs: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.atMs) / 1000) * ratePerSecond);
    bucket.atMs = now;
    this.buckets.set(sourceId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerSecond));
  }
}
