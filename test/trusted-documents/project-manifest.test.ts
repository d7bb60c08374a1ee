import { readdir, readFile } from 'node:fs/promises';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SmsGatewayErrorCode,
  documentIdOf,
  PublishPromotionSmsDocument,
  request,
  sendPromotionSms,
  SmsCatalogDocument,
  smsCatalog,
  type ClientOptions,
  type PromotionSmsLimitsQuery,
} from '../../client/index.js';
import { manifestText, projectManifest, type ApolloManifest } from '../../scripts/lib/trusted-documents-manifest.js';
import { SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { promotionInput } from '../helpers/inputs.js';
import { useStack } from '../helpers/stack.js';
import { sha256, useManifestFolder, writeManifest } from '../helpers/trusted-documents.js';

/** Every operation name defined in operations/*.graphql (fragment files define none). */
async function operationNames(): Promise<string[]> {
  const folder = new URL('../../operations/', import.meta.url);
  const files = (await readdir(folder)).filter((name) => name.endsWith('.graphql'));
  const names: string[] = [];
  for (const file of files) {
    for (const definition of parse(await readFile(new URL(file, folder), 'utf8')).definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) names.push(definition.name.value);
    }
  }
  return names.sort();
}

/** A fetch that records each JSON body the client posts, then posts it for real. */
function recordingFetch(): { readonly fetch: typeof fetch; readonly bodies: Array<Record<string, unknown>> } {
  const bodies: Array<Record<string, unknown>> = [];
  return {
    bodies,
    fetch: (input, init) => {
      bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
      return fetch(input, init);
    },
  };
}

const stack = useStack();
const manifests = useManifestFolder();
let manifest: ApolloManifest;
let manifestFile: string;

beforeAll(async () => {
  await manifests.ready;
  manifest = await projectManifest();
  manifestFile = await writeManifest(manifests.path('trusted-documents.json'), manifestText(manifest));
});

describe("the project's manifest (npm run build: dist/trusted-documents.json)", () => {
  it('lists every operation under operations/, once, sorted by name', async () => {
    const names = manifest.operations.map((operation) => operation.name);
    expect(names).toEqual(await operationNames());
    expect(new Set(names).size).toBe(names.length);
    expect(manifest).toMatchObject({ format: 'apollo-persisted-query-manifest', version: 1 });
    expect(manifest.operations.find((operation) => operation.name === 'PublishPromotionSms')?.type).toBe('mutation');
    expect(manifest.operations.find((operation) => operation.name === 'SmsDeliveryUpdates')?.type).toBe('subscription');
  });

  it("gives each body's SHA-256 as its id, the id the typed client sends, with the fragments it spreads", async () => {
    for (const operation of manifest.operations) expect(operation.id).toBe(sha256(operation.body));
    const publish = manifest.operations.find((operation) => operation.name === 'PublishPromotionSms');
    expect(publish?.id).toBe(await documentIdOf(PublishPromotionSmsDocument));
    const started = manifest.operations.find((operation) => operation.name === 'StartPromotionCampaign');
    expect(started?.body).toContain('fragment PromotionCampaignFields on PromotionCampaign');
  });

  it('is the same file on every build', async () => {
    expect(manifestText(await projectManifest())).toBe(manifestText(manifest));
  });
});

