import type { Config } from '../config/index.js';
import { createReplyHandler } from '../deliveries/replies.js';
import { applyReport, type DeliveryReport, type ReportOutcome } from '../deliveries/reports.js';
import type { Logger } from '../observability/logger.js';
import { inSpan, SpanKind } from '../observability/tracing.js';
import { createCertificateSource, isSmnUrl } from '../smn/events/certificates.js';
import { handleSmnEvent, type EventOutcome, type SmnEventDeps } from '../smn/events/handle.js';
import type { Clock } from '../util/clock.js';
import type { SendPathPart } from './send-path.js';
import type { SmnPart } from './smn.js';

export interface DeliveriesPart {
  /** Applies one report (poll mode reads them from SMN's report API). */
  readonly applyReport: (report: DeliveryReport) => Promise<ReportOutcome>;
  /** Handles one POST to /smn/events; set in callback mode only. */
  readonly handleEvent: ((body: unknown) => Promise<EventOutcome>) | undefined;
}

/**
 * Part of the composition root (app.ts): what happens after the send. Reports update the send log and
 * the delivery feed, opt-out replies feed the opt-out list, and in callback mode SMN's signed topic
 * messages are verified (pinned certificate, or fetched from SMN hosts only) before any of that.
 * Nothing to stop.
 */
export function wireDeliveries(
  config: Config,
  parts: {
    readonly logger: Logger;
    readonly smn: SmnPart;
    readonly sendPath: SendPathPart;
    /** Injected time (tests); each use case reads the system clock otherwise. */
    readonly clock: Clock | undefined;
    /** Which signing_cert_urls may be fetched (tests let a local server stand in for SMN's certificate host). */
    readonly certificateUrlAllowed: ((url: string) => boolean) | undefined;
  },
): DeliveriesPart {
  const { logger, smn, clock } = parts;
  const { state, optOuts } = parts.sendPath;
  const reportDeps = {
    sendLog: state.sendLog,
    feed: state.deliveryFeed,
    campaigns: state.campaigns,
    campaignUpdates: state.campaignUpdates,
    onFinal: parts.sendPath.webhooks.onFinalDelivery,
    logger,
    ...(clock && { clock }),
  };
  if (config.events.mode !== 'callback') {
    return { applyReport: (report) => applyReport(reportDeps, report), handleEvent: undefined };
  }
  const { simulator } = smn;
  const eventLogger = logger.child({ component: 'smn-events' });
  const certificates = createCertificateSource({
    // The embedded simulator's own certificate is trusted only when it is the SMN in use.
    pinned: config.events.certificate ?? simulator?.certificatePem,
    hosts: config.events.certificateHosts,
    ...(parts.certificateUrlAllowed && { allowed: parts.certificateUrlAllowed }),
    ...(clock && { clock }),
  });
  const eventDeps: SmnEventDeps = {
    ...reportDeps,
    certificates,
    followable: (url) =>
      isSmnUrl(url, config.events.certificateHosts) || (simulator !== undefined && url.startsWith(`${simulator.url}/`)),
    autoConfirm: config.events.autoConfirm,
    seen: state.seenEnvelopes,
    replies: createReplyHandler({
      recent: state.recentRecipients,
      optOuts,
      keywords: config.events.optOutKeywords,
      onReply: parts.sendPath.webhooks.onReply,
      logger: eventLogger,
      ...(clock && { clock }),
    }),
    logger: eventLogger,
  };
  return {
    applyReport: (report) => applyReport(reportDeps, report),
    handleEvent: (body) =>
      inSpan('smn_events.handle', { kind: SpanKind.SERVER }, async (span) => {
        const outcome = await handleSmnEvent(eventDeps, body);
        span.setAttribute('smn_gateway.outcome', outcome);
        return outcome;
      }),
  };
}
