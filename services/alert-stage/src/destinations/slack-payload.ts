import { type AlertRecord, isErrorAlertType } from '@caracal/core/messages';
import { isoUtc } from './alert-time';

// Block Kit's limits; a longer text makes Slack refuse the whole message.
const HEADER_MAX = 150;
const SECTION_TEXT_MAX = 3000;
const FIELD_MAX = 2000;
const FALLBACK_MAX = 3000;

interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] };

/** The JSON of a Slack incoming webhook: `text` for notifications and clients without blocks, `blocks` for the message. */
export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}

/**
 * Slack reads `<...>` as links and mentions (`<!channel>`) and `&` as the start
 * of an entity, so text a detection or an event controls is escaped: an
 * attacker who shapes an event's title must not be able to ping a channel.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts escaped text to `max` characters without leaving half an entity behind. */
function clip(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  return `${escaped.slice(0, max - 1).replace(/&[a-z]{0,3}$/, '')}…`;
}

function text(raw: string, max: number): string {
  return clip(escapeSlack(raw), max);
}

function field(label: string, value: string): TextObject {
  return { type: 'mrkdwn', text: clip(`*${label}*\n${escapeSlack(value)}`, FIELD_MAX) };
}

export function buildSlackPayload(alert: AlertRecord): SlackPayload {
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: text(`[${alert.severity}] ${alert.title}`, HEADER_MAX), emoji: false } },
    {
      type: 'section',
      fields: [
        field('Rule', alert.ruleId),
        field('Events', String(alert.eventCount)),
        field('First event', isoUtc(alert.firstEventTime) ?? ''),
        field('Last event', isoUtc(alert.lastEventTime) ?? ''),
      ],
    },
  ];
  const sections: [string, string][] = [
    ['Error', isErrorAlertType(alert.type) ? `${alert.errorType}: ${alert.errorMessage}` : ''],
    ['Description', alert.description],
    ['Runbook', alert.runbook],
    ['Reference', alert.reference],
  ];
  for (const [label, value] of sections) {
    if (value.trim() === '') continue;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*${label}*\n${escapeSlack(value)}`, SECTION_TEXT_MAX) } });
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: text(`Caracal alert ${alert.alertId} · tenant ${alert.tenantId}`, SECTION_TEXT_MAX) }],
  });
  return { text: text(`[${alert.severity}] ${alert.title} (rule ${alert.ruleId})`, FALLBACK_MAX), blocks };
}
