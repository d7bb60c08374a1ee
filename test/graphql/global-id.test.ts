import { describe, expect, it } from 'vitest';
import { decodeGlobalId, globalId, MAX_GLOBAL_ID_LENGTH } from '../../src/graphql/node/global-id.js';

describe('global ids', () => {
  it('are opaque base64url of Type:key and read back', () => {
    const id = globalId('SmsSent', 'msg-1');
    expect(id).not.toContain('msg-1');
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeGlobalId(id)).toEqual({ type: 'SmsSent', key: 'msg-1' });
    expect(decodeGlobalId(globalId('PromotionSmsRequest', 'req-1'))).toEqual({
      type: 'PromotionSmsRequest',
      key: 'req-1',
    });
  });

  it("takes a campaign's own id as its global id", () => {
    const id = 'cmp_0000abcde0123456789abcdef';
    expect(decodeGlobalId(id)).toEqual({ type: 'PromotionCampaign', key: id });
  });

  it.each([
    ['empty', ''],
    ['oversized', 'A'.repeat(MAX_GLOBAL_ID_LENGTH + 1)],
    ['not base64url', 'U21zU2VudDptc2ctMQ=='],
    ['an unknown type (forged)', Buffer.from('OptOut:+8613812345678').toString('base64url')],
    ['no key', Buffer.from('SmsSent:').toString('base64url')],
    ['a control character in the key', Buffer.from('SmsSent:a\nb').toString('base64url')],
    ['a key over 256 characters', Buffer.from(`SmsSent:${'x'.repeat(257)}`).toString('base64url')],
    ['junk', '!!!'],
  ])('refuses %s with BAD_USER_INPUT', (_name, id) => {
    expect(() => decodeGlobalId(id)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });
});
