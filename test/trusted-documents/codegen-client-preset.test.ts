import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { useStack } from '../helpers/stack.js';
import { postBody } from '../helpers/trusted-documents.js';

// A frontend built with GraphQL Code Generator's client preset and `persistedDocuments`: its build
// writes persisted-documents.json (`{"<hash>": "<document>"}`), the service loads it as its manifest,
// and the frontend sends `documentId: doc.__meta__.hash`, never the text.

const SCHEMA = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

/** The operations as a frontend writes them (the text differs from the normalized one the manifest lists). */
const SEND = `
  mutation SendFromFrontend($input: PublishPromotionSmsInput!) {
    publishPromotionSms(input: $input) {
      requestId
      results {
        __typename
        ... on SmsSent { endpoint messageId }
        ... on SmsFailed { endpoint code }
      }
    }
  }
`;
const LIMITS = `
  query LimitsForFrontend {
    promotionSmsLimits { maxEndpoints extendCodeMaxBytes }
  }
`;
/** A literal argument: a trusted document fixes it, so it cannot be changed by the caller. */
const TWO_TEMPLATES = `
  query TwoTemplates {
    smsTemplates(first: 2) { nodes { id name } pageInfo { hasNextPage } }
  }
`;

const SOURCE = `import { graphql } from './gql';

export const sendFromFrontend = graphql(\`${SEND}\`);
export const limitsForFrontend = graphql(\`${LIMITS}\`);
export const twoTemplates = graphql(\`${TWO_TEMPLATES}\`);
`;

interface Variant {
  readonly name: string;
  readonly persistedDocuments: true | { readonly hashAlgorithm: 'sha256' };
  /** The hash the preset uses: the manifest's keys and `__meta__.hash`. */
  readonly hash: (text: string) => string;
}

const hashWith = (algorithm: string) => (text: string) => createHash(algorithm).update(text).digest('hex');
const VARIANTS: readonly Variant[] = [
  { name: 'sha1', persistedDocuments: true, hash: hashWith('sha1') },
  { name: 'sha256', persistedDocuments: { hashAlgorithm: 'sha256' }, hash: hashWith('sha256') },
];

/** A generated document as the client preset emits it with persistedDocuments. */
interface PersistedDocument {
  readonly __meta__?: { readonly hash?: string };
}

const stack = useStack();
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'codegen-client-preset-'));
  await writeFile(join(folder, 'frontend.ts'), SOURCE);
  // One codegen run, one output folder per variant.
  await generate(
    {
      schema: SCHEMA,
      documents: [join(folder, 'frontend.ts')],
      generates: Object.fromEntries(
        VARIANTS.map((variant) => [
          `${join(folder, variant.name)}/`,
          {
            preset: 'client',
            presetConfig: { persistedDocuments: variant.persistedDocuments, fragmentMasking: false },
            config: { useTypeImports: true, scalars: { DateTime: 'string' } },
          },
        ]),
      ),
      silent: true,
    },
    true,
  );
}, 60_000);

afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe.each(VARIANTS)(
  'a client-preset frontend (persistedDocuments, $name) against TRUSTED_DOCUMENTS=require',
  (variant) => {
    let app: TestApp;
    let manifest: Record<string, string>;
    let documents: Record<string, PersistedDocument>;

    beforeAll(async () => {
      const manifestFile = join(folder, variant.name, 'persisted-documents.json');
      manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, string>;
      documents = (await import(pathToFileURL(join(folder, variant.name, 'graphql.ts')).href)) as Record<
        string,
        PersistedDocument
      >;
      app = await startApp(stack.env({ TRUSTED_DOCUMENTS: 'require', TRUSTED_DOCUMENTS_MANIFEST: manifestFile }));
    });
    afterAll(async () => {
      await app?.close();
    });

    const hashOf = (exported: string): string => {
      const hash = documents[exported]?.__meta__?.hash;
      if (!hash) throw new Error(`${exported} has no __meta__.hash`);
      return hash;
    };

    it('writes one entry per operation, keyed by the hash of its text, the hash each document carries', () => {
      expect(Object.keys(manifest)).toHaveLength(3);
      for (const [hash, body] of Object.entries(manifest)) expect(hash).toBe(variant.hash(body));
      for (const exported of ['SendFromFrontendDocument', 'LimitsForFrontendDocument', 'TwoTemplatesDocument']) {
        expect(Object.keys(manifest)).toContain(hashOf(exported));
      }
    });

    it('runs each document sent by its hash alone, with variables', async () => {
      const send = await postBody(app.graphqlUrl, {
        documentId: hashOf('SendFromFrontendDocument'),
        variables: { input: { endpoints: [SIMULATOR_NUMBERS.delivered], smsTemplateId: 'tpl_frontend' } },
      });
      expect(send.errors).toBeUndefined();
      expect(send.data).toMatchObject({
        publishPromotionSms: { results: [{ __typename: 'SmsSent', endpoint: SIMULATOR_NUMBERS.delivered }] },
      });

      const limits = await postBody(app.graphqlUrl, { documentId: hashOf('LimitsForFrontendDocument') });
      expect(limits.errors).toBeUndefined();
      expect(limits.data).toMatchObject({ promotionSmsLimits: { maxEndpoints: expect.any(Number) } });

      const templates = await postBody(app.graphqlUrl, { documentId: hashOf('TwoTemplatesDocument') });
      expect(templates.errors).toBeUndefined();
      const page = (templates.data as { smsTemplates: { nodes: unknown[] } }).smsTemplates;
      expect(page.nodes.length).toBeGreaterThan(0);
      expect(page.nodes.length).toBeLessThanOrEqual(2);
    });

    it('refuses a full text that is not listed (as written in the source, or with another literal)', async () => {
      const before = (await stack.simulator.requests()).length;
      const asWritten = await postBody(app.graphqlUrl, {
        query: SEND,
        variables: { input: { endpoints: [SIMULATOR_NUMBERS.delivered], smsTemplateId: 'tpl_frontend' } },
      });
      expect(asWritten.status).toBe(400);
      expect(asWritten.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
      expect((await stack.simulator.requests()).length).toBe(before);

      const listed = manifest[hashOf('TwoTemplatesDocument')]!;
      const otherLiteral = await postBody(app.graphqlUrl, { query: listed.replace('first: 2', 'first: 100') });
      expect(listed).toContain('first: 2');
      expect(otherLiteral.status).toBe(400);
      expect(otherLiteral.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');

      const unknownId = await postBody(app.graphqlUrl, { documentId: variant.hash('query { __typename }') });
      expect(unknownId.status).toBe(400);
      expect(unknownId.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    });
  },
);
