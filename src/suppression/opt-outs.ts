import type { Logger } from 'pino';
import { tenantOf, type Caller } from '../auth/caller.js';
import { maskNumbersInText } from '../observability/phone-mask.js';
import { failClosed } from '../policy/policy-error.js';
import { canonicalNumber } from './canonical-number.js';
import type { OptOutRecord, OptOutSource, OptOutStore } from './opt-out-store.js';

/** One number as asked about: as the caller wrote it, and its opt-out if it has one. */
export interface OptOutStatus {
  readonly endpoint: string;
  readonly record: OptOutRecord | undefined;
}

export interface OptOutChange {
  /** Numbers whose state this call changed. */
  readonly changed: number;
  /** Numbers already in that state, repeats within the call included. */
  readonly unchanged: number;
}

export type OptOutAction = 'add' | 'remove';

export interface OptOutsOptions {
  readonly now?: () => Date;
  /** Told of every change, for metrics. */
  readonly onChange?: (action: OptOutAction, source: OptOutSource, count: number) => void;
}

const unique = (endpoints: readonly string[]) => [...new Set(endpoints.map(canonicalNumber))];

/**
 * The opt-out list as callers use it: numbers in any valid spelling, kept per tenant in canonical
 * form. Every change is logged with the caller (the request logger carries it), the count and the
 * reason, numbers masked.
 */
export function createOptOuts(store: OptOutStore, options: OptOutsOptions = {}) {
  const now = options.now ?? (() => new Date());
  return {
    async add(
      caller: Caller,
      endpoints: readonly string[],
      reason: string | undefined,
      logger: Logger,
      source: OptOutSource = 'MANUAL',
    ): Promise<OptOutChange> {
      const record: OptOutRecord = { source, since: now().toISOString(), ...(reason !== undefined && { reason }) };
      const changed = await failClosed(() => store.add(tenantOf(caller), unique(endpoints), record));
      options.onChange?.('add', source, changed);
      logger.info(
        {
          action: 'add',
          source,
          numbers: endpoints.length,
          changed,
          ...(reason !== undefined && { reason: maskNumbersInText(reason) }),
        },
        'opt-outs added',
      );
      return { changed, unchanged: endpoints.length - changed };
    },

    async remove(caller: Caller, endpoints: readonly string[], logger: Logger): Promise<OptOutChange> {
      const changed = await failClosed(() => store.remove(tenantOf(caller), unique(endpoints)));
      options.onChange?.('remove', 'MANUAL', changed);
      logger.info({ action: 'remove', numbers: endpoints.length, changed }, 'opt-outs removed');
      return { changed, unchanged: endpoints.length - changed };
    },

    /** One entry per given number, in the given order, read in one round trip. */
    async list(caller: Caller, endpoints: readonly string[]): Promise<OptOutStatus[]> {
      const found = await failClosed(() => store.find(tenantOf(caller), unique(endpoints)));
      return endpoints.map((endpoint) => ({ endpoint, record: found.get(canonicalNumber(endpoint)) }));
    },
  };
}

export type OptOuts = ReturnType<typeof createOptOuts>;
