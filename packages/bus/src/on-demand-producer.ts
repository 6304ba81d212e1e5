import type { BusProducer, MessageBus } from './message-bus';
import type { TopicContract } from './topic-contract';

/**
 * A producer for a service that publishes on request (ingest, the API's
 * audit trail) rather than from a consumer loop: it connects on first use
 * and creates each topic the first time it is written, so a service that
 * starts while Kafka is down still starts and answers with an error instead.
 * A failed connect or topic creation is not kept: the next call tries again.
 */
export class OnDemandProducer {
  private producer: Promise<BusProducer> | undefined;
  private readonly ensured = new Map<string, Promise<void>>();

  constructor(private readonly bus: MessageBus) {}

  connected(): Promise<BusProducer> {
    this.producer ??= this.bus.producer().catch((err: unknown) => {
      this.producer = undefined;
      throw err;
    });
    return this.producer;
  }

  ensureTopic(contract: TopicContract<unknown>): Promise<void> {
    let ensured = this.ensured.get(contract.name);
    if (!ensured) {
      ensured = this.bus.ensureTopics([contract.name], contract.compacted ? { compacted: true } : {}).catch((err: unknown) => {
        this.ensured.delete(contract.name);
        throw err;
      });
      this.ensured.set(contract.name, ensured);
    }
    return ensured;
  }
}
