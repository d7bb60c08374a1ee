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
}

/** What a lookup found: yes, no, or unknown (the catalog could not be read). */
export type Existence = 'exists' | 'missing' | 'unknown';

type Answer = SmsTemplateList | { readonly template: SmsTemplateRecord | null } | { readonly signs: SmsSignRecord[] };

/**
 * SMN's template and signature lists, cached per replica for `cacheMs`: lru-cache's fetch makes one SMN
 * call for any number of concurrent misses of the same key, and failures are never cached.
 */
export function createCatalog(options: CatalogOptions) {
  const log = options.logger.child({ component: 'catalog' });
  const cache = new LRUCache<string, Answer, () => Promise<Answer>>({
    max: 1_000,
    ttl: Math.max(1, options.cacheMs),
    fetchMethod: (_key, _stale, { context }) => context(),
  });
  const cached = async <T extends Answer>(key: string, fetch: () => Promise<T>): Promise<T> => {
    if (options.cacheMs <= 0) return fetch();
    return (await cache.fetch(key, { context: fetch })) as T;
  };

  const template = async (id: string) =>
    (await cached(`template\n${id}`, async () => ({ template: (await options.smn.template(id)) ?? null }))).template;
  const signs = async () => (await cached('signs', async () => ({ signs: await options.smn.signs() }))).signs;

  /** Whether `lookup` finds it; unknown when SMN cannot be asked (the caller decides what that means). */
  const exists = async (what: string, lookup: () => Promise<boolean>): Promise<Existence> => {
    try {
      return (await lookup()) ? 'exists' : 'missing';
    } catch (error) {
      log.warn({ err: error, what }, 'could not read the SMN catalog');
      return 'unknown';
    }
  };

  return {
    /** One page of templates: `limit` (at most 100) from `offset`, optionally filtered by name. */
    templates: (offset: number, limit: number, name?: string) =>
      cached(`templates\n${offset}\n${limit}\n${name ?? ''}`, () => options.smn.templates({ offset, limit, name })),
    /** One template, or null when SMN does not know it. */
    template,
    signs,
    templateExists: (id: string) => exists('template', async () => (await template(id)) !== null),
    signExists: (id: string) => exists('signature', async () => (await signs()).some((sign) => sign.id === id)),
  };
}

export type Catalog = ReturnType<typeof createCatalog>;
