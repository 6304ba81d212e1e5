import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { randomBytes } from 'node:crypto';
import { CaracalError } from '@caracal/core';
import { KvStore, RedisKvStore, createKvStore, InMemoryKvStore } from '@caracal/detections';
import { kvStoreContract } from '@caracal/detections/dist/kv/kv-store.contract';
import { MAX_VALUE_BYTES } from '@caracal/detections/dist/kv/kv-store';
import { redisEntryKey } from '@caracal/detections/dist/kv/redis-kv-store';
import { createClient } from 'redis';
import { freePort, redisUrl } from '../support/test-env';

// Tenants are unique per run and per test, so runs against a Redis that was
// not started fresh (a developer's) never see each other's entries.
const run = randomBytes(4).toString('hex');
let counter = 0;
const tenant = (label: string) => `it-${run}-${label}-${++counter}`;

let store: RedisKvStore;
let other: RedisKvStore;
let raw: ReturnType<typeof createClient>;

before(async () => {
  store = await RedisKvStore.connect(redisUrl(), { connectTimeoutMs: 5_000 });
  // A second connection, as a second rules-worker process would have.
  other = await RedisKvStore.connect(redisUrl(), { connectTimeoutMs: 5_000 });
  raw = createClient({ url: redisUrl() });
  raw.on('error', () => undefined);
  await raw.connect();
});

after(async () => {
  await store?.close();
  await other?.close();
  await raw?.close();
});

kvStoreContract('redis store', () => ({
  store,
  // TTLs live in Redis, so time has to pass for real.
  advanceSeconds: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
  tenant,
}));

test('redis store: keys of a tenant whose id holds ":" and "*" cannot reach another tenant\'s', async () => {
  const base = tenant('esc');
  // Joined naively as tenant:key these name the same Redis key, and "*" is
  // a glob in KEYS/SCAN patterns.
  const pairs: [string, string][] = [
    [base, 'a:b'],
    [`${base}:a`, 'b'],
    [`${base}*`, 'a:b'],
    [`${base}%003a`, 'b'],
    ['*', '*'],
  ];
  const names = pairs.map(([t, k]) => redisEntryKey(t, k));
  // The last pair is the same in every run.
  await raw.del(names.slice(-1));
  for (const [i, [t, k]] of pairs.entries()) {
    await store.execute(t, { op: 'increment_counter', key: k, val: i + 1 });
    await store.execute(t, { op: 'add_to_string_set', key: k, values: [`only-${i}`] });
  }
  for (const [i, [t, k]] of pairs.entries()) {
    assert.equal(await store.execute(t, { op: 'get_counter', key: k }), i + 1, `${t} / ${k}`);
    assert.deepEqual(await store.execute(t, { op: 'get_string_set', key: k }), [`only-${i}`], `${t} / ${k}`);
  }
  assert.equal(new Set(names).size, pairs.length);
  for (const name of names) assert.match(name, /^caracal:kv:[A-Za-z0-9._~%-]+:[A-Za-z0-9._~%-]+$/);
  await raw.del(names.slice(-1));
});

test('redis store: a new entry lives 90 days, and later writes keep an expiry that was set', async () => {
  const t = tenant('ttl');
  await store.execute(t, { op: 'increment_counter', key: 'k', val: 1 });
  const initial = await raw.ttl(redisEntryKey(t, 'k'));
  assert.ok(initial > 90 * 86400 - 60 && initial <= 90 * 86400, `TTL ${initial}`);

  await store.execute(t, { op: 'set_key_expiration', key: 'k', epochSeconds: 300 });
  await store.execute(t, { op: 'increment_counter', key: 'k', val: 1 });
  await store.execute(t, { op: 'add_to_string_set', key: 'k', values: ['v'] });
  await store.execute(t, { op: 'put_dictionary', key: 'k', value: { a: 1 } });
  await store.execute(t, { op: 'reset_counter', key: 'k' });
  const kept = await raw.ttl(redisEntryKey(t, 'k'));
  assert.ok(kept > 290 && kept <= 300, `TTL ${kept} after writes to an entry expiring in 300 s`);

  // An absolute epoch applies to the whole entry, as set_key_expiration does.
  const epoch = Math.floor(Date.now() / 1000) + 3600;
  await store.execute(t, { op: 'put_string_set', key: 'k', values: ['x'], epochSeconds: epoch });
  assert.equal(await raw.expireTime(redisEntryKey(t, 'k')), epoch);

  // Resets and removals never create an entry (it would live forever).
  await store.execute(t, { op: 'reset_counter', key: 'absent' });
  await store.execute(t, { op: 'reset_string_set', key: 'absent' });
  assert.deepEqual(await store.execute(t, { op: 'remove_from_string_set', key: 'absent', values: ['x'] }), []);
  await store.execute(t, { op: 'set_key_expiration', key: 'absent', epochSeconds: 60 });
  assert.equal(await raw.exists(redisEntryKey(t, 'absent')), 0);
});

