import type { BusProducer, ConsumedMessage, MessageBus, OutgoingMessage } from './message-bus';
import type { MessageCodec } from './message-codec';

/**
 * Everything a producer and a consumer of one topic must agree on, declared
 * once (topic-contracts.ts): its name, what its values are, how they are
 * keyed (the key picks the partition, so it decides what is ordered), the
 * codec, and whether the topic is compacted (a state store). A message the
 * codec refuses is never skipped and never retried for ever: the consumer
 * fails the batch with a MessageDecodeError, the bus retries it a bounded
 * number of times, then sets that one message aside on the consumer
 * dead-letter topic with the reason, counts it, and the partition goes on
 * (poison-message.policy.ts).
 */
export interface TopicContract<T> {
  readonly name: string;
  /** What one value is, in words, for docs and logs. */
  readonly valueType: string;
  /** What the key is made of, in words. */
  readonly keyedBy: string;
  readonly codec: MessageCodec<T>;
  /** Keeps the latest value of every key; an empty value is a tombstone that deletes it. */
  readonly compacted: boolean;
  key(value: T): string;
}

export function defineTopic<T>(contract: TopicContract<T>): TopicContract<T> {
  return Object.freeze({ ...contract });
}

/**
 * Creates the topics of these contracts that do not exist yet, each with its
 * contract's compaction: compaction is set when a topic is created, so
 * whoever creates a compacted topic first must create it compacted.
 */
export async function ensureContractTopics(bus: MessageBus, contracts: readonly TopicContract<unknown>[]): Promise<void> {
  const compacted = [...new Set(contracts.filter((c) => c.compacted).map((c) => c.name))];
  const plain = [...new Set(contracts.filter((c) => !c.compacted).map((c) => c.name))];
  if (compacted.length > 0) await bus.ensureTopics(compacted, { compacted: true });
  if (plain.length > 0) await bus.ensureTopics(plain);
}

/** A value as a message of its topic: the contract's key, the codec's bytes. */
export function encodeMessage<T>(contract: TopicContract<T>, value: T, headers?: Record<string, string>): OutgoingMessage {
  return headers ? { key: contract.key(value), value: contract.codec.encode(value), headers } : { key: contract.key(value), value: contract.codec.encode(value) };
}

/** An empty value on a compacted topic: compaction's way of deleting a key, nothing to decode. */
export function isTombstone(contract: TopicContract<unknown>, message: ConsumedMessage): boolean {
  return contract.compacted && message.value.length === 0;
}

/**
 * The value of a consumed message; anything the codec refuses throws a
 * MessageDecodeError. On a compacted topic, check isTombstone first.
 */
export function decodeMessage<T>(contract: TopicContract<T>, message: ConsumedMessage): T {
  return contract.codec.decode(message.value, message.key);
}

/** Sends messages made by encodeMessage (a caller that needs the bytes first, to size or check them); resolves once durable. */
export function sendEncoded(producer: BusProducer, contract: TopicContract<unknown>, messages: OutgoingMessage[]): Promise<void> {
  return messages.length === 0 ? Promise.resolve() : producer.send(contract.name, messages);
}

/** Encodes values with their contract and sends them; resolves once durable. */
export function publish<T>(producer: BusProducer, contract: TopicContract<T>, values: readonly T[], headersOf?: (value: T) => Record<string, string> | undefined): Promise<void> {
  return sendEncoded(producer, contract, values.map((v) => encodeMessage(contract, v, headersOf?.(v))));
}
