import {
  alertDedupKey,
  AlertDeliveryRecord,
  AlertEventRecord,
  AlertRecord,
  decodeAlertDeliveryRecord,
  decodeAlertEventRecord,
  decodeAlertRecord,
  decodeIngestRejection,
  decodeNormalizedEvent,
  decodeRuleError,
  decodeRuleMatch,
  decodeTenantDetectionRecord,
  IngestRejection,
  logTypeSlug,
  outputAlertType,
  NormalizedEvent,
  RuleError,
  ruleErrorDedup,
  RuleMatch,
  TenantDetectionRecord,
  tenantDetectionKey,
} from '@caracal/core/messages';
import { jsonCodec, RAW_CODEC } from './message-codec';
import { defineTopic, TopicContract } from './topic-contract';

/*
 * Every topic of the pipeline, once. The flow:
 *
 *   scheduler ──► scheduled-rows ───────┐
 *                                       ▼
 *   HTTP ingest ──► logs.<log type> ──► rules-worker ──► rule-matches, rule-errors ──► alert-stage ──► alerts ──► delivery ──► alert-deliveries
 *        │                │                                                               │
 *        └► ingest-dlq    └──────────────────► clickhouse-writer ◄── alert-events ◄───────────┘
 *
 * The writer also reads ingest-dlq, alerts, alert-deliveries and consumer-dlq;
 * the API publishes detections, which rules-workers and the API read as state;
 * the scheduler runs in the API's process (it reads the lake it queries).
 */

const events = new Map<string, TopicContract<NormalizedEvent>>();

/** Normalized events of one log type, keyed by tenant (one tenant's events of a log type keep their order). */
export function eventsTopic(logType: string): TopicContract<NormalizedEvent> {
  const name = `logs.${logTypeSlug(logType)}`;
  let contract = events.get(name);
  if (!contract) {
    contract = defineTopic<NormalizedEvent>({
      name,
      valueType: `a normalized ${logType} event (NormalizedEvent)`,
      keyedBy: 'p_tenant_id',
      codec: jsonCodec(decodeNormalizedEvent),
      compacted: false,
      key: (e) => e.p_tenant_id,
    });
    events.set(name, contract);
  }
  return contract;
}

/**
 * The rows of tenants' scheduled query runs, each an event for the scheduled
 * rules that name its query (scheduledQueryLogType), keyed by tenant. Not
 * kept in panther_logs: only the rows a scheduled rule matched reach the lake.
 */
export const SCHEDULED_ROWS = defineTopic<NormalizedEvent>({
  name: 'scheduled-rows',
  valueType: "a scheduled query's result row as an event (ScheduledRowEvent)",
  keyedBy: 'p_tenant_id',
  codec: jsonCodec(decodeNormalizedEvent),
  compacted: false,
  key: (e) => e.p_tenant_id,
});

/** What a rule returned for an event, keyed by dedup key (tenant, rule, dedup string) so one alert-stage partition owns an alert. */
export const RULE_MATCHES = defineTopic<RuleMatch>({
  name: 'rule-matches',
  valueType: 'a rule match with its event (RuleMatch)',
  keyedBy: 'alert dedup key: tenant|rule|dedup',
  codec: jsonCodec(decodeRuleMatch),
  compacted: false,
  key: (m) => alertDedupKey(m.tenantId, m.rule.ruleId, outputAlertType('match', m.rule), m.dedup),
});

/** A rule that raised on an event, keyed like its alert: tenant, rule and the error's type and first line. */
export const RULE_ERRORS = defineTopic<RuleError>({
  name: 'rule-errors',
  valueType: 'a rule error with its event (RuleError)',
  keyedBy: 'alert dedup key: tenant|rule|rule-error|type: first line',
  codec: jsonCodec(decodeRuleError),
  compacted: false,
  key: (e) => alertDedupKey(e.tenantId, e.rule.ruleId, outputAlertType('error', e.rule), ruleErrorDedup(e)),
});

/** Every version of every alert, keyed by dedup key; compacted: the alert stage's output is also its state. */
export const ALERTS = defineTopic<AlertRecord>({
  name: 'alerts',
  valueType: 'an alert, one version of it (AlertRecord)',
  keyedBy: 'alert dedup key',
  codec: jsonCodec(decodeAlertRecord),
  compacted: true,
  key: (a) => a.dedupKey,
});

