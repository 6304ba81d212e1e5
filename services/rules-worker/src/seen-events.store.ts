/** One event to claim: who it is, and where this copy of it was read. */
export interface SeenEventClaim {
  /** The event's identity: seenEventKey(tenant, p_row_id). */
  key: string;
  /** `topic:partition:offset` of the message this copy came in. */
  position: string;
}

/**
 * Which events the rules-worker has already evaluated, by row id, for a
 * window. Ingest answers 503 when a publish times out, yet the publish may
 * still land; the client's retry then puts the same events (same p_row_id)
 * in the log topics a second time, at other offsets. The alert stage
 * recognises replays only by source offset (decision 0006), so those copies
 * must be stopped here.
 *
 * A claim records the first position an event was read at. Claiming again
 * from that same position (the same message, redelivered after a crash) is
 * allowed, so the replay still reaches the alert stage, which drops it by
 * offset; claiming from any other position is refused.
 */
export interface SeenEventsStore {
  /**
   * One answer per claim, in order: true = evaluate it (first seen, or seen
   * at this very position), false = a copy of an event already claimed
   * elsewhere. Claims are applied in order, so the second copy of a key in
   * the same call is refused. Rejects (retriably) when the store cannot
   * answer: the caller must then not evaluate the batch.
   */
  claim(claims: readonly SeenEventClaim[]): Promise<boolean[]>;
  close(): Promise<void>;
}

/**
 * Keeps tenant and row id apart whatever characters they hold:
 * encodeURIComponent leaves no ':' in either part.
 */
export function seenEventKey(tenantId: string, rowId: string): string {
  return `${encodeURIComponent(tenantId)}:${encodeURIComponent(rowId)}`;
}

export function sourcePosition(topic: string, partition: number, offset: string): string {
  return `${topic}:${partition}:${offset}`;
}
