import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateRangeOf } from './private-address';

test('loopback, private, link-local, unspecified and CGNAT addresses are recognised, mapped IPv6 too', () => {
  const cases: [string, string | null][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['172.32.0.1', null],
    ['100.128.0.1', null],
    ['8.8.8.8', null],
    ['2606:4700::1111', null],
    ['not-an-ip', null],
  ];
  for (const [address, range] of cases) assert.equal(privateRangeOf(address), range, address);
});
