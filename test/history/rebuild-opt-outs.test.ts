import { describe, expect, it } from 'vitest';
import { rebuildOptOuts } from '../../src/history/rebuild-opt-outs.js';
import type { HistoryEvent } from '../../src/history/events.js';
import { createMemoryOptOutStore } from '../../src/state/memory-opt-out-store.js';
import { createMemoryHistoryStore } from '../helpers/memory-history-store.js';

let sequence = 0;
const change = (
  tenant: string,
  endpoints: string[],
  action: 'ADDED' | 'REMOVED',
  at: string,
  extra: { source?: 'MANUAL' | 'SMS_REPLY'; reason?: string } = {},
) => ({
  id: `${++sequence}-0`,
  appendedAt: Date.parse(at),
  event: {
    kind: 'opt-out',
    tenant,
    endpoints,
    action,
    source: extra.source ?? 'MANUAL',
    reason: extra.reason,
    by: 'ops',
    at: new Date(at),
  } satisfies HistoryEvent,
});

describe('the opt-out list rebuilt from the ledger after a loss', () => {
  it('opts out every number whose latest change is ADDED, per tenant, with its original record', async () => {
    const history = createMemoryHistoryStore();
    await history.write([
      change('acme', ['+8613800000001', '+8613800000002'], 'ADDED', '2026-11-01T00:00:00Z', { reason: 'asked' }),
      change('acme', ['+8613800000002'], 'REMOVED', '2026-11-02T00:00:00Z'),
      change('acme', ['+8613800000003'], 'ADDED', '2026-11-03T00:00:00Z', { source: 'SMS_REPLY', reason: 'TD' }),
      change('globex', ['+8613800000002'], 'ADDED', '2026-11-04T00:00:00Z'),
      change('acme', ['+8613800000004'], 'ADDED', '2026-11-01T00:00:00Z'),
      change('acme', ['+8613800000004'], 'REMOVED', '2026-11-05T00:00:00Z'),
      change('acme', ['+8613800000004'], 'ADDED', '2026-11-06T00:00:00Z'),
    ]);
    const store = createMemoryOptOutStore();
    // One number survived the loss (a partial restore): it is left as it is.
    await store.add('acme', ['+8613800000001'], {
      source: 'MANUAL',
      since: '2026-11-01T00:00:00.000Z',
      reason: 'asked',
    });

    const rebuilt = await rebuildOptOuts(history, store);

    expect(rebuilt).toEqual({ inLedger: 4, restored: 3, tenants: 2 });
    const acme = await store.find('acme', ['+8613800000001', '+8613800000002', '+8613800000003', '+8613800000004']);
    expect([...acme.keys()].sort()).toEqual(['+8613800000001', '+8613800000003', '+8613800000004']);
    expect(acme.get('+8613800000003')).toEqual({
      source: 'SMS_REPLY',
      reason: 'TD',
      since: '2026-11-03T00:00:00.000Z',
    });
    expect(acme.get('+8613800000004')?.since).toBe('2026-11-06T00:00:00.000Z');
    expect([...(await store.find('globex', ['+8613800000002'])).keys()]).toEqual(['+8613800000002']);
  });

  it('rebuilds lists larger than a page and a store call, and twice is the same as once', async () => {
    const history = createMemoryHistoryStore();
    const numbers = Array.from({ length: 2_600 }, (_, index) => `+86138${String(index).padStart(8, '0')}`);
    await history.write([change('acme', numbers, 'ADDED', '2026-11-01T00:00:00Z')]);
    const store = createMemoryOptOutStore();
    expect(await rebuildOptOuts(history, store)).toEqual({ inLedger: 2_600, restored: 2_600, tenants: 1 });
    expect((await store.find('acme', numbers)).size).toBe(2_600);
    expect(await rebuildOptOuts(history, store)).toEqual({ inLedger: 2_600, restored: 0, tenants: 1 });
  });
});
