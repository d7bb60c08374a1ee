import { Webhook } from 'standardwebhooks';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { createMemoryWebhookQueue } from '../../src/state/memory-webhook-queue.js';
import { createMemoryWebhookStore } from '../../src/state/memory-webhook-store.js';
import type { Clock } from '../../src/util/clock.js';
import { DEFAULT_RETRY_TIMING, deliverOnce, type DeliverDeps } from '../../src/webhooks/deliver.js';
import type { SentWebhook, WebhookSender } from '../../src/webhooks/http-sender.js';
import type { WebhookJob } from '../../src/webhooks/queue.js';
import { createWebhooks, SECRET_GRACE_MS } from '../../src/webhooks/webhooks.js';

/** The delivery use case over the memory store, a fake sender and a clock the test moves. */

const logger = createLogger({ level: 'silent', pretty: false });
const START = new Date('2026-12-05T12:00:00Z');
const ACME = { sub: 'u1', tenant: 'acme', scopes: new Set<string>() };
const OTHER = { sub: 'u2', tenant: 'other', scopes: new Set<string>() };

function movableClock() {
  let now = START.getTime();
  const clock: Clock & { set(at: number): void; advance(ms: number): void } = {
    now: () => new Date(now),
    set: (at) => void (now = at),
    advance: (ms) => void (now += ms),
  };
  return clock;
}

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
}

async function world(answers: (call: number) => SentWebhook = () => ({ statusCode: 200, durationMs: 1 })) {
  const clock = movableClock();
  const store = createMemoryWebhookStore();
  const jobs: WebhookJob[] = [];
  const queue = {
    kind: 'memory' as const,
    add: (job: WebhookJob) => {
      jobs.push(job);
      return Promise.resolve();
    },
    work: () => undefined,
    depth: () => Promise.resolve(jobs.length),
    close: () => Promise.resolve(),
  };
  const webhooks = createWebhooks({
    store,
    queue,
    urls: { httpsOnly: false, allowPrivate: false },
    maxEndpoints: 2,
    clock,
    logger,
  });
  const sent: Sent[] = [];
  const send: WebhookSender = (url, headers, body) => {
    sent.push({ url, headers, body });
    return Promise.resolve(answers(sent.length));
  };
  const gaveUp = vi.fn();
  const deps: DeliverDeps = { store, send, clock, timing: DEFAULT_RETRY_TIMING, logger, gaveUp };
  return { clock, store, jobs, webhooks, sent, deps, gaveUp };
}

const event = (tenant = 'acme') => ({
  tenant,
  type: 'MESSAGE_DELIVERY_CHANGED' as const,
  subject: 'msg-1',
  at: START,
  data: { messageId: 'msg-1', status: 'DELIVERED' },
});

