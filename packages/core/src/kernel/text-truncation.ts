/**
 * Bounds on text a tenant controls (rule output, request arguments, error
 * messages), so that one value cannot grow a log line, a Kafka message or a
 * gRPC trailer without limit. Sizes are UTF-8 bytes, what those carriers count.
 */

const encoder = new TextEncoder();

/** The UTF-8 size of `text`; a lone surrogate counts as the 3 bytes of U+FFFD it is written as. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** What ends a cut value: the size it had, so a reader knows how much is missing. */
export function truncationMarker(originalBytes: number): string {
  return `… [truncated, ${originalBytes} bytes]`;
}

/**
 * `text` when it fits in `maxBytes` of UTF-8; otherwise its longest start
 * that fits together with the marker, never ending inside a character. The
 * result is never larger than `maxBytes` (below the marker's own size, the
 * start is cut bare).
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  // A UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4).
  if (text.length * 3 <= maxBytes) return text;
  const total = utf8Bytes(text);
  if (total <= maxBytes) return text;
  const marker = truncationMarker(total);
  const markerBytes = utf8Bytes(marker);
  if (markerBytes > maxBytes) return utf8Prefix(text, maxBytes);
  return utf8Prefix(text, maxBytes - markerBytes) + marker;
}

/** The longest start of `text` whose UTF-8 form fits in `maxBytes`, whole characters only. */
function utf8Prefix(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  // encodeInto stops before a character that would not fit whole, and reads only what it writes.
  const { read } = encoder.encodeInto(text, new Uint8Array(maxBytes));
  return text.slice(0, read);
}
