/**
 * How a value becomes the bytes of a message and back: the one
 * serialization layer between the stages (after Temporal's data converter).
 * A later wire format (a binary encoding, compression, a schema registry id)
 * is a new codec here; producers and consumers do not change.
 */
export interface MessageCodec<T> {
  /** The format, as headers and docs name it. */
  readonly format: string;
  encode(value: T): string | Buffer;
  /**
   * The value of a message, checked: throws a MessageDecodeError (not
   * retriable, INVALID_ARGUMENT) when the bytes are not a T, which the
   * consumer policy sets aside on the dead-letter topic.
   */
  decode(bytes: Buffer, key: string | null): T;
}

/** UTF-8 JSON text, read back through a decoder that checks every field a consumer relies on. */
export function jsonCodec<T>(decode: (bytes: Buffer, key: string | null) => T): MessageCodec<T> {
  return { format: 'json', encode: (value) => JSON.stringify(value), decode };
}

/** The bytes as they are: for a topic whose values are other topics' messages (the consumer dead-letter topic). */
export const RAW_CODEC: MessageCodec<Buffer> = {
  format: 'raw',
  encode: (value) => value,
  decode: (bytes) => bytes,
};
