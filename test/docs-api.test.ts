import { readFile } from 'node:fs/promises';
import { buildSchema, parse, print, visit, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFile(new URL(`../${path}`, import.meta.url), 'utf8');

/** The document without descriptions: what the docs' compact block is compared on. */
function withoutDescriptions(document: DocumentNode): string {
  return print(
    visit(document, {
      enter(node) {
        return 'description' in node && node.description ? { ...node, description: undefined } : undefined;
      },
    }),
  );
}

describe('docs that describe the schema stay true to schema.graphql', () => {
  it("docs/api.md's schema block is schema.graphql: every type, field and argument, nothing else", async () => {
    const api = await read('docs/api.md');
    const block = api
      .split('```graphql\n')
      .find((part) => part.startsWith('type Query {'))
      ?.split('```')[0];
    expect(block, 'the schema block in docs/api.md').toBeDefined();
    expect(withoutDescriptions(parse(block!))).toBe(withoutDescriptions(parse(await read('schema.graphql'))));
  });

  it("docs/security.md's scope list names every root field", async () => {
    const schema = buildSchema(await read('schema.graphql'));
    const security = await read('docs/security.md');
    const scopes = security.split('\n').find((line) => line.startsWith('| Scopes'));
    const rootFields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      Object.keys(type?.getFields() ?? {}),
    );
    expect(rootFields.length).toBeGreaterThan(10);
    expect(rootFields.filter((field) => !scopes?.includes(`\`${field}\``))).toEqual([]);
  });
});
