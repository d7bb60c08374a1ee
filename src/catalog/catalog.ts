import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { SmnCatalogPort } from '../smn/client.js';
import type { SmsSignRecord, SmsTemplateList, SmsTemplateRecord } from '../smn/catalog-wire.js';

/** SMN's page size for the template list. */
export const SMN_TEMPLATE_PAGE = 100;

export interface CatalogOptions {
  readonly smn: SmnCatalogPort;
  /** How long an answer is reused on this replica; 0 asks SMN every time. */
  readonly cacheMs: number;
  readonly logger: Logger;
  /**
   * Run with the reader's key before each SMN call a read makes (never for an answer from the cache,
   * nor for a reader joining a call already under way); throws to refuse the call.
   */
  readonly beforeSmnCall?: (reader: string) => Promise<void>;
}

/** What a lookup found: yes, no, or unknown (the catalog could not be read). */
export type Existence = 'exists' | 'missing' | 'unknown';

type Answer = SmsTemplateList | { readonly template: SmsTemplateRecord | null } | { readonly signs: SmsSignRecord[] };

/** What a cache miss needs: who is reading (charged for the SMN call) and the call itself. */
interface Miss {
  readonly reader: string;
  readonly fetch: () => Promise<Answer>;
}

/**
 * SMN's template and signature lists, cached per replica for `cacheMs`: lru-cache's fetch makes one SMN
 * call for any number of concurrent misses of the same key, and failures are never cached. Each SMN
 * call is charged to the reader whose miss made it (`beforeSmnCall`); `reader` is an opaque key (the
 * caller's).
 */
export function createCatalog(options: CatalogOptions) {
  const log = options.logger.child({ component: 'catalog' });
  const beforeSmnCall = options.beforeSmnCall ?? (() => Promise.resolve());
  /** Refusals by beforeSmnCall, and whose read they refused. */
  const refusedFor = new WeakMap<object, string>();
  const charge = async (reader: string) => {
    try {
      await beforeSmnCall(reader);
    } catch (error) {
      if (typeof error === 'object' && error !== null) refusedFor.set(error, reader);
      throw error;
    }
  };
  const cache = new LRUCache<string, Answer, Miss>({
    max: 1_000,
    ttl: Math.max(1, options.cacheMs),
    fetchMethod: async (_key, _stale, { context }) => {
      await charge(context.reader);
      return context.fetch();
    },
  });
  const cached = async <T extends Answer>(key: string, reader: string, fetch: () => Promise<T>): Promise<T> => {
    if (options.cacheMs <= 0) {
      await charge(reader);
      return fetch();
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return (await cache.fetch(key, { context: { reader, fetch } })) as T;
      } catch (error) {
        const refused = typeof error === 'object' && error !== null ? refusedFor.get(error) : undefined;
        // Another reader's refusal ended the miss this read joined: it asks again, charged to itself.
        if (refused === undefined || refused === reader) throw error;
        if (attempt >= 3) {
          await charge(reader);
          return fetch();
        }
      }
    }
  };

  const template = async (id: string, reader: string) =>
    (
      await cached(`template\n${id}`, reader, async () => ({
        template: (await options.smn.template(id)) ?? null,
      }))
    ).template;
  const signs = async (reader: string) =>
    (await cached('signs', reader, async () => ({ signs: await options.smn.signs() }))).signs;

  /**
   * Whether `lookup` finds it; unknown when SMN cannot be asked (the caller decides what that means).
   * The reader's own limit refusing the call is no answer at all: it is thrown.
   */
  const exists = async (what: string, lookup: () => Promise<boolean>): Promise<Existence> => {
    try {
      return (await lookup()) ? 'exists' : 'missing';
    } catch (error) {
      if (typeof error === 'object' && error !== null && refusedFor.has(error)) throw error;
      log.warn({ err: error, what }, 'could not read the SMN catalog');
      return 'unknown';
    }
  };

  return {
    /** One page of templates: `limit` (at most 100) from `offset`, optionally filtered by name. */
    templates: (reader: string, offset: number, limit: number, name?: string) =>
      cached(`templates\n${offset}\n${limit}\n${name ?? ''}`, reader, () =>
        options.smn.templates({ offset, limit, name }),
      ),
    /** One template, or null when SMN does not know it. */
    template,
    signs,
    templateExists: (id: string, reader: string) =>
      exists('template', async () => (await template(id, reader)) !== null),
    signExists: (id: string, reader: string) =>
      exists('signature', async () => (await signs(reader)).some((sign) => sign.id === id)),
  };
}

export type Catalog = ReturnType<typeof createCatalog>;
