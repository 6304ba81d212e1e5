/**
 * Input ingest refused, as written to the dead-letter topic and the
 * panther_monitor.ingest_rejections table: what came in, from where, and why.
 */
export interface IngestRejection {
  p_tenant_id: string;
  /** From tenant, source and the raw text: a client retrying the same bad input adds no row. */
  p_row_id: string;
  /** When ingest received it (ClickHouse DateTime64(3) text, UTC). */
  p_parse_time: string;
  p_source_id: string;
  p_source_label: string;
  p_log_type: string;
  /** The X-Request-Id the caller got, to find a request's rejections. */
  request_id: string;
  /** The event's position in the body; -1 when the body as a whole was refused. */
  event_index: number;
  raw: string;
  /** utf8, or base64 for bytes that were not text (a body that was not valid gzip or UTF-8). */
  raw_encoding: 'utf8' | 'base64';
  /** Raw input longer than the event size limit is cut, so the rejection itself fits the bus. */
  raw_truncated: boolean;
  problems: { field: string; problem: string }[];
}
