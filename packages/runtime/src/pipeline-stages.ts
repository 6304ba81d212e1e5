import { ALERT_DELIVERY_GROUP, ALERT_STAGE_GROUP } from '@caracal/alert-stage';
import { ALERT_WRITER_GROUP, DEAD_LETTER_WRITER_GROUP, EVENT_WRITER_GROUP, REJECTION_WRITER_GROUP } from '@caracal/clickhouse-writer';
import { RULES_WORKER_GROUP } from '@caracal/rules-worker';

/** A step of the data flow (docs/architecture.md) and the consumer groups whose lag is its backlog. */
export interface PipelineStage {
  id: string;
  label: string;
  groups: readonly string[];
}

/** In the order events flow; the consumer lag gauge (caracal_consumer_lag_messages) is labelled by these groups. */
export const PIPELINE_STAGES: readonly PipelineStage[] = [
  { id: 'rules', label: 'ingest → rules-worker', groups: [RULES_WORKER_GROUP] },
  { id: 'alerts', label: 'rules-worker → alert stage', groups: [ALERT_STAGE_GROUP] },
  { id: 'delivery', label: 'alert stage → destinations', groups: [ALERT_DELIVERY_GROUP] },
  { id: 'writer', label: 'clickhouse-writer → lake', groups: [EVENT_WRITER_GROUP, ALERT_WRITER_GROUP, REJECTION_WRITER_GROUP, DEAD_LETTER_WRITER_GROUP] },
];
