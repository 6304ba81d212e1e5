import { createHmac } from 'node:crypto';

export interface IngestAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** One POST to an ingest source; the answer's JSON body, or its text under `text` when it is not JSON. */
export async function postToSource(baseUrl: string, sourceId: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<IngestAnswer> {
  const res = await fetch(`${baseUrl}/http/${encodeURIComponent(sourceId)}`, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** The signature header value an HMAC source expects for these exact body bytes. */
export function hmacSignature(key: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}
