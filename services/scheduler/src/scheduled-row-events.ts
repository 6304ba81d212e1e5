import { createHash } from 'node:crypto';
import { canonicalJson } from '@caracal/core/log-schemas';
import { type ScheduledRowEvent, scheduledQueryLogType, toClickHouseTime } from '@caracal/core/messages';
import { derivedEvent } from './derived-event';
import type { ScheduledRunTrigger } from './scheduled-query.types';

/** The run a row came from. */
export interface RowOrigin {
  tenantId: string;
  queryName: string;
  tick: Date;
  trigger: ScheduledRunTrigger;
  /** When the rows were read. */
  readAt: Date;
}

const INDICATORS = ['p_any_ip_addresses', 'p_any_usernames', 'p_any_emails', 'p_any_trace_ids', 'p_any_actor_ids'] as const;
const TIME_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,9})?$/;

function strings(value: unknown): string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : [];
}

/**
 * A run's rows as events for the scheduled rules. Each row keeps its columns;
 * Caracal's own fields are set over any column of the same name, so that the
 * tenant, the id and the log type are always the scheduler's. A row that
 * selected p_event_time (or a p_any_* list) keeps it: rules and alerts then
 * speak of the event's time, not the run's.
 *
 * A row's id is made from its run (tenant, query, tick, trigger) and its
 * content, numbered among identical rows, never from its position: a run
 * repeated after a crash may return its rows in another order, and must give
 * each the id it had, so that the copies are dropped downstream.
 */
export function scheduledRowEvents(origin: RowOrigin, rows: readonly Record<string, unknown>[]): ScheduledRowEvent[] {
  const tickText = toClickHouseTime(origin.tick);
  const readText = toClickHouseTime(origin.readAt);
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const content = canonicalJson(row);
    const occurrence = seen.get(content) ?? 0;
    seen.set(content, occurrence + 1);
    const rowId = createHash('sha256')
      .update(`${origin.tenantId}\n${origin.queryName}\n${origin.tick.getTime()}\n${origin.trigger}\n${occurrence}\n${content}`)
      .digest('hex')
      .slice(0, 32);
    const ownTime = typeof row.p_event_time === 'string' && TIME_TEXT.test(row.p_event_time) ? row.p_event_time : undefined;
    const event: ScheduledRowEvent = {
      ...row,
      ...derivedEvent({
        logType: scheduledQueryLogType(origin.queryName),
        tenantId: origin.tenantId,
        rowId,
        eventTime: ownTime ?? tickText,
        parseTime: readText,
        sourceId: 'scheduled-query',
        sourceLabel: origin.queryName,
      }),
      p_query_name: origin.queryName,
      p_scheduled_time: tickText,
    };
    for (const key of INDICATORS) event[key] = strings(row[key]);
    return event;
  });
}
