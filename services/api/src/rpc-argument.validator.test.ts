import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaracalError } from '@caracal/core';
import { checkBytes, checkChars, checkEach, checkName, checkOpaqueId, checkRuleId, checkSourceId } from './rpc-argument.validator';

function refused(fn: () => void, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof CaracalError && err.code === 'INVALID_ARGUMENT', String(err));
    assert.match(err.message, message);
    // The value is never quoted back: it may be megabytes.
    assert.ok(err.message.length < 200, err.message);
    return true;
  });
}

test('RuleIDs: dotted names pass; paths, control characters and huge ids are refused, naming field and limit', () => {
  for (const ok of ['AWS.CloudTrail.Created', 'Panther.Detection.Deleted', 'a', 'My_Rule-2', 'x'.repeat(200)]) checkRuleId('rule_id', ok);
  refused(() => checkRuleId('rule_id', '../../x\u0000'), /^rule_id must be 1-200 letters, digits, '\.', '_' or '-', starting with a letter or digit$/);
  for (const bad of ['.hidden', '-x', 'a/b', 'a b', 'a|b', 'a\nb', 'é']) refused(() => checkRuleId('rule_id', bad), /^rule_id must be/);
  refused(() => checkRuleId('rule_id', 'x'.repeat(1024 * 1024)), /^rule_id must be at most 200 characters, got 1048576$/);
  refused(() => checkRuleId('rule_id', ''), /^rule_id is required/);
  checkRuleId('rule_id', '', true);
});

test('server-made ids, source ids, texts and bodies have their limits', () => {
  checkOpaqueId('alert_id', '0123456789abcdef0123456789abcdef');
  checkOpaqueId('query_id', '7f0c8f7e-8a2b-4c1d-9e3f-0123456789ab');
  refused(() => checkOpaqueId('alert_id', 'x'.repeat(65)), /^alert_id must be at most 64 characters, got 65$/);
  refused(() => checkOpaqueId('token_id', 'ab"cd'), /^token_id must be 1-64 letters, digits, '-' or '_'$/);
  checkSourceId('source_id', 'okta-0a1b2c3d4e');
  refused(() => checkSourceId('source_id', 'Okta'), /^source_id must be 1-63 lower-case letters, digits or dashes$/);
  checkChars('name', 'n'.repeat(200), 200);
  refused(() => checkChars('name', 'n'.repeat(201), 200), /^name must be at most 200 characters, got 201$/);
  checkBytes('sql', 'é'.repeat(50), 100);
  refused(() => checkBytes('sql', 'é'.repeat(51), 100), /^sql must be at most 100 bytes, got 102$/);
  refused(() => checkEach('alert_ids', ['a', 'b', 'c/d'], checkOpaqueId), /^alert_ids\[2\] must be/);
});

test('names people chose take any text up to their limit; a required one must be given', () => {
  for (const ok of ['Daily Okta Logins', 'a', 'n'.repeat(200), 'S3 "access" <report>']) checkName('query_name', ok, 200);
  refused(() => checkName('query_name', '', 200), /^query_name is required: 1-200 characters$/);
  refused(() => checkName('query_name', 'n'.repeat(201), 200), /^query_name must be at most 200 characters, got 201$/);
  checkName('query_name', '', 200, true);
  refused(() => checkName('query_name', 'n'.repeat(201), 200, true), /^query_name must be at most 200 characters/);
});
