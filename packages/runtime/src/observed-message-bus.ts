import type { BatchHandler, BusConsumer, BusProducer, BusTopicReader, ConsumerOptions, MessageBus, TopicOptions } from '@caracal/bus';
import type { CaracalMetrics } from '@caracal/core/observability';

interface ConsumerEntry {
  groupId: string;
  topics: string[];
  consumer: BusConsumer;
  /** stop() was called and has not finished: the consumer is finishing its batch. */
  stopping: boolean;
}

/**
 * The process's bus as the services see it: the same bus, with every
 * consumer's batches measured (size, lag) and every consumer known, for the
 * readiness check and for saying which ones a slow shutdown waits on. One
 * place for all services, so no service measures its consumer itself.
 */
export class ObservedMessageBus implements MessageBus {
  private readonly entries: ConsumerEntry[] = [];

  constructor(
    private readonly inner: MessageBus,
    private readonly metrics: CaracalMetrics,
  ) {}

  get kind(): MessageBus['kind'] {
    return this.inner.kind;
  }

  ensureTopics(topics: string[], options?: TopicOptions): Promise<void> {
    return this.inner.ensureTopics(topics, options);
  }

  producer(): Promise<BusProducer> {
    return this.inner.producer();
  }

  reader(topic: string): BusTopicReader {
    return this.inner.reader(topic);
  }

  ping(timeoutMs: number): Promise<void> {
    return this.inner.ping(timeoutMs);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  consumer(options: ConsumerOptions): BusConsumer {
    const consumer = this.inner.consumer(options);
    const entry: ConsumerEntry = { groupId: options.groupId, topics: options.topics, consumer, stopping: false };
    this.entries.push(entry);
    const metrics = this.metrics;
    return {
      run: (handler: BatchHandler) =>
        consumer.run(async (batch) => {
          await handler(batch);
          metrics.observeConsumedBatch(options.groupId, batch);
        }),
      stop: async () => {
        entry.stopping = true;
        try {
          await consumer.stop();
        } finally {
          entry.stopping = false;
        }
      },
      isRunning: () => consumer.isRunning(),
    };
  }

  /** Consumers that are not consuming, as "group (topics)"; empty when all are. */
  notRunning(): string[] {
    return this.entries.filter((e) => !e.consumer.isRunning()).map(describe);
  }

  /** Consumers whose stop() is still finishing their current batch. */
  stopping(): string[] {
    return this.entries.filter((e) => e.stopping).map(describe);
  }
}

function describe(e: ConsumerEntry): string {
  return `${e.groupId} (${e.topics.join(', ')})`;
}
