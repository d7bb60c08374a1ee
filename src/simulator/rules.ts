import { randomBytes } from 'node:crypto';
import {
  isExtendSrcId,
  isPromotionEndpoint,
  isSmnId,
  PROMOTION_LIMITS,
  type SmnPromotionRequest,
  type SmsCommitResultWire,
} from '../smn/wire.js';
import { isRecord } from '../util/unknown-values.js';
import { SIMULATOR_ENDINGS, SIMULATOR_ID_PREFIXES } from './numbers.js';

/**
 * The simulator's deterministic answers, documented in docs/simulator.md so both union members and
 * every refusal can be demonstrated without a Huawei account (named in `./numbers.ts`):
 * - templates starting with `dead` are not found (404 SMN.0162); `notpromo...` is not a promotion
 *   template (400 SMN.0188); signatures starting with `dead` are not found (404 SMN.0084);
 * - numbers ending in `0000` do not exist (SMN.0167); ending in `0057` hit the per-number frequency
 *   limit (SMN.0057); every other number is sent and gets a fresh message id.
 */

export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

type Body = Record<string, unknown>;

const refuse = (status: number, code: string, message: string): Refusal => ({ status, code, message });

function checkEndpoints(endpoints: unknown): Refusal | undefined {
  if (!Array.isArray(endpoints) || endpoints.length === 0 || !endpoints.every((e) => typeof e === 'string')) {
    return refuse(400, 'SMN.0160', 'Invalid endpoints: a non-empty list of phone numbers is required.');
  }
  if (endpoints.length > PROMOTION_LIMITS.maxEndpoints) {
    return refuse(400, 'SMN.0159', `The number of endpoints exceeds ${PROMOTION_LIMITS.maxEndpoints}.`);
  }
  if (!endpoints.every(isPromotionEndpoint)) return refuse(400, 'SMN.0012', 'Invalid endpoint format.');
  return undefined;
}

function checkTemplate(id: unknown): Refusal | undefined {
  if (typeof id !== 'string' || !isSmnId(id)) return refuse(400, 'SMN.0161', 'Invalid SMS template ID.');
  if (id.startsWith(SIMULATOR_ID_PREFIXES.templateMissing))
    return refuse(404, 'SMN.0162', 'The SMS template does not exist.');
  if (id.startsWith(SIMULATOR_ID_PREFIXES.notPromotionTemplate)) {
    return refuse(400, 'SMN.0188', 'The SMS template is not a promotion template.');
  }
  return undefined;
}

/** Optional fields must be absent or valid; null is a client bug (our client omits them). */
function checkOptional(body: Body): Refusal | undefined {
  if ('sign_id' in body) {
    const id = body.sign_id;
    if (typeof id !== 'string' || !isSmnId(id)) return refuse(400, 'SMN.0080', 'Invalid sign_id.');
    if (id.startsWith(SIMULATOR_ID_PREFIXES.signatureMissing))
      return refuse(404, 'SMN.0084', 'The SMS signature does not exist.');
  }
  if ('extend_code' in body) {
    const code = body.extend_code;
    if (typeof code !== 'string' || code === '' || Buffer.byteLength(code) > PROMOTION_LIMITS.extendCodeMaxBytes) {
      return refuse(400, 'SMN.0006', 'Invalid extend_code: 1 to 32 bytes.');
    }
  }
  if ('extend_src_id' in body && (typeof body.extend_src_id !== 'string' || !isExtendSrcId(body.extend_src_id))) {
    return refuse(400, 'SMN.0229', 'Invalid extend_src_id.');
  }
  return undefined;
}

/** Checks a request body the way SMN does; returns the refusal, or the valid request. */
export function checkPromotionBody(body: unknown): Refusal | SmnPromotionRequest {
  if (!isRecord(body)) return refuse(400, 'SMN.0006', 'The request body must be a JSON object.');
  const refusal = checkEndpoints(body.endpoints) ?? checkTemplate(body.sms_template_id) ?? checkOptional(body);
  return refusal ?? (body as unknown as SmnPromotionRequest);
}

export function isRefusal(value: Refusal | SmnPromotionRequest): value is Refusal {
  return 'status' in value;
}

export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** One Sms_commit_result per de-duplicated number (exact string match, first kept). */
export function commitResults(request: SmnPromotionRequest): SmsCommitResultWire[] {
  return [...new Set(request.endpoints)].map((endpoint) => {
    if (endpoint.endsWith(SIMULATOR_ENDINGS.noSuchNumber)) {
      return { endpoint, code: 'SMN.0167', message: 'The phone number does not exist.' };
    }
    if (endpoint.endsWith(SIMULATOR_ENDINGS.frequencyLimited)) {
      return { endpoint, code: 'SMN.0057', message: 'The sending frequency limit of this number is exceeded.' };
    }
    return { endpoint, message_id: newId() };
  });
}
