import type { OptOutRecord, OptOutStore } from '../suppression/opt-out-store.js';

/** Most opt-outs one replica keeps in memory; past it new ones are refused (use REDIS_URL). */
export const MEMORY_OPT_OUT_LIMIT = 1_000_000;

/** Opt-outs for a single replica, lost on restart (a warning says so at start). */
export function createMemoryOptOutStore(limit = MEMORY_OPT_OUT_LIMIT): OptOutStore & { readonly size: number } {
  const tenants = new Map<string, Map<string, OptOutRecord>>();
  let size = 0;
  const listOf = (tenant: string) => {
    let list = tenants.get(tenant);
    if (!list) tenants.set(tenant, (list = new Map()));
    return list;
  };
  return {
    get size() {
      return size;
    },
    add(tenant, numbers, record) {
      const list = listOf(tenant);
      const fresh = numbers.filter((number) => !list.has(number));
      if (size + fresh.length > limit) {
        return Promise.reject(new Error(`the in-memory opt-out list is full (${limit} numbers)`));
      }
      for (const number of fresh) list.set(number, record);
      size += fresh.length;
      return Promise.resolve(fresh);
    },
    remove(tenant, numbers) {
      const list = tenants.get(tenant);
      const removed = numbers.filter((number) => list?.delete(number));
      size -= removed.length;
      return Promise.resolve(removed);
    },
    find(tenant, numbers) {
      const list = tenants.get(tenant);
      const found = new Map<string, OptOutRecord>();
      if (list)
        for (const number of numbers) {
          const record = list.get(number);
          if (record) found.set(number, record);
        }
      return Promise.resolve(found);
    },
  };
}
