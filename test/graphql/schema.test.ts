import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { printApiSchema, printSubgraphSchema } from '../../src/graphql/schema.js';

describe('schema.graphql', () => {
  it('is exactly what the code prints (run `npm run schema:print` after changing the schema)', async () => {
    const committed = await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(await printApiSchema());
  });

  it('documents every type, field and argument', async () => {
    const { buildSchema, isObjectType, isInputObjectType, isUnionType } = await import('graphql');
    const schema = buildSchema(await printApiSchema());
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (
        type.name.startsWith('__') ||
        ['String', 'Int', 'Boolean', 'ID', 'Float', 'Query', 'Mutation', 'Subscription'].includes(type.name)
      )
        continue;
      if (!type.description) undocumented.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields()))
          if (!field.description) undocumented.push(`${type.name}.${field.name}`);
      }
      if (isUnionType(type)) expect(type.getTypes().map((t) => t.name)).toEqual(['SmsSent', 'SmsFailed']);
    }
    for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
      for (const field of Object.values(root!.getFields()))
        if (!field.description) undocumented.push(`${root!.name}.${field.name}`);
    }
    expect(undocumented).toEqual([]);
  });

  it('has the exact API clients depend on', async () => {
    const sdl = await printApiSchema();
    expect(sdl).toContain('publishPromotionSms(input: PublishPromotionSmsInput!): PublishPromotionSmsPayload!');
    expect(sdl).toContain('promotionSmsLimits: PromotionSmsLimits!');
    expect(sdl).toContain('union SmsCommitResult = SmsSent | SmsFailed');
    expect(sdl).toMatch(/results: \[SmsCommitResult!\]!/);
    expect(sdl).toMatch(/messageId: ID!/);
    expect(sdl).toContain('sentSms(messageId: String!): SmsSent\n');
    expect(sdl).toContain('node(id: ID!): Node\n');
    expect(sdl).toMatch(/type SmsSent implements Node \{\n[^}]*id: ID!/);
    expect(sdl).toMatch(
      /type SmsSent implements Node \{[^}]*requestId: String![^}]*smsTemplateId: String![^}]*submittedAt: DateTime!/,
    );
    expect(sdl).not.toMatch(/_entities|_service|@key|@link/);
  });
});

describe('subgraph.graphql (the federated SDL for router tooling)', () => {
  it('is exactly what the code prints (run `npm run schema:print` after changing the schema)', async () => {
    const committed = await readFile(new URL('../../subgraph.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(await printSubgraphSchema());
  });

  it('links Federation 2 and declares SmsSent as an entity keyed by messageId', async () => {
    const sdl = await printSubgraphSchema();
    expect(sdl).toMatch(
      /extend schema\s+@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+", import: \["@key"\]\)/,
    );
    expect(sdl).toMatch(/type SmsSent implements Node\s+@key\(fields: "messageId"\)/);
  });
});
