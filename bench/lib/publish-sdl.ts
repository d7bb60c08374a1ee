/**
 * The send mutation's schema as a plain SDL, without the service's framework: what the baseline and the
 * floor servers answer `PUBLISH_QUERY` (servers.ts) with.
 */
export const PUBLISH_SDL = `
  type Query { ok: Boolean }
  type Mutation { publishPromotionSms(input: PublishPromotionSmsInput!): PublishPromotionSmsPayload! }
  input PublishPromotionSmsInput { endpoints: [String!]! smsTemplateId: String! signId: String }
  type PublishPromotionSmsPayload {
    requestId: String! results: [SmsCommitResult!]! sentCount: Int! failedCount: Int! duplicatesRemoved: Int!
  }
  union SmsCommitResult = SmsSent | SmsFailed
  type SmsSent { endpoint: String! messageId: ID! }
  type SmsFailed { endpoint: String! code: String! message: String! }
`;
