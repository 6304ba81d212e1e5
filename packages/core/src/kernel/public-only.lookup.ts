import * as dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { privateRangeOf } from './private-address';

/** The error a refused address becomes: each caller names the setting that would allow it. */
export type PrivateAddressRefusal = (host: string, address: string, range: string) => Error;

/**
 * A `lookup` for sockets that resolves like the default one but fails when
 * any address of the host is loopback, private, link-local, unspecified or
 * CGNAT. Node connects to what this returns, so the check holds for the
 * address actually used, even when DNS answers differently from one query to
 * the next. Node connects to an IP literal without a lookup: callers check
 * literals themselves with privateRangeOf.
 */
export function publicOnlyLookup(refuse: PrivateAddressRefusal): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const range = privateRangeOf(a.address);
        if (range) return callback(refuse(hostname, a.address, range) as NodeJS.ErrnoException, '', 0);
      }
      if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
