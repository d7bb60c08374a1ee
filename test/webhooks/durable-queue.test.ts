import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AddOptOutsDocument, CreateWebhookEndpointDocument, type WebhookEvent } from '../../client/index.js';
import { closeServer, listen } from '../../src/util/listen.js';
import { execute } from '../helpers/graphql.js';
import { REDIS_URL, redisForTests, uniquePrefix } from '../helpers/redis.js';
import { useStack } from '../helpers/stack.js';

/**
 * With Redis, deliveries are BullMQ jobs: an event queued by a replica that delivers nothing
 * (WEBHOOK_WORKERS=false) and then stops is delivered by the next replica on the same Redis.
 */

const redisAvailable = await redisForTests();
const stack = useStack({
  app: false,
  env: { REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix(), WEBHOOK_ALLOW_PRIVATE: 'true' },
});

const bodies: string[] = [];
const receiver = createServer((req, res) => {
  let raw = '';
  req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  req.on('end', () => {
    bodies.push(raw);
    res.writeHead(204).end();
  });
});
beforeAll(() => listen(receiver, 0, '127.0.0.1'));
afterAll(() => closeServer(receiver));

describe.runIf(redisAvailable)('the BullMQ webhook queue', () => {
  it('keeps a delivery across a restart and another replica delivers it', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`;
    await stack.withApp({ WEBHOOK_WORKERS: 'false' }, async (app) => {
      const created = await execute(app.graphqlUrl, CreateWebhookEndpointDocument, {
        input: { url, events: ['OPT_OUT_CHANGED'] as WebhookEvent[] },
      });
      expect(created.errors).toBeUndefined();
      const added = await execute(app.graphqlUrl, AddOptOutsDocument, { input: { endpoints: ['+8613800138000'] } });
      expect(added.data?.addOptOuts.changed).toBe(1);
      // Queued (the queue's depth shows it), not delivered: this replica has no workers.
      await vi.waitFor(async () => {
        const metrics = await (await fetch(app.metricsUrl)).text();
        expect(metrics).toContain('smn_gateway_webhook_queue_depth 1');
      });
    });
    expect(bodies).toEqual([]);
    await stack.withApp({}, () =>
      vi.waitFor(
        () => {
          expect(bodies.map((raw) => (JSON.parse(raw) as { data: unknown }).data)).toEqual([
            { number: '+8613800138000', action: 'ADDED', source: 'MANUAL' },
          ]);
        },
        { timeout: 10_000, interval: 50 },
      ),
    );
  });
});
