import type { OptOutRecord, OptOutStore } from '../suppression/opt-out-store.js';
import type { HistoryStore } from './history-store.js';

export interface RebuiltOptOuts {
  /** Numbers whose latest ledger change is ADDED. */
  readonly inLedger: number;
  /** Of those, the ones the list had lost and got back. */
  readonly restored: number;
  readonly tenants: number;
}

/** Writes at most this many numbers in one store call: one round trip per group, bounded in size. */
const GROUP = 500;

/**
 * Rebuilds the opt-out list from the history's ledger after shared state lost its data (STATE_LOST):
 * every number whose latest change (per tenant and number) is ADDED is opted out again, with the source,
 * reason and time the ledger kept. Numbers still on the list are left as they are. Removals are not
 * replayed: a number that stays opted out is never texted, the safe way to be wrong.
 */
export async function rebuildOptOuts(history: HistoryStore, optOuts: OptOutStore): Promise<RebuiltOptOuts> {
  let inLedger = 0;
  let restored = 0;
  const tenants = new Set<string>();
  for await (const page of history.latestOptOuts()) {
    // Numbers of one tenant with one record go in one call (the store takes one record per call).
    const open = new Map<string, { tenant: string; record: OptOutRecord; numbers: string[] }>();
    const calls: Array<{ tenant: string; record: OptOutRecord; numbers: string[] }> = [];
    for (const { tenant, endpoint, record } of page) {
      inLedger += 1;
      tenants.add(tenant);
      const key = JSON.stringify([tenant, record.source, record.reason ?? null, record.since]);
      let group = open.get(key);
      if (!group || group.numbers.length >= GROUP) {
        group = { tenant, record, numbers: [] };
        open.set(key, group);
        calls.push(group);
      }
      group.numbers.push(endpoint);
    }
    const added = await Promise.all(calls.map((group) => optOuts.add(group.tenant, group.numbers, group.record)));
    restored += added.reduce((sum, numbers) => sum + numbers.length, 0);
  }
  return { inLedger, restored, tenants: tenants.size };
}