test('redis store: string sets over MAX_VALUE_BYTES are refused and leave the set as it was', async () => {
  const t = tenant('size');
  const big = 'x'.repeat(2000);
  const values = Array.from({ length: 300 }, (_, i) => `${i}-${big}`);
  await store.execute(t, { op: 'add_to_string_set', key: 's', values: values.slice(0, 200) });
  await assert.rejects(
    store.execute(t, { op: 'add_to_string_set', key: 's', values: values.slice(200) }),
    (err: CaracalError) => err.code === 'INVALID_ARGUMENT' && !err.retriable && /add_to_string_set: the string set would be \d+ bytes, over the limit of 409600/.test(err.message),
  );
  assert.equal((await store.execute(t, { op: 'get_string_set', key: 's' }) as string[]).length, 200);
  await assert.rejects(store.execute(t, { op: 'put_string_set', key: 's', values }), /put_string_set: the string set would be/);
  // Exactly at the limit is allowed, counted as the in-memory store counts.
  const exact = ['y'.repeat(MAX_VALUE_BYTES - 3)];
  await store.execute(t, { op: 'put_string_set', key: 'exact', values: exact });
  assert.deepEqual(await store.execute(t, { op: 'get_string_set', key: 'exact' }), exact);
});

test('redis store: writes from two connections at once are atomic', async () => {
  const t = tenant('atomic');
  const stores = [store, other];
  await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      Promise.all([
        stores[i % 2].execute(t, { op: 'increment_counter', key: 'n', val: 1 }),
        stores[(i + 1) % 2].execute(t, { op: 'add_to_string_set', key: 's', values: [`v${String(i).padStart(3, '0')}`] }),
      ]),
    ),
  );
  assert.equal(await other.execute(t, { op: 'get_counter', key: 'n' }), 100);
  const members = await store.execute(t, { op: 'get_string_set', key: 's' });
  assert.deepEqual(members, Array.from({ length: 100 }, (_, i) => `v${String(i).padStart(3, '0')}`));
});

test('redis store: sets come back in the in-memory store\'s order, values unchanged', async () => {
  const t = tenant('order');
  const values = ['b', 'B', 'a', '10', '9', 'é', 'z', '\u{1F600}', 'ﬀ', '', 'a b', 'x"y\\z', '/'];
  const memory = new InMemoryKvStore();
  const expected = await memory.execute(t, { op: 'add_to_string_set', key: 's', values });
  assert.deepEqual(await store.execute(t, { op: 'add_to_string_set', key: 's', values }), expected);
  assert.deepEqual(await store.execute(t, { op: 'remove_from_string_set', key: 's', values: ['é'] }), (expected as string[]).filter((v) => v !== 'é'));
  const dict = { 'ключ': ['ü', 1.5, 2 ** 53 - 1, null], empty: {}, list: [] };
  await store.execute(t, { op: 'put_dictionary', key: 'd', value: dict });
  assert.deepEqual(await store.execute(t, { op: 'get_dictionary', key: 'd' }), JSON.parse(JSON.stringify(dict)));
});

function assertUnavailable(err: unknown, started: number, limitMs: number): true {
  assert.ok(err instanceof CaracalError, String(err));
  assert.equal(err.code, 'UNAVAILABLE');
  assert.equal(err.retriable, true);
  assert.match(err.message, /Redis/);
  assert.ok(Date.now() - started < limitMs, `took ${Date.now() - started} ms`);
  return true;
}

test('redis store: a Redis that is down gives a retriable UNAVAILABLE error at once', async () => {
  const port = await freePort();
  const started = Date.now();
  await assert.rejects(createKvStore({ redisUrl: `redis://127.0.0.1:${port}`, connectTimeoutMs: 2_000 }), (err) => assertUnavailable(err, started, 1_500));
});

test('redis store: a server that never answers fails the connect within its timeout', async () => {
  const sockets: net.Socket[] = [];
  const silent = net.createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = silent.address() as net.AddressInfo;
    const started = Date.now();
    await assert.rejects(RedisKvStore.connect(`redis://127.0.0.1:${port}`, { connectTimeoutMs: 300 }), (err) => assertUnavailable(err, started, 1_500));
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

test('redis store: operations on a closed store fail as UNAVAILABLE and name the operation', async () => {
  const closing: KvStore = await createKvStore({ redisUrl: redisUrl() });
  assert.ok(closing instanceof RedisKvStore);
  await closing.close();
  await closing.close();
  await assert.rejects(
    closing.execute(tenant('closed'), { op: 'get_counter', key: 'k' }),
    (err: CaracalError) => err.code === 'UNAVAILABLE' && err.retriable && err.message.includes('get_counter'),
  );
});

test('createKvStore without a URL keeps the store in memory', async () => {
  const memory = await createKvStore({});
  assert.ok(memory instanceof InMemoryKvStore);
  await memory.close();
});
