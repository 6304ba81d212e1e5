import { readSync, writeSync } from 'node:fs';

/**
 * Messages between the rules process and a sandboxed detection host cross a
 * pipe as frames: a 4-byte big-endian length of the rest, a 4-byte length of
 * the message's JSON, the JSON, then the message's `body` bytes if it has
 * one. A body (a batch of events, the outcomes: JSON themselves) crosses as
 * it is, not as a string escaped inside the message's JSON and parsed back.
 * The host side is synchronous (it blocks in Python and in caching calls),
 * the parent side is a stream decoder.
 */

const HEADER_BYTES = 4;
const JSON_LENGTH_BYTES = 4;
/** Content payloads and batches are large, but a frame past this is a bug or an attack. */
export const MAX_FRAME_BYTES = 512 * 1024 * 1024;

/** A message whose `body`, when it has one, crosses as raw bytes beside its JSON. */
export type FrameMessage = object & { body?: Uint8Array };

export function encodeFrame(message: FrameMessage): Buffer {
  const { body, ...rest } = message;
  const json = Buffer.from(JSON.stringify(body === undefined ? message : rest), 'utf8');
  const bodyBytes = body?.length ?? 0;
  const frame = Buffer.allocUnsafe(HEADER_BYTES + JSON_LENGTH_BYTES + json.length + bodyBytes);
  frame.writeUInt32BE(JSON_LENGTH_BYTES + json.length + bodyBytes, 0);
  frame.writeUInt32BE(json.length, HEADER_BYTES);
  json.copy(frame, HEADER_BYTES + JSON_LENGTH_BYTES);
  if (body) frame.set(body, HEADER_BYTES + JSON_LENGTH_BYTES + json.length);
  return frame;
}

/** The message in a frame's bytes (after its length header); its body a view of `bytes`. */
function decodeMessage(bytes: Buffer): unknown {
  if (bytes.length < JSON_LENGTH_BYTES) throw new Error('a frame too short for its JSON length');
  const jsonBytes = bytes.readUInt32BE(0);
  const bodyStart = JSON_LENGTH_BYTES + jsonBytes;
  if (bodyStart > bytes.length) throw new Error(`a frame announces ${jsonBytes} bytes of JSON in ${bytes.length - JSON_LENGTH_BYTES}`);
  const message = JSON.parse(bytes.toString('utf8', JSON_LENGTH_BYTES, bodyStart)) as unknown;
  if (bodyStart < bytes.length) {
    if (message === null || typeof message !== 'object' || Array.isArray(message)) throw new Error('a frame body beside a message that is not an object');
    (message as { body?: Buffer }).body = bytes.subarray(bodyStart);
  }
  return message;
}

/**
 * Parent side: feed it stream chunks, get whole messages. A large frame
 * arrives in many chunks; they are joined once, when the whole frame is there.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Body length of the frame being received, once its header is in. */
  private expected: number | undefined;

  push(chunk: Buffer): unknown[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: unknown[] = [];
    for (;;) {
      if (this.expected === undefined) {
        if (this.buffered < HEADER_BYTES) break;
        const first = this.chunks[0].length >= HEADER_BYTES ? this.chunks[0] : this.join();
        const length = first.readUInt32BE(0);
        if (length > MAX_FRAME_BYTES) throw new Error(`a frame of ${length} bytes is over the limit of ${MAX_FRAME_BYTES}`);
        this.expected = length;
      }
      if (this.buffered < HEADER_BYTES + this.expected) break;
      const whole = this.join();
      messages.push(decodeMessage(whole.subarray(HEADER_BYTES, HEADER_BYTES + this.expected)));
      const rest = whole.subarray(HEADER_BYTES + this.expected);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      this.expected = undefined;
    }
    return messages;
  }

  private join(): Buffer {
    const whole = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [whole];
    return whole;
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** One read of at most `length` bytes into `buffer` at `offset`, blocking; the pipe may be non-blocking (EAGAIN) or interrupted (EINTR). */
function readSome(fd: number, buffer: Buffer, offset: number, length: number): number {
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, offset, length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EINTR') {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      throw err;
    }
    if (n === 0) throw new Error('the pipe closed');
    return n;
  }
}

/**
 * Host side: reads frames with as few system calls as it can, one per small
 * frame (a caching answer) instead of one for the header and one for the
 * rest. What it hands out is its own copy: a batch's events stay whole while
 * caching answers are read behind them.
 */
class SyncFrameReader {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  private start = 0;
  private end = 0;

  constructor(private readonly fd: number) {}

  /** The next `count` bytes of the stream. */
  take(count: number): Buffer {
    const out = Buffer.allocUnsafe(count);
    const buffered = Math.min(count, this.end - this.start);
    this.buffer.copy(out, 0, this.start, this.start + buffered);
    this.start += buffered;
    if (buffered === count) return out;
    this.start = this.end = 0;
    let offset = buffered;
    if (count - offset >= this.buffer.length) {
      // A large frame: straight into its own memory.
      while (offset < count) offset += readSome(this.fd, out, offset, count - offset);
      return out;
    }
    while (offset < count) {
      this.end += readSome(this.fd, this.buffer, this.end, this.buffer.length - this.end);
      const part = Math.min(count - offset, this.end - this.start);
      this.buffer.copy(out, offset, this.start, this.start + part);
      this.start += part;
      offset += part;
    }
    return out;
  }
}

const readers = new Map<number, SyncFrameReader>();

/** Host side: the next message on `fd`, blocking. */
export function readFrameSync(fd: number): unknown {
  let reader = readers.get(fd);
  if (!reader) readers.set(fd, (reader = new SyncFrameReader(fd)));
  const length = reader.take(HEADER_BYTES).readUInt32BE(0);
  if (length > MAX_FRAME_BYTES) throw new Error(`a frame of ${length} bytes is over the limit of ${MAX_FRAME_BYTES}`);
  return decodeMessage(reader.take(length));
}

/** Host side: writes a whole frame, blocking. */
export function writeFrameSync(fd: number, message: FrameMessage): void {
  const frame = encodeFrame(message);
  let offset = 0;
  while (offset < frame.length) {
    try {
      offset += writeSync(fd, frame, offset, frame.length - offset);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EINTR') {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      throw err;
    }
  }
}
