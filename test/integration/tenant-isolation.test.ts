import { describe, expect, it, vi } from 'vitest';
import {
  AddOptOutsDocument,
  OptOutsDocument,
  PublishPromotionSmsDocument,
  RemoveOptOutsDocument,
  SentSmsDocument,
} from '../../client/generated.js';
import { execute, post } from '../helpers/graphql.js';
import { promotionInput } from '../helpers/inputs.js';
import { mint } from '../helpers/jwks.js';
import { useStack } from '../helpers/stack.js';
import { subscribe } from '../helpers/events.js';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { MAX_SUBSCRIPTIONS_PER_CONNECTION } from '../../src/graphql/subscriptions.js';
import { SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';

const stack = useStack({ auth: true });
const SCOPES = 'sms:promotion:send sms:read';
const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on SmsSent { messageId endpoint } }
}`;

async function tokenFor(subject: string, tenant?: string) {
  const token = await mint(stack.key, {
    scope: SCOPES,
    subject,
    ...(tenant !== undefined && { claims: { tenant_id: tenant } }),
  });
  return { authorization: `Bearer ${token}` };
}

async function sendAs(headers: Record<string, string>): Promise<string> {
  const result = await execute(stack.app.graphqlUrl, PublishPromotionSmsDocument, { input: promotionInput() }, headers);
  const first = result.data?.publishPromotionSms.results[0];
  if (first?.__typename !== 'SmsSent') throw new Error(`send failed: ${result.text}`);
  return first.messageId;
}

const read = (messageId: string, headers: Record<string, string>) =>
  execute(stack.app.graphqlUrl, SentSmsDocument, { messageId }, headers);
const entity = (messageId: string, headers: Record<string, string>) =>
  post<{ _entities: Array<Record<string, unknown> | null> }>(
    stack.app.graphqlUrl,
    ENTITIES,
    { representations: [{ __typename: 'SmsSent', messageId }] },
    headers,
  );

describe('stored messages are read only within the tenant that sent them', () => {
  it("another tenant's message answers null, exactly like an unknown id, through sentSms and _entities", async () => {
    const acme = await tokenFor('alice', 'acme');
    const globex = await tokenFor('bob', 'globex');
    const messageId = await sendAs(acme);

    expect((await read(messageId, acme)).data?.sentSms?.endpoint).toBe(SIMULATOR_NUMBERS.delivered);
    expect((await read(messageId, await tokenFor('carol', 'acme'))).data?.sentSms?.messageId).toBe(messageId);
    expect((await entity(messageId, acme)).data?._entities).toEqual([
      { messageId, endpoint: SIMULATOR_NUMBERS.delivered },
    ]);

    const foreign = await read(messageId, globex);
    const unknown = await read('0123456789abcdef0123456789abcdef', globex);
    expect(foreign.data).toEqual({ sentSms: null });
    expect(foreign.errors).toBeUndefined();
    expect(foreign.text).toBe(unknown.text);
    expect((await entity(messageId, globex)).data?._entities).toEqual([null]);
  });

  it('tokens without a tenant claim form one tenant of their own', async () => {
    const untenanted = await tokenFor('dave');
    const messageId = await sendAs(untenanted);
    expect((await read(messageId, await tokenFor('erin'))).data?.sentSms?.messageId).toBe(messageId);
    expect((await read(messageId, await tokenFor('alice', 'acme'))).data?.sentSms).toBeNull();
    const tenanted = await sendAs(await tokenFor('alice', 'acme'));
    expect((await read(tenanted, untenanted)).data?.sentSms).toBeNull();
  });
});

describe('opt-outs: scopes, and one list per tenant', () => {
  const asTenant = async (scope: string, tenant: string) => ({
    authorization: `Bearer ${await mint(stack.key, { scope, subject: `${tenant}-user`, claims: { tenant_id: tenant } })}`,
  });

  it('the mutations need sms:optout:write and the query sms:read; FORBIDDEN otherwise, nothing changed', async () => {
    const readOnly = await asTenant('sms:read sms:promotion:send', 'scopes');
    const writeOnly = await asTenant('sms:optout:write', 'scopes');
    const input = { endpoints: ['+8613700000001'] };
    const refusals = [
      await execute(stack.app.graphqlUrl, AddOptOutsDocument, { input }, readOnly),
      await execute(stack.app.graphqlUrl, RemoveOptOutsDocument, { input }, readOnly),
    ];
    for (const refused of refusals) {
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        requiredScopes: ['sms:optout:write'],
      });
    }
    const query = await execute(stack.app.graphqlUrl, OptOutsDocument, { endpoints: input.endpoints }, writeOnly);
    expect(query.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: ['sms:read'] });
    expect(
      (await execute(stack.app.graphqlUrl, OptOutsDocument, { endpoints: input.endpoints }, readOnly)).data?.optOuts[0]
        ?.optedOut,
    ).toBe(false);
    const added = await execute(stack.app.graphqlUrl, AddOptOutsDocument, { input }, writeOnly);
    expect(added.data?.addOptOuts).toEqual({ changed: 1, unchanged: 0 });
    const anonymous = await execute(stack.app.graphqlUrl, AddOptOutsDocument, { input });
    expect(anonymous.status).toBe(401);
  });

  it("a tenant's opt-outs hold back its own sends only, and only it can read them", async () => {
    const acme = await asTenant('sms:optout:write sms:read sms:promotion:send', 'acme-optout');
    const globex = await asTenant('sms:optout:write sms:read sms:promotion:send', 'globex-optout');
    const number = '+8613700000002';
    await execute(stack.app.graphqlUrl, AddOptOutsDocument, { input: { endpoints: [number] } }, acme);
    const theirs = await execute(stack.app.graphqlUrl, OptOutsDocument, { endpoints: [number] }, globex);
    expect(theirs.data?.optOuts[0]?.optedOut).toBe(false);
    const ours = await execute(stack.app.graphqlUrl, OptOutsDocument, { endpoints: [number] }, acme);
    expect(ours.data?.optOuts[0]?.optedOut).toBe(true);
    const input = { endpoints: [number], smsTemplateId: 'tpl' };
    const acmeSend = await execute(stack.app.graphqlUrl, PublishPromotionSmsDocument, { input }, acme);
    expect(acmeSend.data?.publishPromotionSms.suppressedCount).toBe(1);
    const globexSend = await execute(stack.app.graphqlUrl, PublishPromotionSmsDocument, { input }, globex);
    expect(globexSend.data?.publishPromotionSms).toMatchObject({ sentCount: 1, suppressedCount: 0 });
  });
});

describe('subscriptions: the token in connection_init, scopes per subscription, a bound per connection', () => {
  const UPDATES = 'subscription($requestId: String!) { smsDeliveryUpdates(requestId: $requestId) { messageId } }';

  it('a bad token closes the connection; a token without sms:read is FORBIDDEN; another tenant gets no stream', async () => {
    const bad = subscribe(stack.app.graphqlUrl, UPDATES, { requestId: 'x' }, { authorization: 'Bearer not.a.jwt' });
    await bad.done;
    await bad.close();
    expect(bad.failure).toBeDefined();

    const sendOnly = `Bearer ${await mint(stack.key, { scope: 'sms:promotion:send', subject: 'writer' })}`;
    const forbidden = subscribe(stack.app.graphqlUrl, UPDATES, { requestId: 'x' }, { authorization: sendOnly });
    await forbidden.done;
    await forbidden.close();
    expect(JSON.stringify(forbidden.failure ?? forbidden.received)).toContain('FORBIDDEN');

    const acme = await tokenFor('alice', 'acme');
    const requestId = (
      await execute(
        stack.app.graphqlUrl,
        PublishPromotionSmsDocument,
        { input: { endpoints: [SIMULATOR_NUMBERS.delivered], smsTemplateId: 'tpl' } },
        acme,
      )
    ).data!.publishPromotionSms.requestId;
    const globex = await tokenFor('bob', 'globex');
    const foreign = subscribe(stack.app.graphqlUrl, UPDATES, { requestId }, globex);
    await foreign.done;
    await foreign.close();
    expect(JSON.stringify(foreign.failure ?? foreign.received)).toContain('No request with this requestId');
  });

  it('refuses the subscription past the bound on one connection', async () => {
    const token = (await tokenFor('alice', 'acme')).authorization;
    const client = createClient({
      url: stack.app.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: token },
      retryAttempts: 0,
    });
    const requestId = (
      await execute(
        stack.app.graphqlUrl,
        PublishPromotionSmsDocument,
        { input: { endpoints: [SIMULATOR_NUMBERS.delivered], smsTemplateId: 'tpl' } },
        { authorization: token },
      )
    ).data!.publishPromotionSms.requestId;
    const errors: unknown[] = [];
    const unsubscribes = Array.from({ length: MAX_SUBSCRIPTIONS_PER_CONNECTION + 1 }, () =>
      client.subscribe(
        { query: UPDATES, variables: { requestId } },
        {
          next: () => undefined,
          error: (error) => errors.push(error),
          complete: () => undefined,
        },
      ),
    );
    // The one past the limit is refused: its error arrives.
    await vi.waitFor(() => expect(errors).not.toEqual([]), { timeout: 10_000 });
    expect(JSON.stringify(errors)).toContain(
      `At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection`,
    );
    expect(errors).toHaveLength(1);
    for (const unsubscribe of unsubscribes) unsubscribe();
    await client.dispose();
  });
});
