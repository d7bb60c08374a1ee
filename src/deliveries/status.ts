import type { DeliveryStatus } from '../send/send-log.js';

/** SMN's CMPP status codes with a meaning of their own. */
const BY_CODE: Readonly<Record<string, DeliveryStatus>> = {
  DELIVRD: 'DELIVERED',
  ACCEPTD: 'DELIVERED',
  EXPIRED: 'EXPIRED',
  REJECTD: 'REJECTED',
  UNDELIV: 'FAILED',
  DELETED: 'FAILED',
  UNKNOWN: 'UNKNOWN',
};

/**
 * A carrier's report as a delivery status: the CMPP codes by their meaning; any other code (NOROUTE,
 * vendor codes) by the report's own success flag (`status` 1). The raw code is kept beside it.
 */
export function deliveryStatusOf(carrierCode: string | undefined, success: boolean): DeliveryStatus {
  const known = carrierCode === undefined ? undefined : BY_CODE[carrierCode.toUpperCase()];
  return known ?? (success ? 'DELIVERED' : 'FAILED');
}
