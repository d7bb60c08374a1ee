import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { envFor, startApp, type TestApp } from '../helpers/app.js';
import {
  addRecipients,
  addsUp,
  createCampaign,
  NO_QUOTA,
  numbers,
  readCampaign,
  receivedNumbers,
  startCampaign,
  type CampaignView,
} from '../helpers/campaigns.js';
import { publish, promotionInput } from '../helpers/inputs.js';
import { execute } from '../helpers/graphql.js';
import { AddOptOutsDocument } from '../../client/generated.js';
import { redisForTests, uniquePrefix } from '../helpers/redis.js';
import {
  startCluster,
  startSentinelGroup,
  stopAll,
  type RedisClusterTopology,
  type RedisNode,
  type SentinelGroup,
} from '../helpers/redis-topologies.js';
import { startSimulatorProcess, type SimulatorProcess } from '../helpers/simulator-process.js';

/**
 * Issue 26, "failover without double sends", proven with real processes: a Sentinel group (primary,
 * replica, three sentinels) and a Cluster (three primaries, three replicas) from the installed
 * redis-server, two app replicas over HTTP, and the SMN simulator as a process of its own. Redis is
 * failed over (SENTINEL FAILOVER, CLUSTER FAILOVER, a primary SIGKILLed) while a campaign or keyed
 * sends are going out. At the simulator no number is ever received twice; the counts add up
 * (`unknown` allowed: a batch that may have gone out is never sent again).
 */

const redisAvailable = await redisForTests();

/** Campaign pace: a 1000-number batch about every 1.4 s, so a campaign outlasts a failover. */
const RATE = 700;
const RECIPIENTS = 14_000;

let simulator: SimulatorProcess;
const apps: TestApp[] = [];

beforeAll(async () => {
  if (redisAvailable) simulator = await startSimulatorProcess({ SIMULATOR_REPORT_DELAY_MS: '600000' });
});
afterEach(async () => {
  await Promise.allSettled(apps.splice(0).map((app) => app.close()));
});
afterAll(async () => {
  await stopAll();
  await simulator?.stop();
});

async function replicas(env: Record<string, string>, count = 2): Promise<TestApp[]> {
  const started = await Promise.all(Array.from({ length: count }, () => startApp(env)));
  apps.push(...started);
  return started;
}

const appEnv = (topology: Record<string, string>, extra: Record<string, string> = {}) =>
  envFor(simulator, {
    ...topology,
    ...NO_QUOTA,
    REDIS_KEY_PREFIX: uniquePrefix(),
    CAMPAIGN_MESSAGES_PER_SECOND: String(RATE),
    LOG_LEVEL: 'info',
    ...extra,
  });

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** What one scenario measured, printed for the record. */
function report(scenario: string, facts: Record<string, unknown>): void {
  console.log(`[failover] ${scenario}: ${JSON.stringify(facts)}`);
}

/** How often each number appears in `list`, only those more than once. */
function duplicates(list: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const number of list) counts.set(number, (counts.get(number) ?? 0) + 1);
  return new Map([...counts].filter(([, count]) => count > 1));
}

/** Waits until the campaign has recorded at least `batches` batches (read through any replica). */
function batchesDone(urls: readonly string[], id: string, batches: number, timeout = 30_000) {
  return vi.waitFor(
    async () => {
      const views = await Promise.all(urls.map((url) => readCampaign(url, id).catch(() => undefined)));
      expect(Math.max(...views.map((view) => view?.batchesDone ?? 0))).toBeGreaterThanOrEqual(batches);
    },
    { timeout, interval: 100 },
  );
}

/** The campaign's final state, read through whichever replica answers. */
function completed(urls: readonly string[], id: string, timeout = 120_000): Promise<CampaignView> {
  return vi.waitFor(
    async () => {
      for (const url of urls) {
        const view = await readCampaign(url, id).catch(() => undefined);
        if (view?.status === 'COMPLETED') return view;
      }
      throw new Error('not completed yet');
    },
    { timeout, interval: 200 },
  );
}

/**
 * A campaign of RECIPIENTS numbers on two replicas; `disrupt` runs once `afterBatches` batches are
 * recorded. Answers the final campaign and what the simulator received, and checks the promises:
 * counts add up, no number received twice, every number received counted sent or unknown.
 */
