// A frontend's use of the typed client, compiled with the client's strict settings by the test
// suite (`tsc --noEmit -p client`) and run against the real service.
import { SmsGatewayErrorCode, sendPromotionSms, type ClientOptions } from '../index.js';

export async function describeSend(endpoints: string[], options: ClientOptions): Promise<string[]> {
  const result = await sendPromotionSms({ endpoints, smsTemplateId: 'tpl_consumer' }, options);
  if (!result.ok) {
    switch (result.error.code) {
      case SmsGatewayErrorCode.BadUserInput:
        return (result.error.validationErrors ?? []).map((problem) => `fix ${problem.field}: ${problem.message}`);
      case SmsGatewayErrorCode.RateLimited:
        return [`retry in ${result.error.retryAfterSeconds ?? 1}s`];
      default:
        return [`${result.error.code}: ${result.error.message}`];
    }
  }
  return result.payload.results.map((item) => {
    switch (item.__typename) {
      case 'SmsSent':
        return `sent to ${item.endpoint} as ${item.messageId}`;
      case 'SmsFailed':
        return `failed for ${item.endpoint}: ${item.code}${item.smnCode ? ` (${item.smnCode})` : ''}`;
    }
  });
}
