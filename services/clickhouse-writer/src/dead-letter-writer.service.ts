import { isUtf8 } from 'node:buffer';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { type ConsumedBatch, type ConsumedMessage, CONSUMER_DEAD_LETTERS, ContractConsumer, type ConsumerSubscription, type MessageBus, readDeadLetter } from '@caracal/bus';
import { CONFIG, CaracalConfig, LAKE_CLIENT, LOGGER, Logger, MESSAGE_BUS, METRICS } from '@caracal/core';
import { toClickHouseTime } from '@caracal/core/messages';
import { CaracalMetrics, Tracing, TRACING } from '@caracal/core/observability';
import { DEAD_LETTERS_TABLE, LakeClient, monthOfTime } from '@caracal/lake';
import { writeBatch } from './lake-insert';
import { lakeBatching } from './lake-batching';

export const DEAD_LETTER_WRITER_GROUP = 'caracal-clickhouse-writer-dead-letters';

/**
 * A dead letter as a row of caracal.dead_letters. Never refuses one: a
 * dead letter has nowhere further to go, so whatever it lacks is filed empty
 * and a value that is not UTF-8 text is kept as base64.
 */
export function deadLetterRow(message: ConsumedMessage): Record<string, unknown> {
  const d = readDeadLetter(message);
  const text = isUtf8(d.value);
  return {
    consumer_group: d.groupId,
    source_topic: d.topic,
    source_partition: d.partition,
    source_offset: /^\d{1,15}$/.test(d.offset) ? Number(d.offset) : -1,
    tenant_id: d.tenantId,
    error_code: d.errorCode,
    error_message: d.error,
    attempts: d.attempts,
    dead_lettered_at: monthOfTime(d.at) === undefined ? toClickHouseTime(new Date()) : d.at,
    message_key: d.key ?? '',
    payload: text ? d.value.toString('utf8') : d.value.toString('base64'),
    payload_encoding: text ? 'utf8' : 'base64',
    headers: d.headers,
  };
}

/** The consumer dead-letter topic into caracal.dead_letters, where the operator finds what was set aside and why. */
@Injectable()
export class DeadLetterWriterService extends ContractConsumer<Buffer> {
  constructor(
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(LAKE_CLIENT) private readonly lake: LakeClient,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) private readonly metrics: CaracalMetrics,
    @Optional() @Inject(TRACING) private readonly tracing?: Tracing,
  ) {
    super(bus);
  }

  protected subscription(): ConsumerSubscription<Buffer> {
    return { groupId: DEAD_LETTER_WRITER_GROUP, consumes: [CONSUMER_DEAD_LETTERS], ...lakeBatching(this.config), stableBatches: true };
  }

  async handle(batch: ConsumedBatch): Promise<void> {
    // A dead letter's value is another topic's bytes; what it is comes from its caracal-dlq-* headers.
    const rows = await writeBatch(this.lake, batch, (message) => ({ table: DEAD_LETTERS_TABLE, row: deadLetterRow(message) }), { metrics: this.metrics, tracing: this.tracing });
    this.logger.debug({ topic: batch.topic, rows }, 'dead letters written');
  }
}
