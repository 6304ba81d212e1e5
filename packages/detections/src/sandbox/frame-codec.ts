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

/** Parent side: feed it stream chunks, get whole messages. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): unknown[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: unknown[] = [];
    for (;;) {
      if (this.buffered < HEADER_BYTES) break;
      const head = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      this.chunks = [head];
      const length = head.readUInt32BE(0);
      if (length > MAX_FRAME_BYTES) throw new Error(`a frame of ${length} bytes is over the limit of ${MAX_FRAME_BYTES}`);
      if (head.length < HEADER_BYTES + length) break;
      messages.push(JSON.parse(head.subarray(HEADER_BYTES, HEADER_BYTES + length).toString('utf8')));
      const rest = head.subarray(HEADER_BYTES + length);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
    }
    return messages;
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