describe('deliverOnce', () => {
  it('signs per Standard Webhooks: the standardwebhooks library verifies what a receiver gets', async () => {
    const w = await world();
    const { secret } = await w.webhooks.create(ACME, {
      url: 'https://hooks.example.com/in',
      events: ['MESSAGE_DELIVERY_CHANGED'],
    });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(await w.webhooks.dispatch(event())).toBe(1);
    expect(await deliverOnce(w.deps, w.jobs[0]!)).toEqual({ type: 'done' });
    const [{ headers, body }] = w.sent as [Sent];
    expect(headers['webhook-id']).toBe(w.jobs[0]!.deliveryId);
    expect(headers['webhook-timestamp']).toBe(String(START.getTime() / 1000));
    // Verified as of the signing time (the library refuses timestamps 5 minutes off).
    vi.useFakeTimers({ now: START, toFake: ['Date'] });
    try {
      expect(new Webhook(secret).verify(body, headers)).toEqual({
        type: 'MESSAGE_DELIVERY_CHANGED',
        timestamp: START.toISOString(),
        data: { messageId: 'msg-1', status: 'DELIVERED' },
      });
      expect(() => new Webhook(secret).verify(body.replace('DELIVERED', 'FAILED'), headers)).toThrow();
    } finally {
      vi.useRealTimers();
    }
  });

  it('retries a failing receiver with a doubling backoff (5 s … 1 h) and gives up 24 h after the event', async () => {
    const w = await world(() => ({ statusCode: 503, body: 'busy', durationMs: 2 }));
    await w.webhooks.create(ACME, { url: 'https://hooks.example.com/in', events: ['MESSAGE_DELIVERY_CHANGED'] });
    await w.webhooks.dispatch(event());
    let job = w.jobs[0]!;
    const delays: number[] = [];
    for (;;) {
      const verdict = await deliverOnce(w.deps, job);
      if (verdict.type === 'done') break;
      delays.push(verdict.at - w.clock.now().getTime());
      w.clock.set(verdict.at);
      job = verdict.job;
    }
    expect(delays.slice(0, 12)).toEqual(
      [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600].map((s) => s * 1000),
    );
    expect(delays.every((delay) => delay <= 3_600_000)).toBe(true);
    // The last attempt is within 24 h of the event; the next would have been past it.
    const last = w.clock.now().getTime() - START.getTime();
    expect(last).toBeLessThanOrEqual(24 * 3_600_000);
    expect(last + 3_600_000).toBeGreaterThan(24 * 3_600_000);
    expect(w.sent).toHaveLength(delays.length + 1);
    expect(w.gaveUp).toHaveBeenCalledWith('MESSAGE_DELIVERY_CHANGED');
    const [delivery] = (await w.webhooks.deliveries(ACME, job.endpointId, 10)).deliveries;
    expect(delivery).toMatchObject({ status: 'FAILED', attemptCount: w.sent.length, nextAttemptAt: undefined });
    expect(delivery!.attempts).toHaveLength(10);
    expect(delivery!.attempts.at(-1)).toMatchObject({ statusCode: 503, responseBody: 'busy' });
  });

  it('a timeout counts as a failure; a later 2xx ends the retries', async () => {
    const w = await world((call) =>
      call < 3 ? { error: 'no complete answer within 5000 ms', durationMs: 5000 } : { statusCode: 204, durationMs: 3 },
    );
    await w.webhooks.create(ACME, { url: 'https://hooks.example.com/in', events: ['MESSAGE_DELIVERY_CHANGED'] });
    await w.webhooks.dispatch(event());
    let job = w.jobs[0]!;
    let verdict = await deliverOnce(w.deps, job);
    while (verdict.type === 'later') {
      w.clock.set(verdict.at);
      job = verdict.job;
      verdict = await deliverOnce(w.deps, job);
    }
    const [delivery] = (await w.webhooks.deliveries(ACME, job.endpointId, 10)).deliveries;
    expect(delivery).toMatchObject({ status: 'SUCCEEDED', attemptCount: 3 });
    expect(delivery!.attempts.map((attempt) => attempt.statusCode ?? attempt.error)).toEqual([
      'no complete answer within 5000 ms',
      'no complete answer within 5000 ms',
      204,
    ]);
  });

  it('after a rotation both secrets sign for 24 h, then only the new one', async () => {
    const w = await world();
    const created = await w.webhooks.create(ACME, {
      url: 'https://hooks.example.com/in',
      events: ['MESSAGE_DELIVERY_CHANGED'],
    });
    const rotated = await w.webhooks.rotate(ACME, created.endpoint.id);
    expect(rotated.secret).not.toBe(created.secret);
    await w.webhooks.dispatch(event());
    await deliverOnce(w.deps, w.jobs[0]!);
    expect(w.sent[0]!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    vi.useFakeTimers({ now: START, toFake: ['Date'] });
    try {
      for (const secret of [created.secret, rotated.secret]) {
        expect(() => new Webhook(secret).verify(w.sent[0]!.body, w.sent[0]!.headers)).not.toThrow();
      }
    } finally {
      vi.useRealTimers();
    }
    w.clock.advance(SECRET_GRACE_MS + 1);
    await w.webhooks.dispatch(event());
    await deliverOnce(w.deps, w.jobs[1]!);
    expect(w.sent[1]!.headers['webhook-signature']!.split(' ')).toHaveLength(1);
  });

  it('a deleted endpoint ends its deliveries without a request', async () => {
    const w = await world();
    const { endpoint } = await w.webhooks.create(ACME, {
      url: 'https://hooks.example.com/in',
      events: ['MESSAGE_DELIVERY_CHANGED'],
    });
    await w.webhooks.dispatch(event());
    expect(await w.webhooks.delete(ACME, endpoint.id)).toBe(true);
    expect(await deliverOnce(w.deps, w.jobs[0]!)).toEqual({ type: 'done' });
    expect(w.sent).toEqual([]);
  });
});

describe('tenants and limits', () => {
  it("another tenant's endpoint id reads as none everywhere; events go only to their own tenant", async () => {
    const w = await world();
    const { endpoint } = await w.webhooks.create(ACME, {
      url: 'https://hooks.example.com/in',
      events: ['MESSAGE_DELIVERY_CHANGED'],
    });
    expect(await w.webhooks.list(OTHER)).toEqual([]);
    expect(await w.webhooks.delete(OTHER, endpoint.id)).toBe(false);
    await expect(w.webhooks.rotate(OTHER, endpoint.id)).rejects.toMatchObject({ field: 'id' });
    await expect(w.webhooks.deliveries(OTHER, endpoint.id, 10)).rejects.toMatchObject({ field: 'id' });
    expect(await w.webhooks.dispatch(event('other'))).toBe(0);
    expect(await w.webhooks.list(ACME)).toHaveLength(1);
  });

  it('an endpoint hears only the events it asked for; a tenant has at most the limit', async () => {
    const w = await world();
    await w.webhooks.create(ACME, { url: 'https://a.example.com/', events: ['REPLY_RECEIVED'] });
    expect(await w.webhooks.dispatch(event())).toBe(0);
    await w.webhooks.create(ACME, { url: 'https://b.example.com/', events: ['MESSAGE_DELIVERY_CHANGED'] });
    await expect(
      w.webhooks.create(ACME, { url: 'https://c.example.com/', events: ['MESSAGE_DELIVERY_CHANGED'] }),
    ).rejects.toMatchObject({ field: 'url', message: expect.stringContaining('WEBHOOK_MAX_ENDPOINTS_PER_TENANT') });
    // Another tenant's count is its own.
    await w.webhooks.create(OTHER, { url: 'https://c.example.com/', events: ['MESSAGE_DELIVERY_CHANGED'] });
  });
});

describe('the in-process queue', () => {
  it('runs one key in order, a retry holding the key; other keys do not wait', async () => {
    const queue = createMemoryWebhookQueue({ concurrency: 4, logger });
    const ran: string[] = [];
    const tries = new Map<string, number>();
    queue.work((job) => {
      const n = (tries.get(job.deliveryId) ?? 0) + 1;
      tries.set(job.deliveryId, n);
      ran.push(`${job.deliveryId}#${n}`);
      // a1 fails twice before it succeeds.
      if (job.deliveryId === 'a1' && n < 3) return Promise.resolve({ type: 'later', at: Date.now() + 20, job });
      return Promise.resolve({ type: 'done' });
    });
    const job = (deliveryId: string, orderKey: string): WebhookJob => ({
      deliveryId,
      endpointId: 'we_1',
      tenant: 'acme',
      orderKey,
      body: '{}',
      createdAt: Date.now(),
      attempt: 0,
    });
    await queue.add(job('a1', 'a'));
    await queue.add(job('a2', 'a'));
    await queue.add(job('b1', 'b'));
    await vi.waitFor(() => expect(ran).toContain('a2#1'));
    expect(ran.filter((entry) => entry.startsWith('a'))).toEqual(['a1#1', 'a1#2', 'a1#3', 'a2#1']);
    expect(ran.indexOf('b1#1')).toBeLessThan(ran.indexOf('a1#2'));
    await queue.close();
  });
});
