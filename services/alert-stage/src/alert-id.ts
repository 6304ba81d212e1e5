import { createHash } from 'node:crypto';
import type { AlertType } from '@caracal/core/messages';

/**
 * Alert ids are a pure function of what identifies the alert, its window
 * included, so a replay after a crash names the same alert again.
 */
export function alertIdFor(input: { tenantId: string; ruleId: string; type: AlertType; dedup: string; windowStartMs: number }): string {
  return createHash('sha256')
    .update([input.tenantId, input.ruleId, input.type, input.dedup, String(input.windowStartMs)].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}
