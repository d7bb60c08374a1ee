import { CAMPAIGN_ID } from '../../campaigns/campaign.js';
import { badUserInput } from '../validation.js';

/** The types `node(id:)` resolves; a PromotionCampaign's id is its own (cmp_...), already global. */
export type NodeTypeName = 'SmsSent' | 'PromotionSmsRequest' | 'PromotionCampaign';

/** Encoded types: base64url of `<type>:<key>`, the key being SMN's message id or request_id. */
type EncodedType = Exclude<NodeTypeName, 'PromotionCampaign'>;

/** Longest id `node` decodes; SMN's ids are at most 256 characters, so no id we give is longer. */
export const MAX_GLOBAL_ID_LENGTH = 400;
const MAX_KEY_LENGTH = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const DECODED = /^(SmsSent|PromotionSmsRequest):([\x21-\x7e]{1,256})$/;

/** The opaque global id of an SmsSent (by messageId) or a PromotionSmsRequest (by requestId). */
export function globalId(type: EncodedType, key: string): string {
  return Buffer.from(`${type}:${key}`).toString('base64url');
}

export interface DecodedId {
  readonly type: NodeTypeName;
  readonly key: string;
}

function notAnId(): Error {
  return badUserInput([{ field: 'id', message: 'is not an id this service gave' }], 'nothing was read');
}

/**
 * Reads a global id back, or refuses it (BAD_USER_INPUT) when no id this service gives could look like
 * it: too long, not base64url, not `<known type>:<printable key>`, or not in the one spelling we encode
 * (padding, other alphabets). Purely by its form: whether it exists, and whose it is, is `node`'s question.
 */
export function decodeGlobalId(id: string): DecodedId {
  if (CAMPAIGN_ID.test(id)) return { type: 'PromotionCampaign', key: id };
  if (id.length === 0 || id.length > MAX_GLOBAL_ID_LENGTH || !BASE64URL.test(id)) throw notAnId();
  const match = DECODED.exec(Buffer.from(id, 'base64url').toString('utf8'));
  if (!match || match[2]!.length > MAX_KEY_LENGTH) throw notAnId();
  const decoded = { type: match[1] as EncodedType, key: match[2]! };
  if (globalId(decoded.type, decoded.key) !== id) throw notAnId();
  return decoded;
}
