import { describe, expect, it, vi } from 'vitest';
import {
  AddPromotionCampaignRecipientsDocument,
  CreatePromotionCampaignDocument,
  SmsCatalogDocument,
  SmsTemplateDocument,
  StartPromotionCampaignDocument,
} from '../../client/index.js';
import { execute, post } from '../helpers/graphql.js';
import { mint } from '../helpers/jwks.js';
import { REDIS_URL, redisForTests, uniquePrefix } from '../helpers/redis.js';
import { useStack } from '../helpers/stack.js';
import { SIMULATOR_IDS, SIMULATOR_ID_PREFIXES } from '../../src/simulator/numbers.js';
import { campaignReaches, numbers, receivedNumbers } from '../helpers/campaigns.js';

const redisAvailable = await redisForTests();
const stack = useStack({ auth: true, env: { QUOTA_RECIPIENTS_PER_MINUTE: '0', QUOTA_RECIPIENTS_PER_DAY: '0' } });
const as = async (scope = 'sms:read sms:promotion:send') => ({
  authorization: `Bearer ${await mint(stack.key, { scope, subject: 'catalog-user', claims: { tenant_id: 'catalog' } })}`,
});

describe('SMS templates and signatures from SMN', () => {
  it('lists templates across SMN pages behind our cursors, filters by name, reads one by id', async () => {
    const url = stack.app.graphqlUrl;
    const headers = await as();
    const first = await execute(url, SmsCatalogDocument, {}, headers);
    expect(first.errors).toBeUndefined();
    const page1 = first.data!.smsTemplates;
    expect(page1.nodes).toHaveLength(100);
    expect(page1.nodes[0]).toMatchObject({
      id: 'tpl_promo_demo',
      name: 'Promotion demo',
      type: 'CODE_3',
      smnType: '3',
      status: 'CODE_2',
      smnStatus: '2',
    });
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await execute(url, SmsCatalogDocument, { after: page1.pageInfo.endCursor ?? null }, headers);
    const page2 = second.data!.smsTemplates;
    expect(page2.nodes).toHaveLength(50);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect(new Set([...page1.nodes, ...page2.nodes].map((node) => node.id)).size).toBe(150);
    // SMN was asked with offset/limit: our cursor is its offset.
    expect(await stack.simulator.catalogCalls()).toEqual(
      expect.arrayContaining([expect.stringContaining('offset=100&limit=100')]),
    );

    const small = await execute(url, SmsCatalogDocument, { first: 20, name: 'demo' }, headers);
    expect(small.data!.smsTemplates.nodes.map((node) => node.id)).toEqual(['tpl_promo_demo']);
    expect(first.data!.smsSigns).toEqual([
      expect.objectContaining({ id: 'sign_demo', name: 'Demo Shop', overseas: false, type: '2' }),
      expect.objectContaining({ id: 'sign_global', overseas: true, reply: null }),
    ]);

    const one = await execute(url, SmsTemplateDocument, { id: 'tpl_promo_007' }, headers);
    expect(one.data?.smsTemplate).toMatchObject({ id: 'tpl_promo_007', reply: 'Approved after edits.' });
    expect(one.data?.smsTemplate?.validUntil).toMatch(/^2027-/);
    expect(
      (await execute(url, SmsTemplateDocument, { id: SIMULATOR_IDS.templateMissing }, headers)).data?.smsTemplate,
    ).toBeNull();
    const calls = (await stack.simulator.catalogCalls()).length;
    expect((await execute(url, SmsTemplateDocument, { id: 'not an id' }, headers)).data?.smsTemplate).toBeNull();
    expect(await stack.simulator.catalogCalls()).toHaveLength(calls);
    const badCursor = await execute(url, SmsCatalogDocument, { after: 'nope' }, headers);
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('caches answers per replica: repeated and concurrent queries within the TTL make one SMN call', async () => {
    const url = stack.app.graphqlUrl;
    const headers = await as();
    const before = (await stack.simulator.catalogCalls()).length;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => execute(url, SmsCatalogDocument, { first: 5, name: 'Promotion 1' }, headers)),
    );
    expect(answers.every((answer) => answer.data?.smsTemplates.nodes.length === 5)).toBe(true);
    await execute(url, SmsCatalogDocument, { first: 5, name: 'Promotion 1' }, headers);
    const calls = (await stack.simulator.catalogCalls()).slice(before);
    expect(calls.filter((call) => call.includes('sms_template_name=Promotion+1'))).toHaveLength(1);
  });

  it('SMN failing is SMN_UNAVAILABLE with the usual extensions (and is not cached)', async () => {
    const url = stack.app.graphqlUrl;
    const headers = await as();
    await stack.simulator.fault({ kind: 'status', status: 500, code: 'SMN.0018', times: 3 });
    const failed = await execute(url, SmsTemplateDocument, { id: 'tpl_failing_once' }, headers);
    expect(failed.errors?.[0]?.extensions).toMatchObject({
      code: 'SMN_UNAVAILABLE',
      delivery: 'NOT_SENT',
      smn: { httpStatus: 500, code: 'SMN.0018' },
    });
    await stack.simulator.reset();
    const again = await execute(url, SmsTemplateDocument, { id: 'tpl_failing_once' }, headers);
    expect(again.data?.smsTemplate?.id).toBe('tpl_failing_once');
  });

  it('needs sms:read', async () => {
    const url = stack.app.graphqlUrl;
    const sendOnly = await as('sms:promotion:send');
    expect((await execute(url, SmsCatalogDocument, {}, sendOnly)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await execute(url, SmsTemplateDocument, { id: 'x' }, sendOnly)).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await execute(url, SmsTemplateDocument, { id: 'x' })).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe('campaigns check their template and signature with SMN before starting', () => {
  async function draft(input: { smsTemplateId: string; signId?: string }) {
    const url = stack.app.graphqlUrl;
    const headers = await as();
    const created = await execute(
      url,
      CreatePromotionCampaignDocument,
      { input: { name: 'Checked', ...input } },
      headers,
    );
    const id = created.data!.createPromotionCampaign.id;
    await execute(
      url,
      AddPromotionCampaignRecipientsDocument,
      { input: { campaignId: id, endpoints: numbers(5) } },
      headers,
    );
    return { id, start: () => execute(url, StartPromotionCampaignDocument, { id }, headers), headers };
  }

  it('an unknown template or signature is refused at start, naming the field, with nothing sent', async () => {
    await stack.simulator.reset();
    const unknownTemplate = await draft({
      smsTemplateId: `${SIMULATOR_ID_PREFIXES.templateMissing}_campaign_template`,
    });
    const refused = await unknownTemplate.start();
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      status: 'DRAFT',
      validationErrors: [{ field: 'smsTemplateId' }],
    });
    const unknownSign = await draft({ smsTemplateId: 'tpl_promo_demo', signId: 'sign_nobody_made' });
    expect((await unknownSign.start()).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      validationErrors: [{ field: 'signId' }],
    });
    expect(await receivedNumbers(stack.simulator)).toEqual([]);
    const known = await draft({ smsTemplateId: 'tpl_promo_demo', signId: 'sign_demo' });
    expect((await known.start()).errors).toBeUndefined();
    await campaignReaches(stack.app.graphqlUrl, known.id, 'COMPLETED', 10_000, known.headers);
    // Once a started campaign has gone through, the refused two are still drafts that sent nothing:
    // SMN saw exactly one campaign's five numbers (all three drafts hold the same five).
    for (const refusedOne of [unknownTemplate, unknownSign]) {
      const status = await post<{ promotionCampaign: { status: string } }>(
        stack.app.graphqlUrl,
        'query ($id: ID!) { promotionCampaign(id: $id) { status } }',
        { id: refusedOne.id },
        refusedOne.headers,
      );
      expect(status.data?.promotionCampaign.status).toBe('DRAFT');
    }
    expect((await receivedNumbers(stack.simulator)).sort()).toEqual(numbers(5));
  });

  it('with the catalog unreadable, the start goes ahead and the log says the check was skipped', async () => {
    await stack.simulator.reset();
    const campaign = await draft({ smsTemplateId: 'tpl_never_looked_up' });
    // The template lookup fails (SMN down for reads); the batch after it goes through.
    await stack.simulator.fault({ kind: 'status', status: 503, code: 'SMN.0018' });
    const started = await campaign.start();
    expect(started.errors).toBeUndefined();
    const done = await campaignReaches(stack.app.graphqlUrl, campaign.id, 'COMPLETED', 10_000, campaign.headers);
    expect(done.sent).toBe(5);
    expect(stack.app.logs.text).toContain('template and signature check skipped');
  });
});

/** Only the template list (no signatures): one SMN call per distinct filter. */
const TEMPLATES_BY_NAME = `query Templates($name: String) { smsTemplates(first: 5, name: $name) { nodes { id } } }`;

describe('catalog reads: a per-caller limit on SMN calls (QUOTA_CATALOG_READS_PER_MINUTE) and the outbound gate', () => {
  const reader = async (subject: string) => ({
    authorization: `Bearer ${await mint(stack.key, {
      scope: 'sms:read sms:promotion:send',
      subject,
      claims: { tenant_id: 'catalog' },
    })}`,
  });
  const byName = (url: string, name: string, headers: Record<string, string>) =>
    post<{ smsTemplates: { nodes: Array<{ id: string }> } }>(url, TEMPLATES_BY_NAME, { name }, headers);
  const newCalls = async (since: number) => (await stack.simulator.catalogCalls()).slice(since);

  it('distinct name filters past the limit: RATE_LIMITED with a true retryAfterSeconds, SMN not called', async () => {
    await stack.withApp({ QUOTA_CATALOG_READS_PER_MINUTE: '3' }, async (app) => {
      const url = app.graphqlUrl;
      const alice = await reader('limited-alice');
      const before = (await stack.simulator.catalogCalls()).length;
      for (const name of ['Promotion 1', 'Promotion 2', 'Promotion 3']) {
        expect((await byName(url, name, alice)).errors).toBeUndefined();
      }
      expect(await newCalls(before)).toHaveLength(3);

      const refused = await byName(url, 'Promotion 4', alice);
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', delivery: 'NOT_SENT' });
      // The seconds until this caller's minute frees a call: the window opened moments ago.
      const retryAfter = refused.errors?.[0]?.extensions?.retryAfterSeconds as number;
      expect(retryAfter).toBeGreaterThan(50);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // A one-template read is an SMN call too, and a campaign start's check.
      const one = await execute(url, SmsTemplateDocument, { id: 'tpl_limited_one' }, alice);
      expect(one.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(await newCalls(before)).toHaveLength(3);

      // What SMN already answered is served from the cache, free, past the limit.
      const cached = await byName(url, 'Promotion 2', alice);
      expect(cached.errors).toBeUndefined();
      expect(cached.data?.smsTemplates.nodes.length).toBeGreaterThan(0);
      // Another caller has a limit of its own.
      const bob = await reader('limited-bob');
      expect((await byName(url, 'Promotion 4', bob)).errors).toBeUndefined();
      expect(await newCalls(before)).toHaveLength(4);
    });
  });

  it('thirty concurrent distinct filters (the issue) make exactly the limit of SMN calls; the rest are refused', async () => {
    await stack.withApp({ QUOTA_CATALOG_READS_PER_MINUTE: '5' }, async (app) => {
      const headers = await reader('burst-reader');
      const before = (await stack.simulator.catalogCalls()).length;
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, n) => byName(app.graphqlUrl, `burst ${n}`, headers)),
      );
      const codes = answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? 'ok');
      expect(codes.filter((code) => code === 'ok')).toHaveLength(5);
      expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(25);
      expect(await newCalls(before)).toHaveLength(5);
    });
  });

  it('readers joining a miss already under way cost nothing: one SMN call, charged to whoever made it', async () => {
    await stack.withApp({ QUOTA_CATALOG_READS_PER_MINUTE: '2' }, async (app) => {
      const first = await reader('joining-first');
      const others = await Promise.all(['join-a', 'join-b', 'join-c'].map((subject) => reader(subject)));
      const before = (await stack.simulator.catalogCalls()).length;
      await stack.simulator.fault({ kind: 'latency', latencyMs: 1_000 });
      const leading = byName(app.graphqlUrl, 'Promotion 7', first);
      // The first reader's call has reached SMN (and is held there); everyone else asks the same now.
      await vi.waitFor(async () => expect(await newCalls(before)).toHaveLength(1), { timeout: 8_000, interval: 100 });
      const joined = await Promise.all([
        ...others.map((other) => byName(app.graphqlUrl, 'Promotion 7', other)),
        ...Array.from({ length: 5 }, () => byName(app.graphqlUrl, 'Promotion 7', first)),
      ]);
      expect([await leading, ...joined].every((answer) => answer.errors === undefined)).toBe(true);
      expect(await newCalls(before)).toHaveLength(1);
      // The first reader paid one call of two; the others paid nothing and still have both.
      expect((await byName(app.graphqlUrl, 'join first 1', first)).errors).toBeUndefined();
      expect((await byName(app.graphqlUrl, 'join first 2', first)).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      for (const [n, other] of others.entries()) {
        expect((await byName(app.graphqlUrl, `join ${n} 1`, other)).errors).toBeUndefined();
        expect((await byName(app.graphqlUrl, `join ${n} 2`, other)).errors).toBeUndefined();
      }
      expect(await newCalls(before)).toHaveLength(1 + 1 + 2 * others.length);
    });
  });

  it("a campaign start's template check counts too: past the limit the start is refused, the campaign stays a DRAFT", async () => {
    await stack.withApp({ QUOTA_CATALOG_READS_PER_MINUTE: '1' }, async (app) => {
      const url = app.graphqlUrl;
      const headers = await reader('starting-reader');
      const created = await execute(
        url,
        CreatePromotionCampaignDocument,
        { input: { name: 'Limited', smsTemplateId: 'tpl_limited_start' } },
        headers,
      );
      const id = created.data!.createPromotionCampaign.id;
      await execute(
        url,
        AddPromotionCampaignRecipientsDocument,
        { input: { campaignId: id, endpoints: numbers(3) } },
        headers,
      );
      expect((await byName(url, 'Promotion 8', headers)).errors).toBeUndefined();
      await stack.simulator.reset();
      const refused = await execute(url, StartPromotionCampaignDocument, { id }, headers);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', delivery: 'NOT_SENT' });
      expect(await stack.simulator.catalogCalls()).toEqual([]);
      const still = await post<{ promotionCampaign: { status: string } }>(
        url,
        'query ($id: ID!) { promotionCampaign(id: $id) { status } }',
        { id },
        headers,
      );
      expect(still.data?.promotionCampaign.status).toBe('DRAFT');
      expect(await receivedNumbers(stack.simulator)).toEqual([]);
    });
  });

  it('aliases in one operation are each an SMN call and each charged: the limit holds inside one request', async () => {
    await stack.withApp({ QUOTA_CATALOG_READS_PER_MINUTE: '3' }, async (app) => {
      const headers = await reader('alias-reader');
      const before = (await stack.simulator.catalogCalls()).length;
      const fields = Array.from(
        { length: 8 },
        (_, n) => `t${n}: smsTemplates(first: 1, name: $n${n}) { nodes { id } }`,
      );
      const variables = Object.fromEntries(fields.map((_, n) => [`n${n}`, `alias filter ${n}`]));
      const query = `query (${fields.map((_, n) => `$n${n}: String`).join(', ')}) { ${fields.join(' ')} }`;
      const answer = await post<Record<string, unknown>>(app.graphqlUrl, query, variables, headers);
      // smsTemplates is non-null, so the first refused alias nulls the whole answer.
      expect(answer.data).toBeNull();
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', delivery: 'NOT_SENT' });
      // Every alias ran its resolver: three SMN calls, the other five refused before SMN.
      await vi.waitFor(async () => expect((await newCalls(before)).length).toBeGreaterThanOrEqual(3), {
        timeout: 8_000,
        interval: 100,
      });
      // The minute is spent: a fourth filter on its own is refused too.
      expect((await byName(app.graphqlUrl, 'alias filter 9', headers)).errors?.[0]?.extensions?.code).toBe(
        'RATE_LIMITED',
      );
      expect(await newCalls(before)).toHaveLength(3);
    });
  });

  it.runIf(redisAvailable)('with Redis the limit is one per caller across replicas', async () => {
    const shared = { REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix(), QUOTA_CATALOG_READS_PER_MINUTE: '3' };
    await stack.withApp(shared, async (first) => {
      await stack.withApp(shared, async (second) => {
        const headers = await reader('replicated-reader');
        const before = (await stack.simulator.catalogCalls()).length;
        expect((await byName(first.graphqlUrl, 'replica 1', headers)).errors).toBeUndefined();
        expect((await byName(second.graphqlUrl, 'replica 2', headers)).errors).toBeUndefined();
        expect((await byName(first.graphqlUrl, 'replica 3', headers)).errors).toBeUndefined();
        const refused = await byName(second.graphqlUrl, 'replica 4', headers);
        expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', delivery: 'NOT_SENT' });
        expect(refused.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(50);
        expect(await newCalls(before)).toHaveLength(3);
      });
    });
  });

  it('catalog SMN calls go through the outbound gate: one in flight, one waiting, the next refused', async () => {
    await stack.withApp(
      { SMN_MAX_CONCURRENT_CALLS: '1', SMN_MAX_QUEUED_CALLS: '1', SMN_QUEUE_TIMEOUT_MS: '5000' },
      async (app) => {
        const headers = await reader('gated-reader');
        await stack.simulator.reset();
        await stack.simulator.fault({ kind: 'latency', latencyMs: 1_000, times: 3 });
        const answers = await Promise.all(
          ['tpl_gate_1', 'tpl_gate_2', 'tpl_gate_3'].map((id) =>
            execute(app.graphqlUrl, SmsTemplateDocument, { id }, headers),
          ),
        );
        const codes = answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? 'ok');
        expect(codes.filter((code) => code === 'ok')).toHaveLength(2);
        expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(1);
        expect(await stack.simulator.catalogCalls()).toHaveLength(2);
      },
    );
  });
});
