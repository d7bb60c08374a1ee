import 'reflect-metadata';
import { createPrivateKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { Envelope, EnvelopeType } from '../smn/events/envelope.js';
import type { SmnPromotionRequest, SmsCommitResultWire } from '../smn/wire.js';
import { SIMULATOR_ENDINGS } from './numbers.js';
import type { PostedEvent, PostStatus, ReportRetry } from './report-protocol.js';
import { createReportPoster, SMN_REPORT_RETRY } from './report-poster.js';

export type { PostedEvent } from './report-protocol.js';

x509.cryptoProvider.set(webcrypto);

const ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

/** The simulator's signing identity: its own CA, and a certificate issued by it, as SMN publishes one. */
export interface SigningIdentity {
  readonly caPem: string;
  readonly certificatePem: string;
  readonly privateKey: KeyObject;
}

export async function createSigningIdentity(): Promise<SigningIdentity> {
  const notBefore = new Date(Date.now() - 86_400_000);
  const notAfter = new Date(Date.now() + 365 * 86_400_000);
  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=SMN Simulator CA',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: 'CN=Huawei-Cloud-SMN-Meter (simulator)',
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return {
    caPem: ca.toString('pem'),
    certificatePem: certificate.toString('pem'),
    privateKey: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
  };
}

/** What a number's delivery report will say: by its last digits, so tests can produce every result. */
export function reportFor(endpoint: string): { status: 0 | 1; statusDesc: string } | undefined {
  if (endpoint.endsWith(SIMULATOR_ENDINGS.undelivered)) return { status: 0, statusDesc: 'UNDELIV' };
  if (endpoint.endsWith(SIMULATOR_ENDINGS.expired)) return { status: 0, statusDesc: 'EXPIRED' };
  if (endpoint.endsWith(SIMULATOR_ENDINGS.neverReported)) return undefined;
  return { status: 1, statusDesc: 'DELIVRD' };
}

/** A number as SMN's events show it: national digits, masked in the middle when asked. */
export function shownMobile(endpoint: string, masked: boolean): { nationCode: string; mobile: string } {
  const digits = endpoint.replace(/^\+/, '');
  const [nationCode, national] =
    digits.startsWith('86') && digits.length === 13
      ? ['86', digits.slice(2)]
      : endpoint.startsWith('+')
        ? [digits.slice(0, 2), digits.slice(2)]
        : ['86', digits];
  const mobile =
    masked && national.length > 7
      ? `${national.slice(0, 3)}${'*'.repeat(national.length - 7)}${national.slice(-4)}`
      : national;
  return { nationCode, mobile };
}

/** Reports kept for the report API. */
const MAX_KEPT_REPORTS = 100_000;

export interface StoredReport {
  readonly message_id: string;
  readonly status: 0 | 1;
  readonly status_desc: string;
  readonly sign_id?: string | undefined;
  readonly extend_code?: string | undefined;
  readonly nation_code: string;
  readonly mobile: string;
  readonly submit_time: string;
  readonly deliver_time: string;
  readonly fee_num: number;
}

/**
 * SMN's side after a send: signed topic messages to the subscribed endpoint (confirmation, delivery
 * reports after a delay, replies on request), and the reports kept for the report API. Every envelope
 * is signed and posted by a worker thread (`report-worker.ts`): this thread only builds the reports.
 */
export function createEventSource(options: {
  readonly identity: SigningIdentity;
  /** Where the certificate is served, e.g. http://127.0.0.1:4010/smn/SMN_simulator_ab12.pem */
  readonly certificateUrl: () => string;
  readonly subscribeUrl: () => string;
  readonly reportDelayMs: number;
  readonly projectId: string;
  /** How reports are posted and retried (SMN's behaviour by default). */
  readonly retry?: Partial<ReportRetry>;
}) {
  let endpoint: string | undefined;
  const posted: PostedEvent[] = [];
  const reports: StoredReport[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const topicUrn = `urn:smn:simulator:${options.projectId}:sms-events`;
  const poster = createReportPoster({
    privateKeyPem: options.identity.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    retry: { ...SMN_REPORT_RETRY, ...options.retry },
    onPosted: (event) => {
      posted.push(event);
      if (posted.length > MAX_KEPT_REPORTS) posted.splice(0, MAX_KEPT_REPORTS / 2);
    },
  });

  /** An envelope to post: the worker signs it. */
  const envelope = (type: EnvelopeType, message: string, extra: Partial<Envelope> = {}): Envelope => ({
    type,
    message_id: randomBytes(16).toString('hex'),
    topic_urn: topicUrn,
    message,
    timestamp: new Date().toISOString(),
    signature_version: 'v1',
    signature: '',
    signing_cert_url: options.certificateUrl(),
    ...extra,
  });

  /** Posts once, now (signed by the worker unless `sign` is false); answers the endpoint's status. */
  const post = async (sent: Envelope, to = endpoint, sign = true): Promise<PostStatus> =>
    to ? (await poster.postOne(to, sent, sign)).status : 'error';

  return {
    get endpoint() {
      return endpoint;
    },
    posted,
    reports,
    /** Subscribes an endpoint: it gets a signed SubscriptionConfirmation now, and every event from here on. */
    async subscribe(url: string) {
      endpoint = url;
      return post(
        envelope('SubscriptionConfirmation', 'You are invited to subscribe to the SMS events topic.', {
          subscribe_url: options.subscribeUrl(),
        }),
      );
    },
    /** After an accepted send: each accepted number's report, later (numbers ending in 0003 never get one). */
    scheduleReports(request: SmnPromotionRequest, results: readonly SmsCommitResultWire[]) {
      const submitTime = new Date().toISOString();
      // One timer per batch, not per message: a 1000-number send must not cost the simulator 1000 timers.
      const timer = setTimeout(() => {
        timers.delete(timer);
        const deliverTime = new Date().toISOString();
        const messages: string[] = [];
        for (const result of results) {
          if (!('message_id' in result)) continue;
          const outcome = reportFor(result.endpoint);
          if (!outcome) continue;
          const shown = shownMobile(result.endpoint, true);
          const report: StoredReport = {
            message_id: result.message_id,
            status: outcome.status,
            status_desc: outcome.statusDesc,
            sign_id: request.sign_id,
            extend_code: request.extend_code,
            nation_code: shown.nationCode,
            mobile: shown.mobile,
            submit_time: submitTime,
            deliver_time: deliverTime,
            fee_num: 1,
          };
          reports.push(report);
          if (!endpoint) continue;
          const event = { event_type: outcome.status === 1 ? 'sms_success_event' : 'sms_fail_event', ...report };
          messages.push(JSON.stringify(event));
        }
        // Signed, posted and retried by the worker: one message for the whole batch.
        if (endpoint) poster.postReports(endpoint, topicUrn, options.certificateUrl(), messages);
        // The report API keeps the newest only, dropped in halves so keeping the bound costs nothing per report.
        if (reports.length > MAX_KEPT_REPORTS) reports.splice(0, MAX_KEPT_REPORTS / 2);
      }, options.reportDelayMs);
      timers.add(timer);
    },
    /** A recipient's reply, as SMN posts it (no message id; the number masked when asked). */
    reply(input: { endpoint: string; text: string; masked?: boolean; signId?: string }) {
      const shown = shownMobile(input.endpoint, input.masked === true);
      const event = {
        event_type: 'sms_reply_event',
        nation_code: shown.nationCode,
        mobile: shown.mobile,
        reply: input.text,
        ...(input.signId !== undefined && { sign_id: input.signId }),
        deliver_time: new Date().toISOString(),
      };
      return post(envelope('Notification', JSON.stringify(event), { subject: 'SMS reply' }));
    },
    /** A delivery report for any message id, now (e.g. one the gateway never sent). */
    report(input: { messageId: string; statusDesc: string; success: boolean }) {
      const event = {
        event_type: input.success ? 'sms_success_event' : 'sms_fail_event',
        message_id: input.messageId,
        status: input.success ? 1 : 0,
        status_desc: input.statusDesc,
        nation_code: '86',
        mobile: '138****0000',
        submit_time: new Date().toISOString(),
        deliver_time: new Date().toISOString(),
      };
      return post(envelope('Notification', JSON.stringify(event), { subject: 'SMS status report' }));
    },
    /** The last envelope posted again, unchanged (SMN retries). */
    async duplicate() {
      const last = posted.at(-1);
      return last ? post(last.envelope, endpoint, false) : 'error';
    },
    /** The last envelope posted again with its message altered after signing. */
    async tampered() {
      const last = posted.at(-1);
      if (!last) return 'error';
      return post(
        {
          ...last.envelope,
          message_id: randomBytes(16).toString('hex'),
          message: last.envelope.message.replace(/DELIVRD|UNDELIV|EXPIRED/, 'REJECTD') + ' ',
        },
        endpoint,
        false,
      );
    },
    /** The report API: reports delivered in [start, end] (epoch ms), a page of them. */
    query(start: number, end: number, offset: number, limit: number) {
      const matching = reports.filter((report) => {
        const at = Date.parse(report.deliver_time);
        return at >= start && at <= end;
      });
      return { count: matching.length, data: matching.slice(offset, offset + limit) };
    },
    /** Whether the signing worker thread runs now. */
    get workerRunning() {
      return poster.running;
    },
    /** Stops the report timers and the worker (reports not yet posted are lost, as the process ends). */
    close(): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return poster.close();
    },
  };
}

export type EventSource = ReturnType<typeof createEventSource>;
