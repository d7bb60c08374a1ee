import type { DeliveryReport } from '../../deliveries/reports.js';
import type { SmsReply } from '../../deliveries/replies.js';
import { isRecord, optionalString } from '../../util/unknown-values.js';

/** What an SMS event inside a Notification's `message` is: a report, a reply, or something else. */
export type SmsEvent =
  | { readonly kind: 'report'; readonly report: DeliveryReport }
  | { readonly kind: 'reply'; readonly reply: SmsReply }
  | { readonly kind: 'other' };

/** SMN's times: ISO 8601, or epoch milliseconds (as a number or a string). */
export function parseTime(value: unknown): Date | undefined {
  if (typeof value === 'number' || (typeof value === 'string' && /^\d{10,16}$/.test(value))) {
    const date = new Date(Number(value));
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  if (typeof value !== 'string' || value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A delivery report from the fields SMN uses in callbacks and in the report API alike. */
export function reportFrom(fields: Record<string, unknown>): DeliveryReport | undefined {
  const messageId = optionalString(fields.message_id);
  if (!messageId || messageId.length > 256) return undefined;
  const carrierCode = optionalString(fields.status_desc);
  const deliveredAt = parseTime(fields.deliver_time);
  return {
    messageId,
    success: String(fields.status) === '1',
    ...(carrierCode !== undefined && { carrierCode: carrierCode.slice(0, 32) }),
    ...(deliveredAt !== undefined && { deliveredAt }),
  };
}

/** Reads the SMS event in a Notification's `message` (unknown fields ignored, tolerant of absences). */
export function parseSmsEvent(message: string): SmsEvent | undefined {
  let inner: unknown;
  try {
    inner = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (!isRecord(inner)) return undefined;
  const type = inner.event_type;
  if (type === 'sms_success_event' || type === 'sms_fail_event') {
    const report = reportFrom(inner);
    return report ? { kind: 'report', report } : undefined;
  }
  if (type === 'sms_reply_event') {
    const mobile = optionalString(inner.mobile);
    const text = typeof inner.reply === 'string' ? inner.reply : undefined;
    const countryCode = optionalString(String(inner.nation_code ?? '')) ?? '86';
    if (!mobile || text === undefined || mobile.length > 32 || text.length > 1_000 || !/^\d{1,4}$/.test(countryCode)) {
      return undefined;
    }
    const signId = optionalString(inner.sign_id);
    return { kind: 'reply', reply: { countryCode, mobile, text, ...(signId !== undefined && { signId }) } };
  }
  return { kind: 'other' };
}
