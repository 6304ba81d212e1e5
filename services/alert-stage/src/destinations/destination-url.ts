import type { DestinationType } from '@caracal/core/control-plane';

/**
 * A destination's URL as errors, logs and listings may show it. A query
 * string may carry a token and the last path segment of a Slack webhook is
 * its credential, so neither is shown.
 */
export function displayUrl(type: DestinationType, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(invalid url)';
  }
  if (type === 'slack') {
    const path = parsed.pathname.replace(/\/[^/]*\/?$/, '/…');
    return `${parsed.origin}${path}`;
  }
  return `${parsed.origin}${parsed.pathname}`;
}