async function campaignThrough(
  scenario: string,
  env: Record<string, string>,
  start: number,
  disrupt: (campaignId: string, prefix: string) => Promise<void>,
  afterBatches = 3,
) {
  await simulator.reset();
  const [first, second] = await replicas(env);
  const urls = [first!.graphqlUrl, second!.graphqlUrl];
  const audience = numbers(RECIPIENTS, start);
  const campaign = await createCampaign(first!.graphqlUrl, { messagesPerSecond: RATE });
  await addRecipients(first!.graphqlUrl, campaign.id, audience);
  const began = Date.now();
  await startCampaign(second!.graphqlUrl, campaign.id);
  await batchesDone(urls, campaign.id, afterBatches);
  const disruptedAt = Date.now();
  await disrupt(campaign.id, env.REDIS_KEY_PREFIX!);
  const disruptionMs = Date.now() - disruptedAt;
  const done = await completed(urls, campaign.id);
  const totalMs = Date.now() - began;
  const received = await receivedNumbers(simulator);
  const twice = duplicates(received);
  const distinct = new Set(received);
  report(scenario, {
    recipients: done.recipients,
    sent: done.sent,
    failed: done.failed,
    suppressed: done.suppressed,
    unknown: done.unknown,
    received: received.length,
    distinctReceived: distinct.size,
    duplicates: twice.size,
    disruptionS: seconds(disruptionMs),
    campaignS: seconds(totalMs),
  });

  expect(twice.size, `numbers received twice: ${twice.size}`).toBe(0);
  expect(done.recipients).toBe(RECIPIENTS);
  expect(done.remaining).toBe(0);
  expect(addsUp(done)).toBe(true);
  expect(done.sent + done.failed + done.suppressed + done.unknown).toBe(RECIPIENTS);
  expect(done.sent).toBeLessThanOrEqual(distinct.size);
  // Every number SMN got is counted sent or unknown, and it is one of the campaign's.
  expect(received.length).toBeLessThanOrEqual(done.sent + done.unknown);
  const wanted = new Set(audience);
  expect(received.filter((number) => !wanted.has(number))).toEqual([]);
  return { done, received };
}

// ---------------------------------------------------------------------------------------------
// Keyed sends retried by their clients.

type Final = 'sent' | 'failed' | 'unknown' | 'state-unavailable' | `other:${string}`;

interface KeyedOutcome {
  readonly key: string;
  readonly number: string;
  readonly final: Final;
  readonly attempts: number;
  readonly answers: string[];
}

/**
 * Sends one number with `key` as a client that retries would: again, same key and input, after a
 * transport error, an HTTP 5xx or a NOT_SENT refusal, until a definite answer (sent, failed, UNKNOWN)
 * or `deadline`.
 */
