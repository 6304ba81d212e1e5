import type { NormalizedEvent } from '@caracal/core/messages';

/**
 * The standard fields of an event the scheduler makes (a query's row, a
 * correlation rule's match): it came from no log source, so its source is the
 * scheduler's and it indicates nothing until given lists of its own.
 */
export function derivedEvent(e: { logType: string; tenantId: string; rowId: string; eventTime: string; parseTime: string; sourceId: string; sourceLabel: string }): NormalizedEvent {
  return {
    p_log_type: e.logType,
    p_tenant_id: e.tenantId,
    p_row_id: e.rowId,
    p_event_time: e.eventTime,
    p_parse_time: e.parseTime,
    p_source_id: e.sourceId,
    p_source_label: e.sourceLabel,
    p_schema_version: 1,
    p_any_ip_addresses: [],
    p_any_usernames: [],
    p_any_emails: [],
    p_any_trace_ids: [],
    p_any_actor_ids: [],
  };
}
