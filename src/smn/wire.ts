/**
 * The PromotionSmsPublish contract as it travels on the wire (snake_case), shared by the client and
 * the simulator so the two cannot drift apart.
 */

export const PROMOTION_LIMITS = Object.freeze({
  /** SMN refuses more than this many numbers per call (SMN.0159). */
  maxEndpoints: 1000,
  /** `extend_code` is echoed back in delivery-status callbacks; measured in UTF-8 bytes. */
  extendCodeMaxBytes: 32,
  /** `extend_src_id`: the sender-number extension, digits only. */
  extendSrcIdMaxDigits: 8,
  /** Our own bound for template and signature ids (SMN's are 32 hex characters). */
  idMaxLength: 64,
});

/** International `+<country code><number>` (E.164). */
export const INTERNATIONAL_NUMBER = /^\+[1-9]\d{4,14}$/;
/** Domestic China mobile number, without `+` or `+86` (a bare `86` prefix is allowed). */
export const DOMESTIC_CHINA_NUMBER = /^(86)?1\d{10}$/;
/** Template and signature ids: letters, digits, `-` and `_` only. */
export const SMN_ID = /^[A-Za-z0-9_-]+$/;
export const DIGITS = /^\d+$/;

export function isPromotionEndpoint(value: string): boolean {
  return INTERNATIONAL_NUMBER.test(value) || DOMESTIC_CHINA_NUMBER.test(value);
}

export function isSmnId(value: string): boolean {
  return value.length >= 1 && value.length <= PROMOTION_LIMITS.idMaxLength && SMN_ID.test(value);
}

export function isExtendCode(value: string): boolean {
  const bytes = Buffer.byteLength(value, 'utf8');
  return bytes >= 1 && bytes <= PROMOTION_LIMITS.extendCodeMaxBytes;
}

export function isExtendSrcId(value: string): boolean {
  return value.length >= 1 && value.length <= PROMOTION_LIMITS.extendSrcIdMaxDigits && DIGITS.test(value);
}

export function promotionPath(projectId: string): string {
  return `/v2/${encodeURIComponent(projectId)}/notifications/sms/promotion`;
}

/** Request body of POST /v2/{project_id}/notifications/sms/promotion. Optional fields are omitted, never null. */
export interface SmnPromotionRequest {
  endpoints: string[];
  sms_template_id: string;
  sign_id?: string;
  extend_code?: string;
  extend_src_id?: string;
}

/** One promotional send in the gateway's own names: what the SMN port takes (client.ts). */
export interface PromotionSend {
  readonly endpoints: readonly string[];
  readonly smsTemplateId: string;
  readonly signId?: string | undefined;
  readonly extendCode?: string | undefined;
  readonly extendSrcId?: string | undefined;
}

/** A send as SMN's body: snake_case, optional fields omitted (never null). */
export function promotionRequestBody(send: PromotionSend): SmnPromotionRequest {
  return {
    endpoints: [...send.endpoints],
    sms_template_id: send.smsTemplateId,
    ...(send.signId !== undefined && { sign_id: send.signId }),
    ...(send.extendCode !== undefined && { extend_code: send.extendCode }),
    ...(send.extendSrcId !== undefined && { extend_src_id: send.extendSrcId }),
  };
}

/** One `Sms_commit_result`: sent when it has `message_id`, failed when it has `code`. */
export type SmsCommitResultWire =
  { endpoint: string; message_id: string } | { endpoint: string; code: string; message: string };

export interface SmnPromotionResponse {
  request_id: string;
  result: SmsCommitResultWire[];
}
