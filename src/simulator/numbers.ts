/**
 * The inputs the simulator answers in a fixed way (docs/simulator.md), by name: its rules read them
 * from here and tests write them from here, so a number's meaning lives in one place.
 */

/** The last four digits that decide what becomes of a number. */
export const SIMULATOR_ENDINGS = {
  /** `SmsFailed` `SMN.0167`: the number does not exist. */
  noSuchNumber: '0000',
  /** `SmsFailed` `SMN.0057`: the number's sending frequency limit is exceeded. */
  frequencyLimited: '0057',
  /** Sent; its delivery report says `UNDELIV`. */
  undelivered: '0001',
  /** Sent; its delivery report says `EXPIRED`. */
  expired: '0002',
  /** Sent; no delivery report ever comes. */
  neverReported: '0003',
} as const;

/** The beginnings of template and signature ids the simulator refuses. */
export const SIMULATOR_ID_PREFIXES = {
  /** 404 `SMN.0162` on a send, and no such template in the catalog. */
  templateMissing: 'dead',
  /** 400 `SMN.0188` on a send: not a promotion template. */
  notPromotionTemplate: 'notpromo',
  /** 404 `SMN.0084` on a send. */
  signatureMissing: 'dead',
} as const;

/** One China mobile number (E.164) for each rule; `delivered` is sent and reported `DELIVRD`. */
export const SIMULATOR_NUMBERS = {
  noSuchNumber: `+861390000${SIMULATOR_ENDINGS.noSuchNumber}`,
  frequencyLimited: `+861381234${SIMULATOR_ENDINGS.frequencyLimited}`,
  undelivered: `+861391234${SIMULATOR_ENDINGS.undelivered}`,
  expired: `+861391234${SIMULATOR_ENDINGS.expired}`,
  neverReported: `+861395555${SIMULATOR_ENDINGS.neverReported}`,
  delivered: '+8613812345678',
} as const;

/** One id for each refusal by id. */
export const SIMULATOR_IDS = {
  templateMissing: `${SIMULATOR_ID_PREFIXES.templateMissing}_template`,
  notPromotionTemplate: `${SIMULATOR_ID_PREFIXES.notPromotionTemplate}_template`,
  signatureMissing: `${SIMULATOR_ID_PREFIXES.signatureMissing}_sign`,
} as const;

/** The national form of a China mobile number (`+8613812345678` → `13812345678`), as callers may write it. */
export function national(number: string): string {
  return number.replace(/^\+86/, '');
}
