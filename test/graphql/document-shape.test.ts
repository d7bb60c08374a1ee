import { buildSchema, parse, specifiedRules, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { documentShape } from '../../src/graphql/document-shape.js';
import { hardeningRules, MAX_FRAGMENT_NESTING, singleSendPerOperation } from '../../src/graphql/hardening.js';

const schema = buildSchema(
  'type Query { ok: Boolean a: Query } type Mutation { publishPromotionSms: Boolean other: Boolean }',
);
const rules = [...specifiedRules, ...hardeningRules({ maxDepth: 15, maxAliases: 15 })];

const rootFieldsOf = (source: string) => {
  const document = parse(source);
  const operation = document.definitions.find((definition) => definition.kind === 'OperationDefinition');
  return documentShape(document).rootFields(operation as OperationDefinitionNode);
};

/** `fragment F<i> on Mutation { ...F<i+1> ...F<i+1> }`: each level doubles what a naive walk expands. */
function doublingChain(levels: number): string {
  let source = 'mutation { ...F0 }\n';
  for (let i = 0; i < levels; i += 1) {
    source += `fragment F${i} on Mutation { ${i === levels - 1 ? 'publishPromotionSms' : `...F${i + 1} ...F${i + 1}`} }\n`;
  }
  return source;
}

function linearChain(levels: number, bottom = 'other'): string {
  let source = 'mutation { ...F0 }\n';
  for (let i = 0; i < levels; i += 1) {
    source += `fragment F${i} on Mutation { ${i === levels - 1 ? bottom : `...F${i + 1}`} }\n`;
  }
  return source;
}

describe('the shape of a document', () => {
  it('counts root fields through inline fragments and spreads, up to "more than once"', () => {
    const fields = rootFieldsOf(`
      mutation { a: publishPromotionSms ... on Mutation { publishPromotionSms } ...F ...F }
      fragment F on Mutation { other }
    `);
    expect(Object.fromEntries(fields.counts)).toEqual({ publishPromotionSms: 2, other: 2 });
    expect(fields.overflow).toBe(false);
  });

  it('computes each fragment once: 40 doubling levels (2^40 naive expansions) count the one send as many', () => {
    const fields = rootFieldsOf(doublingChain(40));
    expect(fields.counts.get('publishPromotionSms')).toBe(2);
    expect(documentShape(parse(doublingChain(40))).fragmentNesting).toBe(40);
  });

  it('survives fragment cycles, and reports one', () => {
    const document = parse(
      'mutation { ...A } fragment A on Mutation { publishPromotionSms ...B } fragment B on Mutation { ...A }',
    );
    expect(validate(schema, document, [singleSendPerOperation])).toEqual([]);
    expect(documentShape(document).cycle).toBe('A');
  });

  it('measures selection depth without recursion', () => {
    const shape = documentShape(parse(`{${'a{'.repeat(1500)}ok${'}'.repeat(1500)}}`));
    expect(shape.selectionDepth).toBe(1501);
  });

  it('stops tracking names past a bound, saying so', () => {
    const names = Array.from({ length: 100 }, (_, i) => `f${i}`).join(' ');
    expect(rootFieldsOf(`mutation { ${names} }`).overflow).toBe(true);
  });
});

describe('validation of hostile shapes', () => {
  it('refuses a 3000-level fragment chain with one clear error instead of a stack overflow', () => {
    const errors = validate(schema, parse(linearChain(3000)), rules);
    expect(errors.map((error) => error.message)).toEqual([
      `Fragments may spread fragments at most ${MAX_FRAGMENT_NESTING} levels deep, found 3000.`,
    ]);
  });

  it('refuses a 30000-level chain (which overflows graphql-js own NoFragmentCycles) the same way', () => {
    expect(() => validate(schema, parse(linearChain(30_000)), rules)).not.toThrow();
  });

  it('accepts a chain at the limit', () => {
    expect(validate(schema, parse(linearChain(MAX_FRAGMENT_NESTING)), rules)).toEqual([]);
  });

  it('refuses two sends hidden behind doubling fragments', () => {
    const errors = validate(schema, parse(doublingChain(12)), rules);
    expect(errors.map((error) => error.message)).toContain(
      'An operation may call publishPromotionSms at most once; send each batch in its own request.',
    );
  });

  it('refuses deep nesting before the recursive rules see it', () => {
    const errors = validate(schema, parse(`{${'a{'.repeat(1500)}ok${'}'.repeat(1500)}}`), rules);
    expect(errors.map((error) => error.message)).toEqual([
      'Syntax Error: Query depth limit of 15 exceeded, found 1501.',
    ]);
  });

  it('counts __typename aliases against the alias limit', () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `b${i}: __typename`).join(' ');
    const errors = validate(schema, parse(`{ ${aliases} }`), rules);
    expect(errors.map((error) => error.message)).toEqual(['Syntax Error: Aliases limit of 15 exceeded, found 16.']);
  });
});