/** Matched and errored events with their alert's columns, for the lake; keyed by tenant and alert id. */
export const ALERT_EVENTS = defineTopic<AlertEventRecord>({
  name: 'alert-events',
  valueType: 'a matched or errored event with its alert columns (AlertEventRecord)',
  keyedBy: 'tenant|alert id',
  codec: jsonCodec(decodeAlertEventRecord),
  compacted: false,
  key: (e) => `${String(e.row.p_tenant_id)}|${String(e.row.p_alert_id)}`,
});

/** The outcome of one alert's delivery to one destination, keyed by alert id. */
export const ALERT_DELIVERIES = defineTopic<AlertDeliveryRecord>({
  name: 'alert-deliveries',
  valueType: 'one delivery attempt series to one destination (AlertDeliveryRecord)',
  keyedBy: 'alert id',
  codec: jsonCodec(decodeAlertDeliveryRecord),
  compacted: false,
  key: (r) => r.alertId,
});

/** Input ingest refused, keyed by tenant; the writer keeps it in panther_monitor.ingest_rejections for the tenant to query. */
export const INGEST_REJECTIONS = defineTopic<IngestRejection>({
  name: 'ingest-dlq',
  valueType: 'an event or body ingest refused, with its problems (IngestRejection)',
  keyedBy: 'p_tenant_id',
  codec: jsonCodec(decodeIngestRejection),
  compacted: false,
  key: (r) => r.p_tenant_id,
});

/**
 * Messages a consumer group could not handle (a value its codec refused, a
 * row the lake refused), set aside so the partition moves on: the original
 * key, value and headers, plus caracal-dlq-* headers saying where it was
 * read, by which group, why and after how many attempts. The writer keeps
 * them in caracal.dead_letters, for the operator. Its values are other
 * topics' bytes, so its codec is raw and its key is the original message's.
 */
export const CONSUMER_DEAD_LETTERS = defineTopic<Buffer>({
  name: 'consumer-dlq',
  valueType: "another topic's message, unchanged, with caracal-dlq-* headers",
  keyedBy: "the original message's key",
  codec: RAW_CODEC,
  compacted: false,
  // Dead letters are written by the bus with their original key (dead-letter.envelope.ts), never through this.
  key: () => '',
});

/** Tenants' detection changes made through the API, keyed by tenant and RuleID; compacted: the latest record per key is the detection. */
export const DETECTIONS = defineTopic<TenantDetectionRecord>({
  name: 'detections',
  valueType: 'a detection put or deleted through the API (TenantDetectionRecord)',
  keyedBy: 'tenant|RuleID',
  codec: jsonCodec(decodeTenantDetectionRecord),
  compacted: true,
  key: (r) => tenantDetectionKey(r.tenantId, r.ruleId),
});

/** The fixed topics, for docs and tools that list them (the events topics are one per log type: eventsTopic). */
export const FIXED_TOPICS: readonly TopicContract<unknown>[] = [
  SCHEDULED_ROWS,
  RULE_MATCHES,
  RULE_ERRORS,
  ALERTS,
  ALERT_EVENTS,
  ALERT_DELIVERIES,
  INGEST_REJECTIONS,
  CONSUMER_DEAD_LETTERS,
  DETECTIONS,
];

/**
 * Topic names, for tools and tests that read or write a topic's raw bytes
 * (a broker check, a planted bad message). Service code takes the contracts.
 */
export const Topics = {
  logs: (logType: string): string => eventsTopic(logType).name,
  scheduledRows: SCHEDULED_ROWS.name,
  ruleMatches: RULE_MATCHES.name,
  ruleErrors: RULE_ERRORS.name,
  alerts: ALERTS.name,
  alertEvents: ALERT_EVENTS.name,
  alertDeliveries: ALERT_DELIVERIES.name,
  deadLetter: INGEST_REJECTIONS.name,
  consumerDeadLetters: CONSUMER_DEAD_LETTERS.name,
  detections: DETECTIONS.name,
} as const;
