import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCatalog } from '../../src/catalog/catalog.js';
import { createLogger } from '../../src/observability/logger.js';
import type { SmsTemplateList } from '../../src/smn/catalog-wire.js';
import type { SmnCatalogPort, SmnTemplateQuery } from '../../src/smn/client.js';

/**
 * The catalog use case with an SMN catalog port in memory (counting its calls, answers held when the
 * test says) and fake timers for the cache's time to live. The per-caller read limit has its own file
 * (catalog-read-limit.test.ts).
 */

const logger = createLogger({ level: 'silent', pretty: false });
const TTL = 60_000;

function fakeSmn() {
  const calls: string[] = [];
  const held: Array<() => void> = [];
  let holding = false;
  let failing = 0;
  const answer = async <T>(call: string, value: () => T): Promise<T> => {
    calls.push(call);
    if (holding) await new Promise<void>((resolve) => held.push(resolve));
    if (failing > 0) {
      failing -= 1;
      throw new Error('SMN answered 500');
    }
    return value();
  };
  const port: SmnCatalogPort = {
    templates: (query: SmnTemplateQuery) =>
      answer(`templates ${query.offset}/${query.limit}/${query.name ?? ''}`, (): SmsTemplateList => ({
        count: 1,
        templates: [{ id: `tpl_${query.name ?? 'all'}`, name: 'x' }],
      })),
    template: (id) => answer(`template ${id}`, () => (id.startsWith('tpl_') ? { id, name: id } : undefined)),
    signs: () => answer('signs', () => [{ id: 'sign_demo', name: 'Demo' }]),
  };
  return {
    port,
    calls,
    hold: () => (holding = true),
    release: () => {
      holding = false;
      held.splice(0).forEach((resolve) => resolve());
    },
    failNext: (times: number) => (failing = times),
  };
}

beforeEach(() => {
  vi.useFakeTimers({
    now: new Date('2026-03-02T10:00:00.000Z'),
    toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'Date'],
  });
  // lru-cache reads the time from the `performance` object it saw when it loaded, which fake timers
  // replace rather than change: its now() follows the faked Date instead.
  vi.spyOn(performance, 'now').mockImplementation(() => Date.now());
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('catalog: the per-replica cache', () => {
  it('answers again from the cache within cacheMs, and asks SMN again after it', async () => {
    const smn = fakeSmn();
    const catalog = createCatalog({ smn: smn.port, cacheMs: TTL, logger });
    await catalog.signs('alice');
    await catalog.signs('bob');
    await vi.advanceTimersByTimeAsync(TTL - 1);
    await catalog.signs('alice');
    expect(smn.calls).toEqual(['signs']);
    await vi.advanceTimersByTimeAsync(2);
    await catalog.signs('alice');
    expect(smn.calls).toEqual(['signs', 'signs']);
  });

  it('one SMN call for any number of concurrent misses of the same key; each reader gets the answer', async () => {
    const smn = fakeSmn();
    const catalog = createCatalog({ smn: smn.port, cacheMs: TTL, logger });
    smn.hold();
    const readers = ['a', 'b', 'c', 'd', 'e'].map((reader) => catalog.template('tpl_x', reader));
    await vi.advanceTimersByTimeAsync(0);
    smn.release();
    expect(await Promise.all(readers)).toEqual(Array.from({ length: 5 }, () => ({ id: 'tpl_x', name: 'tpl_x' })));
    expect(smn.calls).toEqual(['template tpl_x']);
  });

  it('each query is its own key: page, size and name filter', async () => {
    const smn = fakeSmn();
    const catalog = createCatalog({ smn: smn.port, cacheMs: TTL, logger });
    await catalog.templates('alice', 0, 10);
    await catalog.templates('alice', 10, 10);
    await catalog.templates('alice', 0, 20);
    await catalog.templates('alice', 0, 10, 'spring');
    await catalog.templates('alice', 0, 10);
    expect(smn.calls).toEqual(['templates 0/10/', 'templates 10/10/', 'templates 0/20/', 'templates 0/10/spring']);
  });

  it('a template SMN does not know is cached as null, not asked again', async () => {
    const smn = fakeSmn();
    const catalog = createCatalog({ smn: smn.port, cacheMs: TTL, logger });
    expect(await catalog.template('gone', 'alice')).toBeNull();
    expect(await catalog.template('gone', 'alice')).toBeNull();
    expect(smn.calls).toEqual(['template gone']);
  });

  it('a failure is never cached: every reader that joined it sees it, the next read asks SMN again', async () => {
    const smn = fakeSmn();
    const catalog = createCatalog({ smn: smn.port, cacheMs: TTL, logger });
    smn.failNext(1);
    smn.hold();
    const joined = [catalog.signs('alice'), catalog.signs('bob')].map((read) =>
      read.then(
        () => 'ok',
        () => 'failed',
      ),
    );
    await vi.advanceTimersByTimeAsync(0);
    smn.release();
    expect(await Promise.all(joined)).toEqual(['failed', 'failed']);
    expect(await catalog.signs('alice')).toEqual([{ id: 'sign_demo', name: 'Demo' }]);
    expect(smn.calls).toEqual(['signs', 'signs']);
  });

  it('cacheMs 0 asks SMN every time', async () => {
    const smn = fakeSmn();
    const catalog = createCatalog({ smn: smn.port, cacheMs: 0, logger });
    await catalog.template('tpl_a', 'alice');
    await catalog.template('tpl_a', 'alice');
    expect(smn.calls).toEqual(['template tpl_a', 'template tpl_a']);
  });

  it('an SMN call is charged to the reader whose miss made it; cache hits are charged nothing', async () => {
    const smn = fakeSmn();
    const charged: string[] = [];
    const catalog = createCatalog({
      smn: smn.port,
      cacheMs: TTL,
      logger,
      beforeSmnCall: (reader) => {
        charged.push(reader);
        return Promise.resolve();
      },
    });
    await catalog.signs('alice');
    await catalog.signs('bob');
    await catalog.template('tpl_a', 'bob');
    expect(charged).toEqual(['alice', 'bob']);
  });
});

describe('catalog: existence checks for a campaign start', () => {
  it('exists, missing, or unknown when SMN cannot be asked (a failure, not an answer)', async () => {
    const smn = fakeSmn();
    const catalog = createCatalog({ smn: smn.port, cacheMs: TTL, logger });
    expect(await catalog.templateExists('tpl_a', 'alice')).toBe('exists');
    expect(await catalog.templateExists('nope', 'alice')).toBe('missing');
    expect(await catalog.signExists('sign_demo', 'alice')).toBe('exists');
    expect(await catalog.signExists('sign_other', 'alice')).toBe('missing');
    smn.failNext(1);
    expect(await catalog.templateExists('tpl_b', 'alice')).toBe('unknown');
    // Not cached: asked again, it is found.
    expect(await catalog.templateExists('tpl_b', 'alice')).toBe('exists');
  });
});
