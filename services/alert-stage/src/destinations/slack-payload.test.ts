import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureAlert } from './alert.fixture';
import { buildSlackPayload, escapeSlack } from './slack-payload';

test('a Slack message has a fallback text, a header, the facts and the alert id', () => {
  const p = buildSlackPayload(fixtureAlert());
  assert.equal(p.text, '[HIGH] Detection deleted by homer (rule Panther.Detection.Deleted)');
  assert.deepEqual(p.blocks[0], { type: 'header', text: { type: 'plain_text', text: '[HIGH] Detection deleted by homer', emoji: false } });
  assert.deepEqual(p.blocks[1], {
    type: 'section',
    fields: [
      { type: 'mrkdwn', text: '*Rule*\nPanther.Detection.Deleted' },
      { type: 'mrkdwn', text: '*Events*\n3' },
      { type: 'mrkdwn', text: '*First event*\n2026-11-24T10:00:00.000Z' },
      { type: 'mrkdwn', text: '*Last event*\n2026-11-24T10:05:30.250Z' },
    ],
  });
  const texts = p.blocks.map((b) => ('text' in b && b.text ? b.text.text : ''));
  assert.ok(texts.includes('*Description*\nA detection was deleted.'));
  assert.ok(texts.includes('*Runbook*\nAsk the actor why.'));
  const last = p.blocks[p.blocks.length - 1];
  assert.equal(last.type, 'context');
  assert.match(JSON.stringify(last), /a1b2c3d4e5f60718/);
});

test('absent description and runbook leave no empty sections', () => {
  const p = buildSlackPayload(fixtureAlert({ description: '', runbook: ' ', reference: '' }));
  assert.deepEqual(p.blocks.map((b) => b.type), ['header', 'section', 'context']);
});

test('text from detections and events cannot mention, link or inject entities', () => {
  assert.equal(escapeSlack('a & b <!channel> <https://x|y> >'), 'a &amp; b &lt;!channel&gt; &lt;https://x|y&gt; &gt;');
  const p = buildSlackPayload(fixtureAlert({ title: 'Hi <!here> & <@U123>', description: '<script>', runbook: 'x > y' }));
  const json = JSON.stringify(p);
  assert.ok(!/[<>]/.test(json), 'no raw angle brackets anywhere');
  assert.match(p.text, /Hi &lt;!here&gt; &amp; &lt;@U123&gt;/);
});

test('long text is cut to Block Kit limits without half an entity', () => {
  const p = buildSlackPayload(fixtureAlert({ title: `${'x'.repeat(140)}&&&&&&&&` }));
  const header = p.blocks[0];
  const text = header.type === 'header' ? header.text.text : '';
  assert.ok(text.length <= 150, `header is ${text.length} long`);
  assert.match(text, /^\[HIGH\] x{140}…$/);
});
