import { logTypeSlug } from './event.types';

/** Kafka topic names; keys are documented with each. */
export const Topics = {
  /** Normalized events of one log type, keyed by tenant. */
  logs: (logType: string): string => `logs.${logTypeSlug(logType)}`,
  /** Rule matches, keyed by tenant + rule + dedup string. */
  ruleMatches: 'rule-matches',
  ruleErrors: 'rule-errors',
  deadLetter: 'ingest-dlq',
} as const;

export const SUPPORTED_LOG_TYPES = ['Panther.Audit'] as const;
