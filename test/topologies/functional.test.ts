import { print } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AddOptOutsDocument, SmsDeliveryUpdatesDocument } from '../../client/generated.js';
import { envFor, startApp, type TestApp } from '../helpers/app.js';
import {
  addRecipients,
  addsUp,
  campaignReaches,
  createCampaign,
  NO_QUOTA,
  numbers,
  receivedNumbers,
  startCampaign,
} from '../helpers/campaigns.js';
import { subscribe } from '../helpers/events.js';
import { execute } from '../helpers/graphql.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { uniquePrefix } from '../helpers/redis.js';
import { startCluster, startSentinelGroup, stopAll } from '../helpers/redis-topologies.js';
import { startSimulatorProcess, type SimulatorProcess } from '../helpers/simulator-process.js';
import { SIMULATOR_ENDINGS } from '../../src/simulator/numbers.js';

/**
 * The service's promises on a highly available Redis (issue 26): two app replicas sharing one
 * Sentinel group (primary + replica + 3 sentinels) or one Cluster (3 primaries with a replica each),
 * each started from the installed redis-server. The same body runs on both.
 */

afterAll(stopAll);

const topologies = [
  { topology: 'sentinel', start: startSentinelGroup, base: 10_000_000 },
  { topology: 'cluster', start: startCluster, base: 20_000_000 },
] as const;

const codes = (result: Awaited<ReturnType<typeof publish>>) =>
  result.data?.publishPromotionSms.results.map((entry) => ('code' in entry ? entry.code : entry.__typename));

/** Batches this app sent for the campaign, from its own log lines. */
function batchesSentBy(app: TestApp, campaignId: string): number {
  return app.logs
    .entries()
    .filter((entry) => entry.campaignId === campaignId && entry.msg === 'promotion SMS batch published').length;
}

