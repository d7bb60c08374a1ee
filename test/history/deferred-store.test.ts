import { afterEach, describe, expect, it, vi } from 'vitest';
import { deferHistoryStore, HistoryUnavailableError, isConnectionFailure } from '../../src/history/deferred-store.js';
import { createLogger } from '../../src/observability/logger.js';
import { LogCapture } from '../helpers/log-capture.js';
import { createMemoryHistoryStore } from '../helpers/memory-history-store.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('the history store opened in the background', () => {
  afterEach(() => vi.useRealTimers());

  it('answers HISTORY_UNAVAILABLE until PostgreSQL is reached, retrying; warns once a minute at most', async () => {
    vi.useFakeTimers();
    const capture = new LogCapture();
    const logger = createLogger({ level: 'info', pretty: false, destination: capture });
    const store = createMemoryHistoryStore();
    let attempts = 0;
    const deferred = deferHistoryStore(
      () => {
        attempts += 1;
        return attempts < 4 ? Promise.reject(refused()) : Promise.resolve(store);
      },
      { retryMs: 5_000, logger },
    );
    await vi.advanceTimersByTimeAsync(0);
    await expect(
      deferred.store.stats('t', { from: new Date(0), to: new Date(1), groupBy: 'DAY' }),
    ).rejects.toBeInstanceOf(HistoryUnavailableError);
    await expect(deferred.store.write([])).rejects.toBeInstanceOf(HistoryUnavailableError);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(attempts).toBe(3);
    await vi.advanceTimersByTimeAsync(5_000);
    await deferred.opened;
    expect(attempts).toBe(4);
    expect(await deferred.store.stats('t', { from: new Date(0), to: new Date(1), groupBy: 'DAY' })).toEqual([]);
    const messages = capture.entries().map((entry) => entry.msg);
    expect(messages.filter((msg) => String(msg).startsWith('history database not reachable'))).toHaveLength(1);
    expect(messages).toContain('history database reached; migrations done');
    await deferred.close();
  });

  it('a database that goes away later: reads say HISTORY_UNAVAILABLE, other failures pass through', async () => {
    const store = createMemoryHistoryStore();
    const deferred = deferHistoryStore(() => Promise.resolve(store), {
      retryMs: 5_000,
      logger: createLogger({ level: 'silent', pretty: false }),
    });
    await deferred.opened;
    store.optOutChanges = () => Promise.reject(Object.assign(new Error('terminating connection'), { code: '57P01' }));
    await expect(deferred.store.optOutChanges('t', '+8613800000000')).rejects.toBeInstanceOf(HistoryUnavailableError);
    store.optOutChanges = () => Promise.reject(Object.assign(new Error('syntax error'), { code: '42601' }));
    await expect(deferred.store.optOutChanges('t', '+8613800000000')).rejects.toThrow('syntax error');
    await deferred.close();
  });

  it('closing while the first open is still under way closes what it opens', async () => {
    const store = createMemoryHistoryStore();
    const closed = vi.fn(() => Promise.resolve());
    store.close = closed;
    let open!: (value: typeof store) => void;
    const deferred = deferHistoryStore(() => new Promise((resolve) => (open = resolve)), {
      retryMs: 5_000,
      logger: createLogger({ level: 'silent', pretty: false }),
    });
    await deferred.close();
    open(store);
    await vi.waitFor(() => expect(closed).toHaveBeenCalledOnce());
  });

  it('tells connection failures from bugs', () => {
    expect(isConnectionFailure(refused())).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
    expect(isConnectionFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isConnectionFailure(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })),
    ).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error('x'), { code: '23505' }))).toBe(false);
    expect(isConnectionFailure('ECONNREFUSED')).toBe(false);
  });
});
