/** Where an opt-out came from: an operator or client through the API, or the recipient's own reply. */
export type OptOutSource = 'MANUAL' | 'SMS_REPLY';

/** Why and since when a number is opted out. */
export interface OptOutRecord {
  readonly source: OptOutSource;
  readonly reason?: string | undefined;
  /** ISO 8601. */
  readonly since: string;
}

/**
 * The numbers (canonical form) that must never again receive promotional SMS, one list per tenant:
 * in memory for one replica, in Redis (no expiry) for several. Numbers given are unique.
 */
export interface OptOutStore {
  /** Opts out each number not opted out yet (an existing record is kept as it is); returns those that were new. */
  add(tenant: string, numbers: readonly string[], record: OptOutRecord): Promise<readonly string[]>;
  /** Opts the numbers back in; returns those that had been opted out. */
  remove(tenant: string, numbers: readonly string[]): Promise<readonly string[]>;
  /** The records of those of `numbers` that are opted out, in one round trip. */
  find(tenant: string, numbers: readonly string[]): Promise<ReadonlyMap<string, OptOutRecord>>;
}

/**
 * How numbers are made canonical (`canonicalNumber`) and which reading that is (`CANONICAL_FORM`): a
 * store that outlives the process moves numbers an earlier version stored in another form to this one.
 */
export interface CanonicalForm {
  readonly of: (number: string) => string | undefined;
  readonly form: string;
}

/** What re-keying one tenant's list did (counts only, never numbers). */
export interface RekeyedOptOuts {
  /** Numbers moved to their canonical form (merged into it when it was already opted out). */
  readonly rekeyed: number;
  /** Numbers `canonicalOf` cannot read: left as they were; no number the API takes matches them. */
  readonly unreadable: number;
}
