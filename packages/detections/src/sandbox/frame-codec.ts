import { readSync, writeSync } from 'node:fs';

/**
 * Messages between the rules process and a sandboxed detection host cross a
 * pipe as frames: a 4-byte big-endian length, then that many bytes of JSON.
 * The host side is synchronous (it blocks in Python and in caching calls),
 * the parent side is a stream decoder.
 */

const HEADER_BYTES = 4;
/** Content payloads and batches are large, but a frame past this is a bug or an attack. */
export const MAX_FRAME_BYTES = 512 * 1024 * 1024;

export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const frame = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, HEADER_BYTES);
  return frame;
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
      messages.push(JSON.parse(whole.subarray(HEADER_BYTES, HEADER_BYTES + this.expected).toString('utf8')));
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

/** Blocks until `buffer` is full; the pipe may be non-blocking (EAGAIN) or interrupted (EINTR). */
function readFully(fd: number, buffer: Buffer): void {
  let offset = 0;
  while (offset < buffer.length) {
    let n: number;
    try {
      n = readSync(fd, buffer, offset, buffer.length - offset, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EINTR') {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      throw err;
    }
    if (n === 0) throw new Error('the pipe closed');
    offset += n;
  }
}

/** Host side: the next message on `fd`, blocking. */
export function readFrameSync(fd: number): unknown {
  const header = Buffer.alloc(HEADER_BYTES);
  readFully(fd, header);
  const length = header.readUInt32BE(0);
  if (length > MAX_FRAME_BYTES) throw new Error(`a frame of ${length} bytes is over the limit of ${MAX_FRAME_BYTES}`);
  const body = Buffer.allocUnsafe(length);
  readFully(fd, body);
  return JSON.parse(body.toString('utf8'));
}

/** Host side: writes a whole frame, blocking. */
export function writeFrameSync(fd: number, message: unknown): void {
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
