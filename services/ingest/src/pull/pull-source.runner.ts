import type { SourceRecord } from '@caracal/core/control-plane';

/** What reads one pull source while it exists: an S3 puller or a Kafka topic consumer. */
export interface PullSourceRunner {
  readonly source: SourceRecord;
  /** Begins in the background; failures to reach the source are logged and retried, never thrown. */
  start(): void;
  /** Stops cleanly: what is being published is finished, the rest is left to be read again. */
  stop(): Promise<void>;
}