async function sendUntilDefinite(
  targets: readonly TestApp[],
  key: string,
  number: string,
  deadline: number,
): Promise<KeyedOutcome> {
  const answers: string[] = [];
  for (let attempt = 0; ; attempt++) {
    const target = targets[attempt % targets.length]!;
    let answer: string;
    try {
      const result = await publish(target, promotionInput({ endpoints: [number], idempotencyKey: key }));
      const payload = result.data?.publishPromotionSms;
      if (payload) {
        answers.push(payload.replayed ? 'replayed' : 'answered');
        const final = payload.sentCount === 1 ? 'sent' : 'failed';
        return { key, number, final, attempts: attempt + 1, answers };
      }
      const extensions = result.errors?.[0]?.extensions ?? {};
      const code = String(extensions.code ?? `HTTP ${result.status}`);
      answer = `${code}/${String(extensions.delivery)}`;
      answers.push(answer);
      if (extensions.delivery === 'UNKNOWN') return { key, number, final: 'unknown', attempts: attempt + 1, answers };
      const retryable = extensions.delivery === 'NOT_SENT' || result.status >= 500 || code === 'INTERNAL_SERVER_ERROR';
      if (!retryable) return { key, number, final: `other:${answer}`, attempts: attempt + 1, answers };
      if (Date.now() > deadline) {
        const final: Final = code === 'STATE_UNAVAILABLE' ? 'state-unavailable' : `other:${answer}`;
        return { key, number, final, attempts: attempt + 1, answers };
      }
    } catch (error) {
      answers.push(`transport: ${(error as Error).message}`);
      if (Date.now() > deadline) return { key, number, final: 'other:transport', attempts: attempt + 1, answers };
    }
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------

describe.runIf(redisAvailable)('failover without double sends: Sentinel', () => {
  let group: SentinelGroup;
  beforeAll(async () => {
    group = await startSentinelGroup();
    report('sentinel group', { nodes: group.nodes.map((n) => n.port), sentinels: group.sentinels.map((s) => s.port) });
  }, 60_000);
  afterAll(async () => {
    await group?.stop();
  });

  const replicaOf = async (): Promise<RedisNode> => {
    const primary = await group.primary();
    return group.nodes.find((node) => node.port !== primary.port)!;
  };

  it(
    'WAIT not acknowledged (replica frozen): STATE_UNAVAILABLE, NOT_SENT, nothing at SMN; once back, sent once',
    { timeout: 60_000 },
    async () => {
      await simulator.reset();
      const [app] = await replicas(appEnv(group.env, { REDIS_WAIT_MS: '200' }), 1);
      const replica = await replicaOf();
      const input = promotionInput({ endpoints: ['+8613899990001'], idempotencyKey: 'frozen-replica-1' });
      replica.pause();
      let refusedMs: number;
      try {
        const began = Date.now();
        const refused = await publish(app!, input);
        refusedMs = Date.now() - began;
        expect(refused.data?.publishPromotionSms ?? null).toBeNull();
        expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'STATE_UNAVAILABLE', delivery: 'NOT_SENT' });
        // The refusal came after SMN would have been called: nothing reached it.
        expect(await simulator.requests()).toEqual([]);
        // An opt-out change answers only once a replica has it, too.
        const optOut = await execute(app!.graphqlUrl, AddOptOutsDocument, { input: { endpoints: ['+8613899990002'] } });
        expect(optOut.errors?.[0]?.extensions?.code).toBe('STATE_UNAVAILABLE');
      } finally {
        replica.resume();
      }
      const sent = await vi.waitFor(
        async () => {
          const result = await publish(app!, input);
          expect(result.data?.publishPromotionSms).toMatchObject({ sentCount: 1, replayed: false });
          return result;
        },
        { timeout: 20_000, interval: 200 },
      );
      expect(sent.errors).toBeUndefined();
      const again = await publish(app!, input);
      expect(again.data?.publishPromotionSms).toMatchObject({ sentCount: 1, replayed: true });
      expect(await receivedNumbers(simulator)).toEqual(['+8613899990001']);
      report('WAIT refusal', { refusedMs, received: 1 });
    },
  );

  it(
    'SENTINEL FAILOVER mid-campaign on two replicas: completes, counts add up, no number twice',
    { timeout: 150_000 },
    async () => {
      const { done } = await campaignThrough('sentinel campaign', appEnv(group.env), 1_000_000, () => group.failover());
      // A planned failover loses nothing: every batch is sent once, none fails.
      expect(done.failed).toBe(0);
    },
  );

  it(
    'SENTINEL FAILOVER during keyed sends retried by their clients: every key sent at most once',
    { timeout: 150_000 },
    async () => {
      await simulator.reset();
      // A claim left pending is answered UNKNOWN after this wait, not the default 15 s.
      const targets = await replicas(appEnv(group.env, { IDEMPOTENCY_WAIT_MS: '2000' }));
      const pool = numbers(30_000, 2_000_000);
      const outcomes: KeyedOutcome[] = [];
      let next = 0;
      let stop = false;
      const client = async (id: number) => {
        while (!stop) {
          const index = next++;
          const deadline = Date.now() + 40_000;
          const order = id % 2 === 0 ? targets : [...targets].reverse();
          outcomes.push(await sendUntilDefinite(order, `client-${id}-key-${index}`, pool[index]!, deadline));
        }
      };
      const clients = Array.from({ length: 4 }, (_, id) => client(id));
      await vi.waitFor(() => expect(outcomes.length).toBeGreaterThanOrEqual(40), { timeout: 20_000, interval: 50 });
      const before = outcomes.length;
      const began = Date.now();
      try {
        await group.failover();
      } finally {
        const failoverMs = Date.now() - began;
        const during = outcomes.length - before;
        // Keys keep being sent once the new primary took over.
        await vi
          .waitFor(() => expect(outcomes.length).toBeGreaterThanOrEqual(before + during + 40), {
            timeout: 45_000,
            interval: 50,
          })
          .finally(() => (stop = true));
        await Promise.all(clients);
        report('sentinel keyed (during failover)', {
          keysBefore: before,
          keysDuringFailover: during,
          failoverS: seconds(failoverMs),
        });
      }

      // Every key once more, as a client that lost the answer: nothing new is sent.
      const countBefore = (await receivedNumbers(simulator)).length;
      const replays = await Promise.all(
        outcomes
          .filter((outcome) => outcome.final === 'sent' || outcome.final === 'unknown')
          .slice(0, 200)
          .map((outcome) =>
            publish(targets[1]!, promotionInput({ endpoints: [outcome.number], idempotencyKey: outcome.key })),
          ),
      );
      for (const replay of replays) {
        const payload = replay.data?.publishPromotionSms;
        if (payload) expect(payload.replayed).toBe(true);
        else expect(replay.errors?.[0]?.extensions?.delivery).toBe('UNKNOWN');
      }

      const received = await receivedNumbers(simulator);
      expect(received.length).toBe(countBefore);
      const twice = duplicates(received);
      const tally = new Map<string, number>();
      for (const outcome of outcomes) tally.set(outcome.final, (tally.get(outcome.final) ?? 0) + 1);
      const retried = outcomes.filter((outcome) => outcome.attempts > 1);
      const answerKinds = new Map<string, number>();
      for (const outcome of retried)
        for (const answer of outcome.answers) answerKinds.set(answer, (answerKinds.get(answer) ?? 0) + 1);
      report('sentinel keyed', {
        keys: outcomes.length,
        ...Object.fromEntries(tally),
        retriedKeys: retried.length,
        answersOfRetriedKeys: Object.fromEntries(answerKinds),
        received: received.length,
        duplicates: twice.size,
        unknownKeys: outcomes
          .filter((outcome) => outcome.final === 'unknown')
          .map((outcome) => ({ received: received.includes(outcome.number), answers: outcome.answers })),
      });

      expect(twice.size, `numbers received twice: ${[...twice.keys()].length}`).toBe(0);
      const counts = new Map(received.map((number) => [number, 1]));
      for (const outcome of outcomes) {
        expect(['sent', 'unknown', 'state-unavailable'], `${outcome.key}: ${outcome.answers.join(', ')}`).toContain(
          outcome.final,
        );
        if (outcome.final === 'sent') expect(counts.get(outcome.number), outcome.key).toBe(1);
      }
      expect(tally.get('sent') ?? 0).toBeGreaterThan(before);
    },
  );
});

