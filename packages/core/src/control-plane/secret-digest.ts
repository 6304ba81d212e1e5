import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 hex of a secret: all the control file keeps of API tokens and source secrets. */
export function secretSha256(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of two digests; digests of unequal length never match. */
export function sameDigest(expected: Buffer, given: Buffer): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function sameSha256(aHex: string, bHex: string): boolean {
  return sameDigest(Buffer.from(aHex, 'hex'), Buffer.from(bHex, 'hex'));
}
