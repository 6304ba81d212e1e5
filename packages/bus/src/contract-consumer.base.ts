import type { BatchFill, BusConsumer, BusProducer, ConsumedBatch, MessageBus } from './message-bus';
import { CaracalError } from '@caracal/core';
import { ensureContractTopics, TopicContract } from './topic-contract';

/** What a consumer reads and writes, and how. */
export interface ConsumerSubscription<T = unknown> {
  groupId: string;
  /** The topics it reads; created (with their contract's options) if missing. */
  consumes: readonly TopicContract<T>[];
  /** The topics it writes; created before it reads, and a producer is connected when there are any. */
  produces?: readonly TopicContract<unknown>[];
  maxBatchMessages?: number;
  /** See ConsumerOptions.batchFill: for handlers with a high cost per call. */
  batchFill?: BatchFill;
  /** See ConsumerOptions.stableBatches: for handlers whose output is deduplicated per batch. */
  stableBatches?: boolean;
  /** See ConsumerOptions.concurrentPartitions: for handlers that mostly wait on other processes. */
  concurrentPartitions?: number;
}

/**
 * The life of a consumer group member in a service: on bootstrap it creates
 * its topics, connects its producer, runs `beforeConsume`, then hands every
 * batch to `handle`; on shutdown it finishes the batch in hand (the bus
 * commits it) and runs `afterStop`. The hooks carry Nest's names, so a
 * subclass marked @Injectable is started and stopped by the application.
 * What happens to a message `handle` cannot decode is the bus's one policy
 * (poison-message.policy.ts), not the subclass's.
 */
export abstract class ContractConsumer<T = unknown> {
  private consumer: BusConsumer | undefined;
  private connected: BusProducer | undefined;
  private readonly contracts = new Map<string, TopicContract<T>>();

  protected constructor(protected readonly bus: MessageBus) {}

  /** What it reads and writes: read at bootstrap, and by contractOf; a method, so that it may depend on what the subclass constructor received. */
  protected abstract subscription(): ConsumerSubscription<T>;

  /** One batch of one partition; the offsets are committed when it resolves, and a rejection redelivers it. */
  abstract handle(batch: ConsumedBatch): Promise<void>;

  /** Runs after the topics exist and the producer is connected, before the first batch. */
  protected async beforeConsume(): Promise<void> {}

  /** Runs once the consumer stopped: release what handle used. */
  protected async afterStop(): Promise<void> {}

  /** The producer of the topics in `produces`; there is none when it declares none. */
  protected get producer(): BusProducer {
    if (!this.connected) throw new CaracalError('INTERNAL', `${this.constructor.name} declared no topics it produces, or has not started`);
    return this.connected;
  }

  /** The contract of the topic a batch was read from. */
  protected contractOf(batch: ConsumedBatch): TopicContract<T> {
    if (this.contracts.size === 0) for (const c of this.subscription().consumes) this.contracts.set(c.name, c);
    const contract = this.contracts.get(batch.topic);
    if (!contract) throw new CaracalError('INTERNAL', `${this.constructor.name} got a batch of ${batch.topic}, which it does not consume`);
    return contract;
  }

  async onApplicationBootstrap(): Promise<void> {
    const s = this.subscription();
    await ensureContractTopics(this.bus, [...s.consumes, ...(s.produces ?? [])]);
    if ((s.produces ?? []).length > 0) this.connected = await this.bus.producer();
    await this.beforeConsume();
    this.consumer = this.bus.consumer({
      groupId: s.groupId,
      topics: [...new Set(s.consumes.map((c) => c.name))],
      ...(s.maxBatchMessages === undefined ? {} : { maxBatchMessages: s.maxBatchMessages }),
      ...(s.stableBatches ? { stableBatches: true } : {}),
      ...(s.batchFill ? { batchFill: s.batchFill } : {}),
      ...(s.concurrentPartitions === undefined ? {} : { concurrentPartitions: s.concurrentPartitions }),
    });
    await this.consumer.run((batch) => this.handle(batch));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.afterStop();
  }
}

