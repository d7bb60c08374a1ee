import 'reflect-metadata';
import { printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { PromotionSmsResolver, type PublishPromotionSms } from './promotion-sms/resolver.js';
import { validateInput } from './validation.js';

export interface SchemaDependencies {
  readonly publishPromotionSms: PublishPromotionSms;
}

export async function buildGatewaySchema(deps: SchemaDependencies): Promise<GraphQLSchema> {
  const resolvers = new Map<unknown, unknown>([
    [PromotionSmsResolver, new PromotionSmsResolver(deps.publishPromotionSms)],
  ]);
  return buildSchema({
    resolvers: [PromotionSmsResolver],
    container: { get: (resolverClass) => resolvers.get(resolverClass) },
    validateFn: validateInput,
  });
}

/** The SDL committed as schema.graphql; a test fails when the code and the file disagree. */
export async function printGatewaySchema(): Promise<string> {
  const schema = await buildGatewaySchema({
    publishPromotionSms: () => Promise.reject(new Error('schema printing only')),
  });
  return `${printSchema(schema)}\n`;
}
