import { MessageChannel, MessagePort } from 'node:worker_threads';
import { describeError } from '@caracal/core';
import type { KvStore } from '../kv/kv-store';
import { parseKvRequest } from '../kv/kv-request';

/**
 * Python's caching calls are synchronous, the stores are not (Redis). The
 * worker posts the request and blocks on a shared word; the main thread runs
 * the store call and writes the answer into shared memory. Answers are capped:
 * stored values are at most 400 KB (MAX_VALUE_BYTES), so a few MB always fit.
 */

const HEADER_BYTES = 8;
export const KV_BUFFER_BYTES = 4 * 1024 * 1024;
/** The sequence number of the request the body answers. */
const ANSWERED_SEQ = 0;
const LENGTH = 1;

interface BridgeRequest {
  seq: number;
  tenantId: string;
  requestJson: string;
}

export interface KvBridgeEnds {
  /** Given to the worker (transferred). */
  workerPort: MessagePort;
  buffer: SharedArrayBuffer;
  close(): void;
}

/** Main-thread end: answers one worker's requests against the store. */
export function serveKvBridge(store: KvStore): KvBridgeEnds {
  const buffer = new SharedArrayBuffer(HEADER_BYTES + KV_BUFFER_BYTES);
  const header = new Int32Array(buffer, 0, 2);
  const body = new Uint8Array(buffer, HEADER_BYTES);
  const { port1, port2 } = new MessageChannel();
  let latestSeq = 0;
  const answer = (seq: number, payload: unknown): void => {
    // The worker gave up on this one (timed out) and may be reading a newer answer.
    if (seq !== latestSeq) return;
    let bytes = Buffer.from(JSON.stringify(payload));
    if (bytes.length > KV_BUFFER_BYTES) {
      bytes = Buffer.from(JSON.stringify({ error: `the answer is ${bytes.length} bytes, over the bridge's ${KV_BUFFER_BYTES}` }));
    }
    body.set(bytes);
    Atomics.store(header, LENGTH, bytes.length);
    Atomics.store(header, ANSWERED_SEQ, seq);
    Atomics.notify(header, ANSWERED_SEQ);
  };
  port1.on('message', (message: BridgeRequest) => {
    latestSeq = message.seq;
    void (async () => {
      try {
        const request = parseKvRequest(JSON.parse(message.requestJson));
        answer(message.seq, { result: await store.execute(message.tenantId, request) });
      } catch (err) {
        answer(message.seq, { error: describeError(err) });
      }
    })();
  });
  return { workerPort: port2, buffer, close: () => port1.close() };
}

/** Worker end: a blocking call; the caller binds the tenant, never Python. */
export function kvBridgeClient(
  port: MessagePort,
  buffer: SharedArrayBuffer,
  timeoutMs: number,
): (tenantId: string, requestJson: string) => string {
  const header = new Int32Array(buffer, 0, 2);
  const body = new Uint8Array(buffer, HEADER_BYTES);
  let seq = Atomics.load(header, ANSWERED_SEQ);
  return (tenantId, requestJson) => {
    seq = seq >= 0x7fffffff ? 1 : seq + 1;
    const request: BridgeRequest = { seq, tenantId, requestJson };
    port.postMessage(request);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answered = Atomics.load(header, ANSWERED_SEQ);
      if (answered === seq) break;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return JSON.stringify({ error: `the key-value store did not answer within ${timeoutMs} ms` });
      Atomics.wait(header, ANSWERED_SEQ, answered, remaining);
    }
    return Buffer.from(body.subarray(0, Atomics.load(header, LENGTH))).toString('utf8');
  };
}