describe.runIf(redisAvailable)('failover without double sends: Cluster', () => {
  let cluster: RedisClusterTopology;
  beforeAll(async () => {
    cluster = await startCluster();
    report('cluster', { nodes: cluster.nodes.map((n) => n.port) });
  }, 90_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  /** The primary holding the campaign's keys (they share the campaign id's hash tag). */
  const ownerOf = async (campaignId: string, prefix: string): Promise<RedisNode> => {
    const key = `${prefix}v1:campaign:{${campaignId}}`;
    for (const node of await cluster.primaries()) {
      if ((await node.cli('EXISTS', key).catch(() => 'moved')) === '1') return node;
    }
    throw new Error(`no primary holds ${key}`);
  };

  it(
    'CLUSTER FAILOVER of the campaign primary mid-campaign: completes, counts add up, no number twice',
    { timeout: 150_000 },
    async () => {
      const { done } = await campaignThrough('cluster failover', appEnv(cluster.env), 3_000_000, async (id, prefix) => {
        const primary = await ownerOf(id, prefix);
        await cluster.failover(await cluster.replicaOf(primary));
      });
      // A planned failover loses nothing: the claims follow the new primary, no batch fails.
      expect(done.failed).toBe(0);
    },
  );

  it(
    'the campaign primary SIGKILLed mid-campaign: its replica promoted, no number twice, counts add up',
    { timeout: 150_000 },
    async () => {
      let killed: RedisNode | undefined;
      try {
        await campaignThrough('cluster SIGKILL', appEnv(cluster.env), 4_000_000, async (id, prefix) => {
          const primary = await ownerOf(id, prefix);
          const replica = await cluster.replicaOf(primary);
          killed = primary;
          await primary.kill();
          await vi.waitFor(
            async () => {
              expect(JSON.parse(await replica.cli('ROLE'))[0]).toBe('master');
              expect(await replica.cli('CLUSTER', 'INFO')).toMatch(/cluster_state:ok/);
            },
            { timeout: 30_000, interval: 200 },
          );
          // The old primary comes back empty and rejoins as the new primary's replica.
          await primary.start();
          await vi.waitFor(
            async () => {
              const role = JSON.parse(await primary.cli('ROLE')) as unknown[];
              expect(role[0]).toBe('slave');
              expect(role[2]).toBe(replica.port);
              expect(role[3]).toBe('connected');
            },
            { timeout: 30_000, interval: 200 },
          );
        });
      } finally {
        if (killed) await killed.start().catch(() => undefined);
      }
    },
  );
});