describe.each(topologies)('on a Redis $topology, two replicas behave as one', ({ topology, start, base }) => {
  let redis: Awaited<ReturnType<typeof start>>;
  let simulator: SimulatorProcess;
  let a: TestApp;
  let b: TestApp;
  /** Numbers of their own for each test: `take(n)` hands out the next n, none a simulator trap. */
  let next = base;
  const take = (count: number) => {
    const list = numbers(count, next);
    next += count * 2;
    return list;
  };

  beforeAll(async () => {
    // Reports right after a send: none is pending when the subscription test points SMN's events at A.
    [redis, simulator] = await Promise.all([start(), startSimulatorProcess({ SIMULATOR_REPORT_DELAY_MS: '0' })]);
    const certificate = await simulator.certificate();
    const env = envFor(simulator, {
      ...redis.env,
      ...NO_QUOTA,
      REDIS_KEY_PREFIX: uniquePrefix(),
      PER_NUMBER_DAILY_LIMIT: '2',
      CAMPAIGN_MESSAGES_PER_SECOND: '0',
      SMN_EVENTS: 'callback',
      SMN_EVENTS_CERT: certificate,
    });
    [a, b] = await Promise.all([startApp(env), startApp(env)]);
  }, 90_000);

  afterEach(async () => {
    await simulator.reset();
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await simulator?.stop();
    await redis?.stop();
  });

  it('/readyz is 200 on both replicas and names the topology', async () => {
    for (const app of [a, b]) {
      const response = await fetch(`${app.url}/readyz`);
      const body = (await response.json()) as { status: string; state: { ready: boolean; topology: string } };
      expect(response.status, JSON.stringify(body)).toBe(200);
      expect(body).toMatchObject({
        status: 'ready',
        checks: { state: 'up' },
        state: { ready: true, topology, role: 'master' },
      });
    }
  });

  it('REDIS_URL pointed at a sentinel or a Cluster node: refused at start, naming the setting to use', async () => {
    const port =
      topology === 'sentinel'
        ? (redis as Awaited<ReturnType<typeof startSentinelGroup>>).sentinels[0]!.port
        : (redis as Awaited<ReturnType<typeof startCluster>>).nodes[0]!.port;
    const refused = await startApp(
      envFor(simulator, { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_KEY_PREFIX: uniquePrefix() }),
    ).then(
      () => new Error('started'),
      (error: unknown) => error as Error,
    );
    expect(refused.message).toMatch(
      topology === 'sentinel'
        ? /is a Redis Sentinel: set REDIS_SENTINELS/
        : /is a Redis Cluster node: set REDIS_CLUSTER_NODES/,
    );
  });

  it('sends; an idempotent send on A then B is sent once and B answers replayed', async () => {
    const [plain, ...keyed] = take(3);
    expect(codes(await publish(b, promotionInput({ endpoints: [plain!] })))).toEqual(['SmsSent']);

    const input = promotionInput({ endpoints: keyed, idempotencyKey: `k-${topology}` });
    const first = await publish(a, input);
    expect(first.errors).toBeUndefined();
    expect(first.data?.publishPromotionSms).toMatchObject({ sentCount: 2, replayed: false });
    const again = await publish(b, input);
    expect(again.errors).toBeUndefined();
    expect(again.data?.publishPromotionSms).toMatchObject({
      requestId: first.data!.publishPromotionSms.requestId,
      sentCount: 2,
      replayed: true,
    });

    const received = await receivedNumbers(simulator);
    expect(received.sort()).toEqual([plain!, ...keyed].sort());
  });

  it('an opt-out added on A holds back a send through B', async () => {
    const [optedOut, other] = take(2);
    const added = await execute(a.graphqlUrl, AddOptOutsDocument, { input: { endpoints: [optedOut!] } });
    expect(added.data?.addOptOuts.changed).toBe(1);
    const held = await publish(b, promotionInput({ endpoints: [optedOut!, other!] }));
    expect(codes(held)).toEqual(['OPTED_OUT', 'SmsSent']);
    expect(held.data?.publishPromotionSms).toMatchObject({ sentCount: 1, suppressedCount: 1 });
    expect(await receivedNumbers(simulator)).toEqual([other!]);
  });

  it('the daily per-number limit (2) holds across A and B', async () => {
    const [number] = take(1);
    const send = (app: TestApp) => publish(app, promotionInput({ endpoints: [number!] }));
    expect(codes(await send(a))).toEqual(['SmsSent']);
    expect(codes(await send(b))).toEqual(['SmsSent']);
    expect(codes(await send(a))).toEqual(['DAILY_LIMIT_REACHED']);
    expect(codes(await send(b))).toEqual(['DAILY_LIMIT_REACHED']);
    expect(await receivedNumbers(simulator)).toEqual([number!, number!]);
  });

  it(
    'a 20,000-number campaign run by both replicas: sent=20000, each number received once',
    {
      timeout: 90_000,
    },
    async () => {
      const audience = take(20_000);
      const campaign = await createCampaign(a.graphqlUrl, { name: `Topology ${topology}` });
      await addRecipients(a.graphqlUrl, campaign.id, audience);
      await startCampaign(b.graphqlUrl, campaign.id);
      const done = await campaignReaches(a.graphqlUrl, campaign.id, 'COMPLETED', 80_000);
      expect(done).toMatchObject({
        recipients: 20_000,
        batches: 20,
        batchesDone: 20,
        sent: 20_000,
        failed: 0,
        suppressed: 0,
        unknown: 0,
        remaining: 0,
      });
      expect(addsUp(done)).toBe(true);

      const received = await receivedNumbers(simulator);
      const seen = new Set<string>();
      const twice = received.filter((number) => seen.has(number) || !seen.add(number));
      expect(twice).toEqual([]);
      expect(received).toHaveLength(20_000);
      expect([...seen].sort()).toEqual([...audience].sort());

      const byA = batchesSentBy(a, campaign.id);
      const byB = batchesSentBy(b, campaign.id);
      expect(byA + byB).toBe(20);
      expect(byA).toBeGreaterThan(0);
      expect(byB).toBeGreaterThan(0);
    },
  );

  it('a subscription on B hears the delivery report A received for a message sent through A', async () => {
    // Numbers SMN never reports by itself: the test posts each report when it chooses.
    const silent = Array.from(
      { length: 10 },
      () => `+86139${String(next++ % 10_000).padStart(4, '0')}${SIMULATOR_ENDINGS.neverReported}`,
    );
    const sent = await publish(a, promotionInput({ endpoints: silent }));
    expect(sent.data?.publishPromotionSms.sentCount).toBe(silent.length);
    const { requestId, results } = sent.data!.publishPromotionSms;
    const messageIds = results.map((result) => (result.__typename === 'SmsSent' ? result.messageId : ''));

    await simulator.subscribe(`${a.url}/smn/events`);
    const watch = subscribe(b.graphqlUrl, print(SmsDeliveryUpdatesDocument), { requestId });
    try {
      // graphql-ws does not acknowledge a subscribe: report one message after another until B hears
      // one (a report that reached A before B listened is simply not heard).
      const reported: string[] = [];
      await vi.waitFor(
        async () => {
          if (watch.received.length === 0) {
            const messageId = messageIds[reported.length];
            if (messageId === undefined) throw new Error('B heard none of the reports');
            reported.push(messageId);
            expect(await simulator.report({ messageId, statusDesc: 'DELIVRD' })).toBe(200);
          }
          expect(watch.received.length).toBeGreaterThan(0);
        },
        { timeout: 10_000, interval: 200 },
      );
      expect(watch.failure).toBeUndefined();
      const update = (watch.received[0]!.data as { smsDeliveryUpdates: Record<string, unknown> }).smsDeliveryUpdates;
      expect(reported).toContain(update.messageId);
      expect(update).toMatchObject({
        endpoint: silent[messageIds.indexOf(update.messageId as string)],
        delivery: { status: 'DELIVERED' },
      });
    } finally {
      await watch.close();
    }
  });

  it('neither replica logged an error along the way (CROSSSLOT, READONLY, a failed BullMQ job, ...)', () => {
    for (const app of [a, b]) {
      const errors = app.logs.entries().filter((entry) => (entry.level as number) >= 50);
      expect(errors.map((entry) => `${String(entry.msg)} ${JSON.stringify(entry.err ?? '')}`)).toEqual([]);
    }
  });
});
