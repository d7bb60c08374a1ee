import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCatalog } from '../../src/catalog/catalog.js';
import { createLogger } from '../../src/observability/logger.js';
import { createCatalogReadLimit } from '../../src/policy/catalog-read-limit.js';
import { PolicyError } from '../../src/errors/policy-error.js';
import type { SmnCatalogPort, SmnTemplateQuery } from '../../src/smn/client.js';
import type { SmsTemplateList } from '../../src/smn/catalog-wire.js';

const logger = createLogger({ level: 'silent', pretty: false });

/** An SMN catalog in memory that counts its calls; `hold` keeps template-list answers until released. */
function fakeSmn() {
  const calls: string[] = [];
  const held: Array<() => void> = [];
  let holding = false;
  const port: SmnCatalogPort = {
    async templates(query: SmnTemplateQuery): Promise<SmsTemplateList> {
      calls.push(`templates ${query.name ?? ''}`);
      if (holding) await new Promise<void>((resolve) => held.push(resolve));
      return { count: 1, templates: [{ id: `tpl_${query.name ?? 'all'}`, name: query.name ?? 'all' }] };
    },
    async template(id) {
      calls.push(`template ${id}`);
      return id.startsWith('tpl_') ? { id, name: id } : undefined;
    },
    async signs() {
      calls.push('signs');
      return [{ id: 'sign_demo', name: 'Demo' }];
    },
  };
  return {
    port,
    calls,
    hold: () => (holding = true),
    release: () => {
      holding = false;
      held.splice(0).forEach((resolve) => resolve());
    },
  };
}

async function refusal(promise: Promise<unknown>): Promise<PolicyError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof PolicyError)) throw new Error(`expected a PolicyError, got ${String(error)}`);
  return error;
}

describe('catalog reads charged per caller (in memory, fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('each SMN call costs one, cache hits nothing; past the limit RATE_LIMITED with the true wait, SMN not called', async () => {
    const smn = fakeSmn();
    const catalog = createCatalog({
      smn: smn.port,
      cacheMs: 60_000,
      logger,
      beforeSmnCall: createCatalogReadLimit(2),
    });
    await catalog.templates('alice', 0, 5, 'a');
    await catalog.templates('alice', 0, 5, 'a');
    await catalog.templates('alice', 0, 5, 'a');
    await catalog.templates('alice', 0, 5, 'b');
    expect(smn.calls).toEqual(['templates a', 'templates b']);

    vi.advanceTimersByTime(20_000);
    const refused = await refusal(catalog.templates('alice', 0, 5, 'c'));
    expect(refused.code).toBe('RATE_LIMITED');
    // The minute began 20 s ago: 40 s to wait, not a made-up second.
    expect(refused.details.retryAfterSeconds).toBe(40);
    expect(smn.calls).toHaveLength(2);
    // A refusal does not push the wait out: 10 s later, 30 s are left.
    vi.advanceTimersByTime(10_000);
    expect((await refusal(catalog.signs('alice'))).details.retryAfterSeconds).toBe(30);
    // Another caller is not limited by alice's reads; a cached answer still serves alice.
    expect(await catalog.template('tpl_x', 'bob')).toMatchObject({ id: 'tpl_x' });
    expect((await catalog.templates('alice', 0, 5, 'b')).templates[0]?.id).toBe('tpl_b');
    expect(smn.calls).toHaveLength(3);
    // Once the minute is over alice may read again.
    vi.advanceTimersByTime(30_000);
    await catalog.templates('alice', 0, 5, 'c');
    expect(smn.calls).toHaveLength(4);
  });

  it("a reader joining another's miss that the limit refused asks again as itself, never taking that refusal", async () => {
    const smn = fakeSmn();
    const catalog = createCatalog({ smn: smn.port, cacheMs: 60_000, logger, beforeSmnCall: createCatalogReadLimit(1) });
    await catalog.templates('mallory', 0, 5, 'spent'); // mallory's one call of the minute
    const [mallory, bob] = await Promise.allSettled([
      catalog.templates('mallory', 0, 5, 'shared'),
      catalog.templates('bob', 0, 5, 'shared'),
    ]);
    expect(mallory.status).toBe('rejected');
    expect(bob).toMatchObject({ status: 'fulfilled', value: { templates: [{ id: 'tpl_shared' }] } });
    expect(smn.calls).toEqual(['templates spent', 'templates shared']);
  });

  it('readers joining a call under way share its answer and pay nothing', async () => {
    const smn = fakeSmn();
    const catalog = createCatalog({ smn: smn.port, cacheMs: 60_000, logger, beforeSmnCall: createCatalogReadLimit(1) });
    smn.hold();
    const first = catalog.templates('alice', 0, 5, 'x');
    await vi.advanceTimersByTimeAsync(0);
    const joined = Promise.all(['bob', 'carol', 'alice'].map((reader) => catalog.templates(reader, 0, 5, 'x')));
    smn.release();
    await Promise.all([first, joined]);
    expect(smn.calls).toEqual(['templates x']);
    // bob and carol still have their one call; alice has used hers.
    await catalog.templates('bob', 0, 5, 'y');
    await catalog.templates('carol', 0, 5, 'z');
    expect((await refusal(catalog.templates('alice', 0, 5, 'w'))).code).toBe('RATE_LIMITED');
  });

  it("a campaign start's existence check is refused by the limit, not answered 'unknown'", async () => {
    const smn = fakeSmn();
    const catalog = createCatalog({ smn: smn.port, cacheMs: 0, logger, beforeSmnCall: createCatalogReadLimit(1) });
    expect(await catalog.templateExists('tpl_a', 'alice')).toBe('exists');
    expect((await refusal(catalog.signExists('sign_demo', 'alice'))).code).toBe('RATE_LIMITED');
    expect(smn.calls).toEqual(['template tpl_a']);
    // SMN failing is still 'unknown' (the start goes ahead): only the limit refuses.
    const failing = createCatalog({
      smn: { ...smn.port, template: () => Promise.reject(new Error('down')) },
      cacheMs: 0,
      logger,
      beforeSmnCall: createCatalogReadLimit(5),
    });
    expect(await failing.templateExists('tpl_a', 'alice')).toBe('unknown');
  });

  it('0 disables the limit', async () => {
    const smn = fakeSmn();
    const catalog = createCatalog({ smn: smn.port, cacheMs: 0, logger, beforeSmnCall: createCatalogReadLimit(0) });
    for (let n = 0; n < 100; n++) await catalog.signs('alice');
    expect(smn.calls).toHaveLength(100);
  });
});
