import { verify } from 'node:crypto';
import got from 'got';
import { applyReport, type ReportDependencies, type ReportOutcome } from '../../deliveries/reports.js';
import type { ReplyHandler } from '../../deliveries/replies.js';
import { UntrustedCertificate, type CertificateSource } from './certificates.js';
import { envelopeDigest, parseEnvelope, stringToSign, type Envelope } from './envelope.js';
import type { SeenEnvelopes } from './seen-envelopes.js';
import { parseSmsEvent } from './sms-event.js';
import { systemClock } from '../../util/clock.js';

/** What became of one posted event: the metric label (`http/smn-events.ts` picks the HTTP status SMN gets). */
export type EventOutcome =
  | 'malformed'
  | 'unknown_type'
  | 'untrusted_certificate'
  | 'bad_signature'
  | 'stale'
  | 'duplicate'
  | 'confirmed'
  | 'management'
  | 'report_updated'
  | 'report_unchanged'
  | 'report_unknown_message'
  | 'reply_opted_out'
  | 'reply_not_a_keyword'
  | 'reply_unmatched'
  | 'ignored';

/** Older than this, or this far in the future, a message is refused (SMN retries within minutes). */
const MAX_AGE_MS = 7 * 86_400_000;
const MAX_AHEAD_MS = 15 * 60_000;

export interface SmnEventDeps extends ReportDependencies {
  readonly certificates: CertificateSource;
  /** Whether a URL in a message may be followed (subscribe_url): https to an SMN host, or the simulator. */
  readonly followable: (url: string) => boolean;
  readonly autoConfirm: boolean;
  readonly seen: SeenEnvelopes;
  readonly replies: ReplyHandler;
}

const REPORT_OUTCOMES: Record<ReportOutcome, EventOutcome> = {
  updated: 'report_updated',
  unchanged: 'report_unchanged',
  unknown: 'report_unknown_message',
};

async function confirm(deps: SmnEventDeps, envelope: Envelope): Promise<EventOutcome> {
  const url = envelope.subscribe_url;
  const log = { topicUrn: envelope.topic_urn.slice(0, 200) };
  if (!url || !deps.followable(url)) {
    deps.logger.warn({ ...log }, 'SMN subscription confirmation with a subscribe_url that is not SMN; not followed');
    return 'confirmed';
  }
  if (!deps.autoConfirm) {
    deps.logger.warn(
      { ...log, subscribeUrl: url },
      'SMN subscription to confirm (SMN_EVENTS_AUTO_CONFIRM=false): GET this URL',
    );
    return 'confirmed';
  }
  await got(url, { timeout: { request: 3_000 }, retry: { limit: 1 }, followRedirect: false });
  deps.logger.info(log, 'SMN subscription confirmed');
  return 'confirmed';
}

/**
 * One POST from SMN: the envelope is parsed and its signature verified before anything is acted on;
 * an envelope whose signed content was seen before changes nothing; reports update their message
 * (first final status wins), opt-out replies feed the opt-out list. Throws only when state is out of
 * reach (answer 5xx: SMN retries).
 */
export async function handleSmnEvent(deps: SmnEventDeps, body: unknown): Promise<EventOutcome> {
  const envelope = parseEnvelope(body);
  if (typeof envelope === 'string') return envelope;
  if (envelope.signature_version !== 'v1') return 'malformed';
  let key;
  try {
    key = await deps.certificates.keyFor(envelope.signing_cert_url);
  } catch (error) {
    deps.logger.warn(
      { reason: error instanceof UntrustedCertificate ? error.message : 'not fetched' },
      'SMN event certificate refused',
    );
    return 'untrusted_certificate';
  }
  const signed = stringToSign(envelope);
  const signature = Buffer.from(envelope.signature, 'base64');
  if (!verify('sha256', Buffer.from(signed, 'utf8'), key, signature)) return 'bad_signature';
  const at = Date.parse(envelope.timestamp);
  const now = (deps.clock ?? systemClock).now().getTime();
  if (Number.isNaN(at) || at < now - MAX_AGE_MS || at > now + MAX_AHEAD_MS) return 'stale';
  // Keyed on everything SMN signed, not on message_id (which a replay could change: envelope.ts).
  const seenKey = { digest: envelopeDigest(signed) };
  if (await deps.seen.seen(seenKey)) return 'duplicate';
  const outcome = await act(deps, envelope);
  await deps.seen.mark(seenKey);
  return outcome;
}

async function act(deps: SmnEventDeps, envelope: Envelope): Promise<EventOutcome> {
  if (envelope.type === 'SubscriptionConfirmation') return confirm(deps, envelope);
  if (envelope.type !== 'Notification') {
    deps.logger.info({ type: envelope.type, topicUrn: envelope.topic_urn.slice(0, 200) }, 'SMN subscription message');
    return 'management';
  }
  const event = parseSmsEvent(envelope.message);
  if (!event || event.kind === 'other') return 'ignored';
  if (event.kind === 'report') return REPORT_OUTCOMES[await applyReport(deps, event.report)];
  return `reply_${await deps.replies(event.reply)}`;
}
