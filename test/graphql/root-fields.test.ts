import { buildSchema, parse, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { singleSendPerOperation } from '../../src/graphql/hardening.js';
import { fragmentsOf, rootFields } from '../../src/graphql/root-fields.js';

const operationOf = (source: string) => {
  const document = parse(source);
  return { document, operation: document.definitions[0] as OperationDefinitionNode };
};

describe('root fields of an operation', () => {
  it('are found through inline fragments and spreads, once per selection', () => {
    const { document, operation } = operationOf(`
      mutation { a: publishPromotionSms { x } ... on Mutation { publishPromotionSms { x } } ...F ...F }
      fragment F on Mutation { other }
    `);
    expect(rootFields(operation.selectionSet, fragmentsOf(document))).toEqual([
      'publishPromotionSms',
      'publishPromotionSms',
      'other',
      'other',
    ]);
  });

  it('survive fragment cycles, which validation has not refused yet when the send rule runs', () => {
    const schema = buildSchema('type Query { ok: Boolean } type Mutation { publishPromotionSms: Boolean }');
    const document = parse(
      'mutation { ...A } fragment A on Mutation { publishPromotionSms ...B } fragment B on Mutation { ...A }',
    );
    const messages = validate(schema, document, [singleSendPerOperation]).map((error) => error.message);
    expect(messages).toEqual([]);
  });
});
