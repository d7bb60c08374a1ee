import { PublishPromotionSmsDocument, type PublishPromotionSmsInput } from '../../client/generated.js';
import { execute } from './graphql.js';

/** A valid batch of one China mobile number; `overrides` replace or add fields. */
export function promotionInput(overrides: Partial<PublishPromotionSmsInput> = {}): PublishPromotionSmsInput {
  return { endpoints: ['+8613812345678'], smsTemplateId: 'tpl', ...overrides };
}

/** Runs publishPromotionSms over real HTTP against `app`, as a frontend would. */
export function publish(
  app: { readonly graphqlUrl: string },
  input: PublishPromotionSmsInput = promotionInput(),
  headers: Record<string, string> = {},
) {
  return execute(app.graphqlUrl, PublishPromotionSmsDocument, { input }, headers);
}
