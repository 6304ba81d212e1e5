import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KvStore } from './kv-store';

export interface KvStoreContractSubject {
  store: KvStore;
  /** Moves the store's clock forward (a fake clock, or a real wait for a server). */
  advanceSeconds(seconds: number): Promise<void>;
  /** A tenant id no other test uses, so the stores' contents never mix. */
  tenant(label: string): string;
}

/**
 * The behaviour every KvStore must have, run against each implementation (the
 * in-memory one and Redis) so that they cannot drift apart.
 */
export function kvStoreContract(name: string, subject: () => KvStoreContractSubject): void {
  test(`${name}: counters start at 0, increment by val, reset to 0`, async () => {
    const { store, tenant } = subject();
    const t = tenant('counter');
    assert.equal(await store.execute(t, { op: 'get_counter', key: 'k' }), 0);
    assert.equal(await store.execute(t, { op: 'increment_counter', key: 'k', val: 1 }), 1);
    assert.equal(await store.execute(t, { op: 'increment_counter', key: 'k', val: 5 }), 6);
    assert.equal(await store.execute(t, { op: 'get_counter', key: 'k' }), 6);
    await store.execute(t, { op: 'reset_counter', key: 'k' });
    assert.equal(await store.execute(t, { op: 'get_counter', key: 'k' }), 0);
  });

  test(`${name}: string sets add, remove, put and reset`, async () => {
    const { store, tenant } = subject();
    const t = tenant('sets');
    assert.deepEqual(await store.execute(t, { op: 'get_string_set', key: 's' }), []);
    assert.deepEqual(await store.execute(t, { op: 'add_to_string_set', key: 's', values: ['b', 'a'] }), ['a', 'b']);
    assert.deepEqual(await store.execute(t, { op: 'add_to_string_set', key: 's', values: ['a', 'c'] }), ['a', 'b', 'c']);
    assert.deepEqual(await store.execute(t, { op: 'remove_from_string_set', key: 's', values: ['b', 'zz'] }), ['a', 'c']);
    await store.execute(t, { op: 'put_string_set', key: 's', values: ['x'] });
    assert.deepEqual(await store.execute(t, { op: 'get_string_set', key: 's' }), ['x']);
    await store.execute(t, { op: 'reset_string_set', key: 's' });
    assert.deepEqual(await store.execute(t, { op: 'get_string_set', key: 's' }), []);
  });

  test(`${name}: dictionaries round-trip as JSON and missing ones are empty`, async () => {
    const { store, tenant } = subject();
    const t = tenant('dict');
    assert.deepEqual(await store.execute(t, { op: 'get_dictionary', key: 'd' }), {});
    const value = { user: 'homer', count: 3, nested: { ips: ['10.0.0.1'] }, ok: true, none: null };
    await store.execute(t, { op: 'put_dictionary', key: 'd', value });
    assert.deepEqual(await store.execute(t, { op: 'get_dictionary', key: 'd' }), value);
  });

  test(`${name}: tenants never see each other's keys`, async () => {
    const { store, tenant } = subject();
    const a = tenant('iso-a');
    const b = tenant('iso-b');
    await store.execute(a, { op: 'increment_counter', key: 'shared-name', val: 7 });
    await store.execute(a, { op: 'add_to_string_set', key: 'shared-name', values: ['secret'] });
    await store.execute(a, { op: 'put_dictionary', key: 'shared-name', value: { secret: 1 } });
    assert.equal(await store.execute(b, { op: 'get_counter', key: 'shared-name' }), 0);
    assert.deepEqual(await store.execute(b, { op: 'get_string_set', key: 'shared-name' }), []);
    assert.deepEqual(await store.execute(b, { op: 'get_dictionary', key: 'shared-name' }), {});
  });

  test(`${name}: set_key_expiration below 1e9 is relative, and an expired key reads as empty`, async () => {
    const { store, tenant, advanceSeconds } = subject();
    const t = tenant('expiry');
    await store.execute(t, { op: 'increment_counter', key: 'e', val: 2 });
    await store.execute(t, { op: 'add_to_string_set', key: 'e', values: ['v'] });
    await store.execute(t, { op: 'set_key_expiration', key: 'e', epochSeconds: 1 });
    assert.equal(await store.execute(t, { op: 'get_counter', key: 'e' }), 2);
    await advanceSeconds(2.2);
    assert.equal(await store.execute(t, { op: 'get_counter', key: 'e' }), 0);
    assert.deepEqual(await store.execute(t, { op: 'get_string_set', key: 'e' }), []);
  });

  test(`${name}: increments and string set writes set the expiry they are given`, async () => {
    const { store, tenant, advanceSeconds } = subject();
    const t = tenant('write-expiry');
    assert.equal(await store.execute(t, { op: 'increment_counter', key: 'c', val: 3, epochSeconds: 1 }), 3);
    assert.deepEqual(await store.execute(t, { op: 'add_to_string_set', key: 's', values: ['a', 'b'], epochSeconds: 1 }), ['a', 'b']);
    await store.execute(t, { op: 'add_to_string_set', key: 'r', values: ['a', 'b'] });
    assert.deepEqual(await store.execute(t, { op: 'remove_from_string_set', key: 'r', values: ['a'], epochSeconds: 1 }), ['b']);
    // Without one, a write leaves an existing expiry alone.
    assert.equal(await store.execute(t, { op: 'increment_counter', key: 'c', val: 1 }), 4);
    await advanceSeconds(2.2);
    assert.equal(await store.execute(t, { op: 'get_counter', key: 'c' }), 0);
    assert.deepEqual(await store.execute(t, { op: 'get_string_set', key: 's' }), []);
    assert.deepEqual(await store.execute(t, { op: 'get_string_set', key: 'r' }), []);
    // A negative duration is already over: the write does not outlive it.
    assert.equal(await store.execute(t, { op: 'increment_counter', key: 'gone', val: 5, epochSeconds: -1 }), 5);
    assert.equal(await store.execute(t, { op: 'get_counter', key: 'gone' }), 0);
  });

  test(`${name}: an absolute epoch in the past expires the key at once`, async () => {
    const { store, tenant } = subject();
    const t = tenant('epoch');
    await store.execute(t, { op: 'put_dictionary', key: 'p', value: { a: 1 }, epochSeconds: 1_000_000_001 });
    assert.deepEqual(await store.execute(t, { op: 'get_dictionary', key: 'p' }), {});
  });
}
