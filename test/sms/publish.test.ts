import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { dedupe, matchResults, publishPromotionSms, toWireRequest } from '../../src/sms/publish.js';
import type { SmnPromotionPort } from '../../src/smn/client.js';
import type { SmnPromotionRequest } from '../../src/smn/wire.js';

const logger = pino({ level: 'silent' });

describe('the publish use case (no server, a recording SMN port)', () => {
  it('de-duplicates by exact string, first kept', () => {
    expect(dedupe(['1', '+861', '1', '2', '+861'])).toEqual(['1', '+861', '2']);
  });

  it('builds the wire body with optional fields omitted', () => {
    expect(toWireRequest({ endpoints: [], smsTemplateId: 't' }, ['+1'])).toEqual({
      endpoints: ['+1'],
      sms_template_id: 't',
    });
    expect(
      toWireRequest({ endpoints: [], smsTemplateId: 't', signId: 's', extendCode: 'c', extendSrcId: '1' }, ['+1']),
    ).toEqual({
      endpoints: ['+1'],
      sms_template_id: 't',
      sign_id: 's',
      extend_code: 'c',
      extend_src_id: '1',
    });
  });

  it('orders results by what was sent, fills NO_RESULT, drops strangers and second entries', () => {
    const outcomes = matchResults(
      ['a', 'b', 'c'],
      [
        { endpoint: 'c', code: 'SMN.0167', message: 'no' },
        { endpoint: 'x', message_id: 'stranger' },
        { endpoint: 'a', message_id: 'm1' },
        { endpoint: 'a', message_id: 'm2' },
      ],
      logger,
    );
    expect(outcomes).toEqual([
      { status: 'sent', endpoint: 'a', messageId: 'm1' },
      { status: 'failed', endpoint: 'b', code: 'NO_RESULT', message: 'SMN returned no result for this number' },
      { status: 'failed', endpoint: 'c', code: 'SMN.0167', message: 'no' },
    ]);
  });

  it('sends once, de-duplicated, and counts', async () => {
    const calls: SmnPromotionRequest[] = [];
    const smn: SmnPromotionPort = {
      publishPromotion: async (request) => {
        calls.push(request);
        return {
          request_id: 'rid',
          result: request.endpoints.map((endpoint) => ({ endpoint, message_id: `m-${endpoint}` })),
        };
      },
    };
    const report = await publishPromotionSms({ smn, logger }, { endpoints: ['+1', '+2', '+1'], smsTemplateId: 't' });
    expect(calls).toEqual([{ endpoints: ['+1', '+2'], sms_template_id: 't' }]);
    expect(report).toMatchObject({ requestId: 'rid', sentCount: 2, failedCount: 0, duplicatesRemoved: 1 });
  });
});
