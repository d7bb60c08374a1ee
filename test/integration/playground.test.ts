import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../helpers/app.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (process.env.CI) throw new Error(`the playground browser test is required in CI, but ${CHROMIUM} is missing`);
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPING the playground browser test: no ${CHROMIUM} (apt-get install chromium)\n${'!'.repeat(78)}\n`,
  );
}

let app: TestApp;
let browser: Browser;

describe.skipIf(!hasChromium)('the playground in a real browser (headless Chromium)', () => {
  beforeAll(async () => {
    // The two-command default: no credentials, the embedded simulator, auth off.
    app = await startApp({});
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('loads from the service alone, runs the example mutation on click, and shows SmsSent and SmsFailed', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const hosts = new Set<string>();
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol.startsWith('http')) hosts.add(url.host);
    });
    await page.goto(`${app.url}/graphql`, { waitUntil: 'networkidle' });
    const execute = page.locator('.graphiql-execute-button');
    await execute.waitFor({ timeout: 15_000 });
    await expect(page.locator('.graphiql-query-editor').innerText()).resolves.toContain('publishPromotionSms');

    await execute.click();
    await expect
      .poll(() => page.locator('.graphiql-response').innerText(), { timeout: 15_000 })
      .toMatch(/SmsSent[\s\S]*SmsFailed|SmsFailed[\s\S]*SmsSent/);
    const response = await page.locator('.graphiql-response').innerText();
    expect(response).toContain('SMN.0167');
    expect(response).toContain('"duplicatesRemoved": 1');

    expect([...hosts]).toEqual([new URL(app.url).host]);
    await mkdir('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/playground.png' });
    if (process.env.UPDATE_SCREENSHOTS) await copyFile('test-output/playground.png', 'docs/playground.png');
    await page.close();
  });

  it('runs a subscription over graphql-ws from its tab (the answer comes from the WebSocket path)', async () => {
    // A context of its own: GraphiQL remembers the last operation name in localStorage.
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    const page = await context.newPage();
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await page.goto(`${app.url}/graphql`, { waitUntil: 'networkidle' });
    await page.locator('.graphiql-tab', { hasText: 'SmsDeliveryUpdates' }).first().click();
    await expect
      .poll(() => page.locator('.graphiql-query-editor').innerText(), { timeout: 15_000 })
      .toContain('smsDeliveryUpdates');
    // GraphiQL 4 loads a tab's variables only for the first tab: fill them in, as a user would.
    await page.evaluate(`document.querySelector('.graphiql-editor-tool .CodeMirror').CodeMirror.setValue(
      '{ "requestId": "no-such-request" }')`);
    await page.locator('.graphiql-execute-button').click();
    await expect
      .poll(() => page.locator('.graphiql-response').innerText(), { timeout: 15_000 })
      .toContain('No request with this requestId');
    expect(sockets).toEqual([`${app.url.replace('http', 'ws')}/graphql`]);
    await context.close();
  });

  it('the send tab offers "follow deliveries": its requestId filled in, the updates arrive and the subscription completes', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    const page = await context.newPage();
    await page.goto(`${app.url}/graphql`, { waitUntil: 'networkidle' });
    const response = () => page.locator('.graphiql-response').innerText();
    const execute = page.locator('.graphiql-execute-button');
    await execute.waitFor({ timeout: 15_000 });
    // No send yet: nothing to follow.
    expect(await page.locator('#follow-deliveries').count()).toBe(0);
    await execute.click();
    await expect.poll(response, { timeout: 15_000 }).toContain('SmsSent');
    const requestId = /"requestId": "([^"]+)"/.exec(await response())![1]!;
    await page.locator('#follow-deliveries').click();
    await expect
      .poll(() => page.locator('.graphiql-query-editor').innerText(), { timeout: 15_000 })
      .toContain('smsDeliveryUpdates');
    await expect
      .poll(() => page.locator('.graphiql-editor-tool .CodeMirror').first().innerText(), { timeout: 15_000 })
      .toContain(requestId);
    // Both accepted numbers are reported DELIVERED (about a second later): updates arrive, then the
    // subscription completes and the button offers to execute again.
    await expect.poll(response, { timeout: 15_000 }).toMatch(/"smsDeliveryUpdates"[\s\S]*"status": "DELIVERED"/);
    await expect.poll(() => execute.getAttribute('aria-label'), { timeout: 15_000 }).toBe('Execute query (Ctrl-Enter)');
    await mkdir('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/playground-follow-deliveries.png' });
    await context.close();
  });

  it('walks the campaign tabs: create, add, start, and watch its updates over graphql-ws', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    const page = await context.newPage();
    await page.goto(`${app.url}/graphql`, { waitUntil: 'networkidle' });
    const response = () => page.locator('.graphiql-response').innerText();
    /** Opens a tab, fills its variables as a user would, runs it and waits for `expected`. */
    const run = async (tab: string, variables: unknown, expected: RegExp) => {
      await page.locator('.graphiql-tab').getByText(tab, { exact: true }).first().click();
      await page.evaluate(
        `document.querySelector('.graphiql-editor-tool .CodeMirror').CodeMirror.setValue(${JSON.stringify(JSON.stringify(variables))})`,
      );
      await page.locator('.graphiql-execute-button').click();
      await expect.poll(response, { timeout: 15_000 }).toMatch(expected);
      return response();
    };
    const created = await run(
      'CreatePromotionCampaign',
      { input: { name: 'From the playground', smsTemplateId: 'tpl_promo_demo' } },
      /"status": "DRAFT"/,
    );
    const id = /"id": "(cmp_\w+)"/.exec(created)![1]!;
    // The next campaign tab opens with the id carried over from the create.
    for (const tab of ['AddPromotionCampaignRecipients', 'StartPromotionCampaign']) {
      await page.locator('.graphiql-tab').getByText(tab, { exact: true }).first().click();
      await expect
        .poll(() => page.locator('.graphiql-editor-tool .CodeMirror').first().innerText(), { timeout: 15_000 })
        .toContain(id);
    }
    const added = await run(
      'AddPromotionCampaignRecipients',
      { input: { campaignId: id, endpoints: ['+8613812345678', '13812345678', 'nope'], skipInvalid: true } },
      /"added": 1/,
    );
    expect(added).toContain('"duplicatesRemoved": 1');
    expect(added).toContain('"invalid": 1');
    // Watch from its tab, then start the campaign from outside the page: the update arrives in the tab.
    await run('PromotionCampaignUpdates', { id }, /Listening|subscription|^$|/);
    await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { startPromotionCampaign(id: "${id}") { status } }` }),
    });
    await expect.poll(response, { timeout: 15_000 }).toMatch(/"promotionCampaignUpdates"[\s\S]*"sent": 1/);
    await run('PromotionCampaign', { id }, /"status": "COMPLETED"/);
    // Pick, don't paste: the templates and signatures tab lists what SMN has.
    const catalog = await run('SmsCatalog', { first: 5, name: 'demo' }, /"smsSigns"/);
    expect(catalog).toContain('"id": "tpl_promo_demo"');
    expect(catalog).toContain('"id": "sign_demo"');
    await mkdir('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/playground-campaign.png' });
    await context.close();
  });

  it('says on its page that under TRUSTED_DOCUMENTS=require its documents need the ad-hoc scope', async () => {
    const strict = await startApp({ TRUSTED_DOCUMENTS: 'require' });
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    try {
      await page.goto(`${strict.url}/graphql`, { waitUntil: 'networkidle' });
      const notice = page.locator('#trusted-documents-notice');
      await expect(notice.innerText()).resolves.toContain('graphql:adhoc');
      const execute = page.locator('.graphiql-execute-button');
      await execute.waitFor({ timeout: 15_000 });
      await execute.click();
      await expect
        .poll(() => page.locator('.graphiql-response').innerText(), { timeout: 15_000 })
        .toContain('PERSISTED_QUERY_NOT_ALLOWED');
    } finally {
      await page.close();
      await strict.close();
    }
    // The default page has no such notice.
    const relaxed = await browser.newPage();
    await relaxed.goto(`${app.url}/graphql`, { waitUntil: 'domcontentloaded' });
    expect(await relaxed.locator('#trusted-documents-notice').count()).toBe(0);
    await relaxed.close();
  });
});