describe('the typed client against TRUSTED_DOCUMENTS=require with the built manifest', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp(stack.env({ TRUSTED_DOCUMENTS: 'require', TRUSTED_DOCUMENTS_MANIFEST: manifestFile }));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('sends by id only (no query in the body), and the service runs the listed documents', async () => {
    const recorder = recordingFetch();
    const options: ClientOptions = { url: app.graphqlUrl, fetch: recorder.fetch };
    const sent = await sendPromotionSms(promotionInput({ endpoints: [SIMULATOR_NUMBERS.delivered] }), options);
    expect(sent.ok && sent.sent.map((result) => result.endpoint)).toEqual([SIMULATOR_NUMBERS.delivered]);
    const catalog = await smsCatalog({ first: 5 }, options);
    expect(catalog.ok && catalog.value.smsTemplates.nodes.length).toBeGreaterThan(0);

    expect(recorder.bodies).toEqual([
      {
        documentId: `sha256:${await documentIdOf(PublishPromotionSmsDocument)}`,
        operationName: 'PublishPromotionSms',
        variables: { input: promotionInput({ endpoints: [SIMULATOR_NUMBERS.delivered] }) },
      },
      {
        documentId: `sha256:${await documentIdOf(SmsCatalogDocument)}`,
        operationName: 'SmsCatalog',
        variables: { first: 5 },
      },
    ]);
    for (const body of recorder.bodies) expect(body).not.toHaveProperty('query');
  });

  it('with sendDocumentText: true, runs the text when it is a listed body (matched by its SHA-256)', async () => {
    const recorder = recordingFetch();
    const sent = await sendPromotionSms(promotionInput(), {
      url: app.graphqlUrl,
      fetch: recorder.fetch,
      sendDocumentText: true,
    });
    expect(sent.ok).toBe(true);
    expect(recorder.bodies).toEqual([
      {
        query: manifest.operations.find((o) => o.name === 'PublishPromotionSms')?.body,
        variables: { input: promotionInput() },
      },
    ]);
  });

  it('with sendDocumentText: true, refuses a text that is not listed with PERSISTED_QUERY_NOT_ALLOWED', async () => {
    const recorder = recordingFetch();
    const unlisted: TypedDocumentNode<PromotionSmsLimitsQuery, Record<string, never>> = parse(
      'query Limits { promotionSmsLimits { maxEndpoints } }',
    );
    const answer = await request(unlisted, {}, { url: app.graphqlUrl, fetch: recorder.fetch, sendDocumentText: true });
    expect(answer.status).toBe(400);
    expect(answer.data ?? undefined).toBeUndefined();
    expect(answer.errors?.[0]?.extensions?.code).toBe(SmsGatewayErrorCode.PersistedQueryNotAllowed);
    expect(recorder.bodies).toHaveLength(1);
    expect(recorder.bodies[0]).not.toHaveProperty('documentId');
  });
});

describe('the typed client against a service that does not list its documents', () => {
  it('with trusted documents off (the default outside production): the id, then the text, which runs', async () => {
    const recorder = recordingFetch();
    const sent = await sendPromotionSms(promotionInput({ endpoints: [SIMULATOR_NUMBERS.delivered] }), {
      url: stack.app.graphqlUrl,
      fetch: recorder.fetch,
    });
    expect(sent.ok && sent.sent.map((result) => result.endpoint)).toEqual([SIMULATOR_NUMBERS.delivered]);
    expect(recorder.bodies).toHaveLength(2);
    const [byId, byText] = recorder.bodies;
    expect(byId).toMatchObject({ documentId: `sha256:${await documentIdOf(PublishPromotionSmsDocument)}` });
    expect(byId).not.toHaveProperty('query');
    expect(byText).toMatchObject({ query: manifest.operations.find((o) => o.name === 'PublishPromotionSms')?.body });
    expect(byText).not.toHaveProperty('documentId');
  });

  it('under require, an operation missing from its manifest: the text is refused too, so the NOT_FOUND answer; nothing sent', async () => {
    const partial = manifests.path('without-publish.json');
    const listed = manifest.operations.filter((operation) => operation.name !== 'PublishPromotionSms');
    await writeManifest(partial, manifestText({ ...manifest, operations: listed }));
    await stack.withApp({ TRUSTED_DOCUMENTS: 'require', TRUSTED_DOCUMENTS_MANIFEST: partial }, async (app) => {
      const before = (await stack.simulator.requests()).length;
      const shapes = (bodies: ReadonlyArray<Record<string, unknown>>) =>
        bodies.map((body) => ('documentId' in body ? 'id' : 'query' in body ? 'text' : '?'));

      const byDefault = recordingFetch();
      const sent = await sendPromotionSms(promotionInput(), { url: app.graphqlUrl, fetch: byDefault.fetch });
      expect(sent.ok).toBe(false);
      if (!sent.ok) {
        expect(sent.error).toMatchObject({ code: SmsGatewayErrorCode.PersistedQueryNotFound, httpStatus: 400 });
      }
      expect(shapes(byDefault.bodies)).toEqual(['id', 'text']);

      const asText = recordingFetch();
      const refused = await sendPromotionSms(promotionInput(), {
        url: app.graphqlUrl,
        fetch: asText.fetch,
        sendDocumentText: true,
      });
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.error).toMatchObject({ code: SmsGatewayErrorCode.PersistedQueryNotAllowed, httpStatus: 400 });
      }
      expect(shapes(asText.bodies)).toEqual(['text']);
      expect((await stack.simulator.requests()).length).toBe(before);
    });
  });
});
