import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimestamp, timeFormatProblem } from './time-format.parser';

const iso = (value: unknown, formats: string[]) => parseTimestamp(value, formats)?.toISOString();

test('rfc3339: T or space, any fraction (kept to the millisecond), Z or an offset', () => {
  assert.equal(iso('2022-04-22T15:39:55Z', ['rfc3339']), '2022-04-22T15:39:55.000Z');
  assert.equal(iso('2022-04-22 15:39:55.358Z', ['rfc3339']), '2022-04-22T15:39:55.358Z');
  assert.equal(iso('2022-04-22T17:39:55.123456789+02:00', ['rfc3339']), '2022-04-22T15:39:55.123Z');
  assert.equal(iso('2022-04-22T10:09:55-0530', ['rfc3339']), '2022-04-22T15:39:55.000Z');
  assert.equal(iso(' 2022-04-22T15:39:55Z ', ['rfc3339']), '2022-04-22T15:39:55.000Z');
  for (const bad of ['2022-04-22T15:39:55', '2022-04-31T00:00:00Z', '2022-04-22T24:00:00Z', '2022-04-22T15:39:55+25:00', 'now', 1650641995, null]) {
    assert.equal(iso(bad, ['rfc3339']), undefined, String(bad));
  }
});

test('lake: the stored time text, UTC, with or without a fraction', () => {
  assert.equal(iso('2022-08-16 16:56:49.309', ['lake']), '2022-08-16T16:56:49.309Z');
  assert.equal(iso('2022-08-16 16:56:49.309000000', ['lake']), '2022-08-16T16:56:49.309Z');
  assert.equal(iso('2022-08-16 16:56:49', ['lake']), '2022-08-16T16:56:49.000Z');
  for (const bad of ['2022-08-16T16:56:49.309', '2022-08-16 16:56:49Z', '2022-02-30 00:00:00', '2022-08-16 16:56:49.1234567890', 1660668409]) {
    assert.equal(iso(bad, ['lake']), undefined, String(bad));
  }
});

test('%a and %e: ctime-style text with a weekday and a space-padded day', () => {
  const ctime = '%a %b %e %H:%M:%S %Y';
  assert.equal(iso('Mon Oct 16 22:55:48 2023', [ctime]), '2023-10-16T22:55:48.000Z');
  assert.equal(iso('Fri Oct  6 22:55:48 2023', [ctime]), '2023-10-06T22:55:48.000Z');
  assert.equal(iso('Fri Oct 6 22:55:48 2023', [ctime]), '2023-10-06T22:55:48.000Z');
  for (const bad of ['Xyz Oct 16 22:55:48 2023', 'Mon Oct 32 22:55:48 2023', 'Mon Oct 16 22:55:48']) assert.equal(iso(bad, [ctime]), undefined, bad);
});

test('epoch formats: numbers or decimal strings, truncated to the millisecond', () => {
  assert.equal(iso(1650641995, ['unix']), '2022-04-22T15:39:55.000Z');
  assert.equal(iso('1650641995.3589', ['unix']), '2022-04-22T15:39:55.358Z');
  assert.equal(iso(1650641995.358, ['unix']), '2022-04-22T15:39:55.358Z');
  assert.equal(iso(1650641995358, ['unix_ms']), '2022-04-22T15:39:55.358Z');
  assert.equal(iso('1650641995358', ['unix_ms']), '2022-04-22T15:39:55.358Z');
  assert.equal(iso(1650641995358999, ['unix_us']), '2022-04-22T15:39:55.358Z');
  assert.equal(iso('1650641995358999999', ['unix_ns']), '2022-04-22T15:39:55.358Z');
  assert.equal(iso(-86400, ['unix']), '1969-12-31T00:00:00.000Z');
  assert.equal(iso(-3e9, ['unix']), undefined, 'before 1900');
  assert.equal(iso(10_413_792_000, ['unix']), undefined, 'after 2299');
  for (const bad of ['12abc', '', '1e12', Infinity, Number.NaN, true, {}, '9'.repeat(100), 1e21]) {
    assert.equal(iso(bad, ['unix', 'unix_ms']), undefined, String(bad));
  }
});

test('strftime-style patterns: %Y %m %d %H %M %S %f %z %Z %b %F %T %% and literals', () => {
  assert.equal(iso('2022-04-22 15:39:55.358', ['%Y-%m-%d %H:%M:%S.%f']), '2022-04-22T15:39:55.358Z');
  assert.equal(iso('22/Apr/2022:17:39:55 +0200', ['%d/%b/%Y:%H:%M:%S %z']), '2022-04-22T15:39:55.000Z');
  assert.equal(iso('2022-04-22T15:39:55 UTC', ['%FT%T %Z']), '2022-04-22T15:39:55.000Z');
  assert.equal(iso('100% 2022.04.22', ['100%% %Y.%m.%d']), '2022-04-22T00:00:00.000Z');
  assert.equal(iso('2022-04-22', ['%Y-%m-%d']), '2022-04-22T00:00:00.000Z');
  assert.equal(iso('2022-04-22 15:39', ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M']), '2022-04-22T15:39:00.000Z', 'the first format that reads it');
  assert.equal(iso('2022-04-22x15', ['%Y-%m-%d %H']), undefined, 'literals must match');
  assert.equal(iso('2022-13-01', ['%Y-%m-%d']), undefined);
  assert.equal(iso('2022-04-22 CST', ['%Y-%m-%d %Z']), undefined, 'only unambiguous zone names');
});

test('a bad pattern is named with what is wrong', () => {
  assert.equal(timeFormatProblem('rfc3339'), undefined);
  assert.equal(timeFormatProblem('%Y-%m-%d %H:%M:%S.%f'), undefined);
  assert.match(timeFormatProblem('%Y-%m-%d %q')!, /unknown directive %q/);
  assert.match(timeFormatProblem('%Y-%m-%d %Y')!, /%Y appears twice/);
  assert.match(timeFormatProblem('%Y-%m-%d %')!, /ends with a lone %/);
  assert.match(timeFormatProblem('%Y-%m')!, /needs a full date/);
  assert.match(timeFormatProblem('%Y-%m-%d.%f')!, /%f without %S/);
  assert.match(timeFormatProblem('iso8601')!, /neither a named format/);
});
