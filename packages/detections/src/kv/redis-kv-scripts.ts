import { createHash } from 'node:crypto';

/**
 * The Lua scripts behind RedisKvStore's writes. A script runs atomically in
 * Redis, so a read-modify-write of one entry (a string set grown past the
 * size limit, a reset that must not create the entry) cannot interleave with
 * another rules-worker's write to it.
 *
 * One entry is one hash: fields `counter`, `strings` (a JSON array) and
 * `dictionary` (JSON), and the hash's TTL is the entry's expiry. A write gives
 * a new entry the default TTL with `EXPIRE ... NX`, which leaves the TTL of an
 * existing one alone. Fields are overwritten, never deleted, so an entry whose
 * values were all reset keeps its expiry, as in the in-memory store.
 */
export interface RedisKvScript {
  readonly source: string;
  readonly sha1: string;
}

/** Reply of a script that refused a string set over MAX_VALUE_BYTES, followed by its size. */
export const SET_TOO_LARGE_REPLY = 'CARACAL_SET_TOO_LARGE';

function script(source: string): RedisKvScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

// cjson writes an empty table as {}, which would read back as a dictionary.
const ENCODE_STRINGS = `
local function encode_strings(members)
  if #members == 0 then return '[]' end
  return cjson.encode(members)
end
`;

// ARGV: mode ('none' | 'relative' | 'absolute'), milliseconds.
const APPLY_EXPIRY = `
local function apply_expiry(mode, ms)
  if mode == 'relative' then
    redis.call('PEXPIRE', KEYS[1], ms)
  elseif mode == 'absolute' then
    redis.call('PEXPIREAT', KEYS[1], ms)
  end
end
`;

/** ARGV: val, default TTL seconds, expiry mode, expiry ms. Returns the new counter. */
export const INCREMENT_COUNTER = script(`${APPLY_EXPIRY}
local value = redis.call('HINCRBY', KEYS[1], 'counter', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2], 'NX')
apply_expiry(ARGV[3], ARGV[4])
return value
`);

/** ARGV: field, value, default TTL seconds, expiry mode, expiry ms. */
export const PUT_FIELD = script(`${APPLY_EXPIRY}
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3], 'NX')
apply_expiry(ARGV[4], ARGV[5])
return 1
`);

/** ARGV: field, empty value. Leaves a missing entry missing. */
export const RESET_FIELD = script(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
return 1
`);

/**
 * ARGV: max bytes, default TTL seconds, expiry mode, expiry ms, then the values. Returns the members
 * (unsorted: Lua compares strings by the server's locale), or an error reply
 * SET_TOO_LARGE_REPLY and the size without changing anything.
 */
export const ADD_TO_STRING_SET = script(`${ENCODE_STRINGS}${APPLY_EXPIRY}
local current = redis.call('HGET', KEYS[1], 'strings')
local members, seen, bytes = {}, {}, 0
local function add(value)
  if not seen[value] then
    seen[value] = true
    members[#members + 1] = value
    bytes = bytes + #value + 3
  end
end
if current then
  for _, value in ipairs(cjson.decode(current)) do add(value) end
end
for i = 5, #ARGV do add(ARGV[i]) end
if bytes > tonumber(ARGV[1]) then
  return redis.error_reply('${SET_TOO_LARGE_REPLY} ' .. bytes)
end
redis.call('HSET', KEYS[1], 'strings', encode_strings(members))
redis.call('EXPIRE', KEYS[1], ARGV[2], 'NX')
apply_expiry(ARGV[3], ARGV[4])
return members
`);

/** ARGV: expiry mode, expiry ms, then the values. Returns the remaining members, unsorted; creates nothing. */
export const REMOVE_FROM_STRING_SET = script(`${ENCODE_STRINGS}${APPLY_EXPIRY}
local current = redis.call('HGET', KEYS[1], 'strings')
if not current then return {} end
local removed = {}
for i = 3, #ARGV do removed[ARGV[i]] = true end
local members = {}
for _, value in ipairs(cjson.decode(current)) do
  if not removed[value] then members[#members + 1] = value end
end
redis.call('HSET', KEYS[1], 'strings', encode_strings(members))
apply_expiry(ARGV[1], ARGV[2])
return members
`);
