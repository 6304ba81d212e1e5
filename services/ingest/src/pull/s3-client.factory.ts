import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { PermissionDeniedError, privateRangeOf, publicOnlyLookup } from '@caracal/core';
import type { S3SourceSettings } from '@caracal/core/control-plane';

export interface S3ClientOptions {
  requestTimeoutMs: number;
  /** When false, an endpoint on a loopback, private, link-local or CGNAT address is refused (CARACAL_SOURCE_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworks: boolean;
}

function privateAddressError(host: string, address: string, range: string): Error {
  const resolved = host === address ? `${address} is` : `${host} resolves to ${address},`;
  return new PermissionDeniedError(`${resolved} a ${range} address; pull sources may not reach private networks (CARACAL_SOURCE_ALLOW_PRIVATE_NETWORKS)`);
}

/**
 * The S3 client of one source: its region, endpoint and path style, signed
 * with the source's own access key and never with the process's identity
 * (the SDK's default credential chain would let any tenant read what
 * Caracal's role may read). Every connection's address is checked when
 * private networks are off, at the address actually connected to.
 */
export function createS3Client(settings: S3SourceSettings, options: S3ClientOptions): S3Client {
  if (settings.endpoint !== undefined && !options.allowPrivateNetworks) {
    const host = new URL(settings.endpoint).hostname.replace(/^\[(.*)\]$/, '$1');
    // Node connects to an IP literal without a lookup, so literals are checked here.
    const range = isIP(host) === 0 ? null : privateRangeOf(host);
    if (range) throw privateAddressError(host, host, range);
  }
  const lookup = options.allowPrivateNetworks ? undefined : publicOnlyLookup(privateAddressError);
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // Only what the operations need: S3-compatible servers differ in the newer optional checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: options.requestTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      httpAgent: new http.Agent({ keepAlive: true, ...(lookup ? { lookup } : {}) }),
      httpsAgent: new https.Agent({ keepAlive: true, ...(lookup ? { lookup } : {}) }),
    },
  });
}
