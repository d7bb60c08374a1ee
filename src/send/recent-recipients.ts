/** Who was sent to what, lately: enough to find the tenant (and the number) a reply belongs to. */
export interface RecentRecipient {
  /** Canonical number. */
  readonly number: string;
  readonly tenant: string;
  readonly signId?: string | undefined;
  /** Epoch milliseconds of the send. */
  readonly at: number;
}

/**
 * The numbers sent to in the last 72 hours (SMN's reports and replies come within that), indexed by
 * country code and last four digits: replies may arrive with the number masked (`134****8888`).
 */
export interface RecentRecipientsStore {
  remember(recipients: readonly RecentRecipient[]): Promise<void>;
  /** Everything remembered for numbers ending in these four digits, in this country, younger than `since`. */
  near(countryCode: string, lastFour: string, since: number): Promise<RecentRecipient[]>;
}

/** How long a send stays a candidate for a reply. */
export const REPLY_WINDOW_MS = 72 * 3_600_000;
