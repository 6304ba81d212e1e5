import { InMemoryKvStore } from './in-memory-kv-store';
import { kvStoreContract } from './kv-store.contract';

let clockMs = Date.UTC(2026, 0, 1);
let counter = 0;
const store = new InMemoryKvStore(() => clockMs);

kvStoreContract('in-memory store', () => ({
  store,
  advanceSeconds: (seconds) => {
    clockMs += seconds * 1000;
    return Promise.resolve();
  },
  tenant: (label) => `tenant-${label}-${++counter}`,
}));
