import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayUrl } from './destination-url';

test('URLs in errors and listings lose query strings and the Slack webhook token', () => {
  assert.equal(displayUrl('webhook', 'https://h.example.com/in/caracal?token=s3cret'), 'https://h.example.com/in/caracal');
  assert.equal(displayUrl('slack', 'https://hooks.slack.com/services/T0/B0/s3cret'), 'https://hooks.slack.com/services/T0/B0/…');
  assert.equal(displayUrl('webhook', '::'), '(invalid url)');
});
