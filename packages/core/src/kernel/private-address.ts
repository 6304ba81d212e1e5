import { BlockList, isIP } from 'node:net';

// Addresses a destination may not reach unless private networks are allowed:
// from inside a cluster they lead to metadata services, admin ports and the
// like, which a tenant must not be able to make Caracal POST to.
const RANGES: [label: string, cidrs: [string, number, 'ipv4' | 'ipv6'][]][] = [
  ['loopback', [['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']]],
  ['private', [['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4'], ['fc00::', 7, 'ipv6']]],
  ['link-local', [['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6']]],
  ['unspecified', [['0.0.0.0', 8, 'ipv4'], ['::', 128, 'ipv6']]],
  ['carrier-grade NAT', [['100.64.0.0', 10, 'ipv4']]],
];

// BlockList also matches IPv4 rules against IPv4-mapped IPv6 (::ffff:127.0.0.1).
const LISTS = RANGES.map(([label, cidrs]) => {
  const list = new BlockList();
  for (const [net, prefix, family] of cidrs) list.addSubnet(net, prefix, family);
  return { label, list };
});

/** The kind of non-public range `address` (an IP literal) is in, or null for a public address. */
export function privateRangeOf(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return null;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return LISTS.find(({ list }) => list.check(address, type))?.label ?? null;
}
