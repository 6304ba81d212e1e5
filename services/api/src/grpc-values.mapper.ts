import { InvalidArgumentError } from '@caracal/core';

export function toTimestamp(d: Date) {
  const ms = d.getTime();
  return { seconds: String(Math.floor(ms / 1000)), nanos: (((ms % 1000) + 1000) % 1000) * 1e6 };
}

/** Proto enum names (SEVERITY_HIGH) to Caracal's (HIGH); UNSPECIFIED is a caller's mistake. */
export function fromEnum<T extends string>(field: string, prefix: string, allowed: readonly T[], value: string | number): T {
  const name = String(value).startsWith(prefix) ? String(value).slice(prefix.length) : String(value);
  if (!(allowed as readonly string[]).includes(name)) {
    throw new InvalidArgumentError(`${field}: "${value}" is not one of ${allowed.map((a) => `${prefix}${a}`).join(', ')}`);
  }
  return name as T;
}
