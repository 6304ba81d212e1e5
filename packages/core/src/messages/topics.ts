import { logTypeSlug } from './event.types';

/** Kafka topic names; keys are documented with each. */
export const Topics = {
  /** Normalized events of one log type, keyed by tenant. */
  logs: (logType: string): string => `logs.${logTypeSlug(logType)}`,
  /** Rule matches and rule errors, keyed by dedup key (tenant + rule + dedup string), so one alert-stage partition owns a key. */
  ruleMatches: 'rule-matches',
  ruleErrors: 'rule-errors',
  /** Alert records, keyed by dedup key; compacted: the alert stage's output and its state. */
  alerts: 'alerts',
  /** Matched and errored events with their alert columns, for the writer; keyed by tenant and alert id. */
  alertEvents: 'alert-events',
  /** Outcomes of deliveries to destinations, keyed by alert id. */
  alertDeliveries: 'alert-deliveries',
  /** Input ingest refused (IngestRejection), keyed by tenant; the writer keeps it in panther_monitor.ingest_rejections. */
  deadLetter: 'ingest-dlq',
  /**
   * Messages a consumer group could not handle (a MessageDecodeError, a row
   * the lake refuses), set aside so the partition moves on: the original key,
   * value and headers, plus caracal-dlq-* headers saying where it was read,
   * by which group, why and after how many attempts. The writer keeps them in
   * caracal.dead_letters, for the operator.
   */
  consumerDeadLetters: 'consumer-dlq',
  /** Tenants' detection changes made through the API, keyed by tenant and RuleID; compacted: the latest record per key is the detection. */
  detections: 'detections',
} as const;
