import type { PolicyError } from '../errors/policy-error.js';
import type { Logger } from 'pino';
import { tenantOf, type Caller } from '../auth/caller.js';
import { maskNumbersInText } from '../observability/phone-mask.js';
import { failClosed } from '../errors/fail-closed.js';
import { CANONICAL_FORM, canonicalNumber } from './canonical-number.js';
import type { OptOutRecord, OptOutSource, OptOutStore, RekeyedOptOuts } from './opt-out-store.js';
import { systemClock, type Clock } from '../util/clock.js';

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

/** One call's changes, as the opt-out ledger (history) keeps them: only the numbers whose state changed. */
export interface OptOutLedgerChange {
  readonly tenant: string;
  /** Canonical numbers. */
  readonly endpoints: readonly string[];
  readonly action: 'ADDED' | 'REMOVED';
  readonly source: OptOutSource;
  readonly reason?: string | undefined;
  /** The caller's `sub`; none for a recipient's reply (no caller made it). */
  readonly by?: string | undefined;
  readonly at: Date;
}

export interface OptOutsOptions {
  readonly clock?: Clock;
  /** Told of every change after the list kept it (the history's ledger); must not throw. */
  readonly ledger?: (change: OptOutLedgerChange) => void;
  /** Told of every change, for metrics. */
  readonly onChange?: (action: OptOutAction, source: OptOutSource, count: number) => void;
  /** Why shared state cannot keep a change now (lost, out of reach): then nothing is changed. */
  readonly stateRefusal?: () => PolicyError | undefined;
}

/** Numbers come validated from the API edge; one the library cannot read is compared as written. */
const canonical = (endpoint: string) => canonicalNumber(endpoint) ?? endpoint;
const unique = (numbers: readonly string[]) => [...new Set(numbers)];

/**
 * The opt-out list as callers use it: numbers in any valid spelling, kept per tenant in canonical
 * form. Every change is logged with the caller (the request logger carries it), the count and the
 * reason, numbers masked.
 */
export function createOptOuts(store: OptOutStore, options: OptOutsOptions = {}) {
  const now = () => (options.clock ?? systemClock).now();
  const refuseIfStateCannotKeep = () => {
    const refusal = options.stateRefusal?.();
    if (refusal) throw refusal;
  };
  return {
    async add(
      caller: Caller,
      endpoints: readonly string[],
      reason: string | undefined,
      logger: Logger,
      source: OptOutSource = 'MANUAL',
    ): Promise<OptOutChange> {
      refuseIfStateCannotKeep();
      const at = now();
      const tenant = tenantOf(caller);
      const record: OptOutRecord = { source, since: at.toISOString(), ...(reason !== undefined && { reason }) };
      const added = await failClosed(() => store.add(tenant, unique(endpoints.map(canonical)), record));
      const changed = added.length;
      options.onChange?.('add', source, changed);
      if (changed > 0) {
        const by = source === 'SMS_REPLY' ? undefined : caller.sub;
        options.ledger?.({ tenant, endpoints: added, action: 'ADDED', source, reason, by, at });
      }
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
      refuseIfStateCannotKeep();
      const tenant = tenantOf(caller);
      const removed = await failClosed(() => store.remove(tenant, unique(endpoints.map(canonical))));
      const changed = removed.length;
      options.onChange?.('remove', 'MANUAL', changed);
      if (changed > 0) {
        options.ledger?.({
          tenant,
          endpoints: removed,
          action: 'REMOVED',
          source: 'MANUAL',
          by: caller.sub,
          at: now(),
        });
      }
      logger.info({ action: 'remove', numbers: endpoints.length, changed }, 'opt-outs removed');
      return { changed, unchanged: endpoints.length - changed };
    },

    /** One entry per given number, in the given order, read in one round trip. */
    async list(caller: Caller, endpoints: readonly string[]): Promise<OptOutStatus[]> {
      const numbers = endpoints.map(canonical);
      const found = await failClosed(() => store.find(tenantOf(caller), unique(numbers)));
      return endpoints.map((endpoint, index) => ({ endpoint, record: found.get(numbers[index]!) }));
    },
  };
}

export type OptOuts = ReturnType<typeof createOptOuts>;

/**
 * Logs what re-keying one tenant's stored opt-outs did: before numbers were read by libphonenumber-js,
 * a "+" form was kept as written, so "+86013845352978" did not match "+8613845352978". The store
 * re-keys a tenant's list before its first use (state/redis-suppression-stores.ts). Counts only.
 */
export function logRekeyed(logger: Logger, { rekeyed, unreadable }: RekeyedOptOuts): void {
  const fields = { rekeyed, unreadable, form: CANONICAL_FORM };
  if (unreadable > 0) {
    logger.warn(
      fields,
      'opt-outs re-keyed to canonical numbers; some stored numbers are not phone numbers: left as they are',
    );
  } else logger.info(fields, 'opt-outs re-keyed to canonical numbers');
}
