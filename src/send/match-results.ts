import type { Logger } from 'pino';
import { maskPhoneNumber } from '../observability/phone-mask.js';
import { ResultCode } from '../error-codes.js';
import { bounded } from '../observability/bounded.js';
import type { SmsCommitResultWire } from '../smn/wire.js';

export type SmsFailure = {
  readonly status: 'failed';
  readonly endpoint: string;
  readonly code: string;
  readonly message: string;
};

/** One SMN result lined up with the number it belongs to. */
export type MatchedResult =
  { readonly status: 'sent'; readonly endpoint: string; readonly messageId: string } | SmsFailure;

/** Code for a number SMN was sent but returned no Sms_commit_result for. */
export const NO_RESULT = ResultCode.NO_RESULT;

function toMatched(entry: SmsCommitResultWire): MatchedResult {
  return 'message_id' in entry
    ? { status: 'sent', endpoint: entry.endpoint, messageId: entry.message_id }
    : {
        status: 'failed',
        endpoint: entry.endpoint,
        code: bounded(entry.code, 64),
        message: bounded(entry.message, 512),
      };
}

/**
 * Lines SMN's results up with the numbers we sent, in our order: SMN may answer in any order, leave
 * a number out (NO_RESULT) or name one we never sent (dropped and logged).
 */
export function matchResults(
  sent: readonly string[],
  result: readonly SmsCommitResultWire[],
  logger: Logger,
): MatchedResult[] {
  // One map of SMN's entries (first kept); the numbers we sent are looked up in it in our order.
  const byEndpoint = new Map<string, SmsCommitResultWire>();
  for (const entry of result) {
    if (!byEndpoint.has(entry.endpoint)) byEndpoint.set(entry.endpoint, entry);
    else {
      logger.warn(
        { endpoint: maskPhoneNumber(entry.endpoint) },
        'SMN returned two results for one number; kept the first',
      );
    }
  }
  let used = 0;
  const matched = sent.map((endpoint): MatchedResult => {
    const entry = byEndpoint.get(endpoint);
    if (entry) {
      used += 1;
      return toMatched(entry);
    }
    logger.warn({ endpoint: maskPhoneNumber(endpoint) }, 'SMN returned no result for a number that was sent');
    return { status: 'failed', endpoint, code: NO_RESULT, message: 'SMN returned no result for this number' };
  });
  if (used < byEndpoint.size) {
    // Rare: SMN named numbers we never sent. Only then is a set of what we sent worth building.
    const wanted = new Set(sent);
    for (const endpoint of byEndpoint.keys()) {
      if (!wanted.has(endpoint)) {
        logger.warn(
          { endpoint: maskPhoneNumber(endpoint) },
          'SMN returned a result for a number that was not sent; dropped',
        );
      }
    }
  }
  return matched;
}
