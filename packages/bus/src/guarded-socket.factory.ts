import * as net from 'node:net';
import * as tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';
import { type PrivateAddressRefusal, privateRangeOf, publicOnlyLookup } from '@caracal/core';

const KEEP_ALIVE_DELAY_MS = 60_000;

/**
 * kafkajs' own socket factory, with every connection's address checked:
 * loopback, private, link-local and CGNAT addresses are refused, whether a
 * broker is named by the source's settings or by the cluster's metadata (an
 * advertised listener). The check is on the address Node connects to.
 */
export function publicOnlySocketFactory(refuse: PrivateAddressRefusal): ISocketFactory {
  const lookup = publicOnlyLookup(refuse);
  return ({ host, port, ssl, onConnect }) => {
    // Node connects to an IP literal without a lookup, so literals are checked here.
    const range = net.isIP(host) === 0 ? null : privateRangeOf(host);
    if (range) {
      const refused = new net.Socket();
      process.nextTick(() => refused.destroy(refuse(host, host, range)));
      return refused;
    }
    const socket = ssl
      ? tls.connect({ host, port, lookup, servername: host, ...(typeof ssl === 'object' ? ssl : {}) }, onConnect)
      : net.connect({ host, port, lookup }, onConnect);
    socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
    return socket;
  };
}
