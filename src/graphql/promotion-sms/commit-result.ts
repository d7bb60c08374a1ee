import { createUnionType } from 'type-graphql';
import { SmsSent } from '../sent-sms/sms-sent.js';
import { SmsFailed } from './sms-failed.js';

/**
 * The one type resolver of the union: synchronous, by name. TypeGraphQL wraps what it is given in an
 * async function (a promise and a microtask per result, 1000 per batch), so the subgraph build
 * installs this same function directly (schema.ts).
 */
export function resolveSmsCommitResultType(value: object): 'SmsSent' | 'SmsFailed' {
  // An SmsSent (or a sent outcome served as one) has a message id; a failure never does.
  return 'messageId' in value ? 'SmsSent' : 'SmsFailed';
}

export const SmsCommitResult = createUnionType({
  name: 'SmsCommitResult',
  description: 'What happened to one number of the batch: sent, or failed with a reason.',
  types: () => [SmsSent, SmsFailed] as const,
  resolveType: resolveSmsCommitResultType,
});
