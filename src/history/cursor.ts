import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HistoryPosition } from './history-store.js';

/** Longest cursor read: anything longer is refused by its length alone, before any decoding. */
export const MAX_CURSOR_LENGTH = 400;
/** Longest message id a cursor carries (SMN's are 32 hex characters). */
const MAX_MESSAGE_ID_LENGTH = 200;
/** Bytes of the HMAC kept in a cursor: 128 bits, enough that a forged cursor is never guessed. */
const MAC_BYTES = 16;
/** base64url of 1 to 400 characters, one "." between position and MAC: checked before anything is decoded. */
const CURSOR_SHAPE = /^([A-Za-z0-9_-]{1,380})\.([A-Za-z0-9_-]{22})$/;
const POSITION = /^(\d{1,15}):(.+)$/s;

/**
 * Opaque, tamper-checked cursors of smsHistory: base64url of `<submitted at ms>:<message id>`, then
 * "." and an HMAC-SHA256 (first 16 bytes) over the tenant and that text. A cursor edited, made up, or
 * given by another tenant (or another key) does not verify; decoding costs at most MAX_CURSOR_LENGTH
 * characters and one HMAC.
 */
export function historyCursors(key: string | Buffer) {
  // A key of its own, derived from the one given: the same secret may key other things (erasure hashes).
  const cursorKey = createHmac('sha256', key).update('smn-gateway smsHistory cursor v1').digest();
  const macOf = (tenant: string, position: string) =>
    createHmac('sha256', cursorKey)
      .update(JSON.stringify([tenant, position]))
      .digest()
      .subarray(0, MAC_BYTES);
  return {
    encode(tenant: string, position: HistoryPosition): string {
      const text = `${position.submittedAt.getTime()}:${position.messageId}`;
      return `${Buffer.from(text).toString('base64url')}.${macOf(tenant, text).toString('base64url')}`;
    },
    /** The position, or undefined when the cursor is not one this key gave this tenant. */
    decode(tenant: string, cursor: string): HistoryPosition | undefined {
      if (cursor.length > MAX_CURSOR_LENGTH) return undefined;
      const shape = CURSOR_SHAPE.exec(cursor);
      if (!shape) return undefined;
      const text = Buffer.from(shape[1]!, 'base64url').toString();
      const given = Buffer.from(shape[2]!, 'base64url');
      if (given.length !== MAC_BYTES || !timingSafeEqual(given, macOf(tenant, text))) return undefined;
      const position = POSITION.exec(text);
      if (!position || position[2]!.length > MAX_MESSAGE_ID_LENGTH) return undefined;
      const submittedAt = new Date(Number(position[1]));
      return Number.isNaN(submittedAt.getTime()) ? undefined : { submittedAt, messageId: position[2]! };
    },
  };
}

export type HistoryCursors = ReturnType<typeof historyCursors>;
