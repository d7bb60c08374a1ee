import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createRedisCampaignStore } from '../../src/state/redis-campaign-store.js';
import { redisForTests } from '../helpers/redis.js';
import { startStandalone, stopAll } from '../helpers/redis-topologies.js';
import { draftCampaign } from '../helpers/store-contracts.js';

/**
 * The DRAFT count's sweep of forgotten drafts, on a Redis of its own that runs out of memory: the
 * sweep is best effort, so a full Redis (which refuses the count's HINCRBY) still has its gauge read
 * and a create answered as it happened.
 */

await redisForTests();
const clients: Redis[] = [];
afterAll(async () => {
  clients.forEach((client) => client.disconnect());
  await stopAll();
});

describe('forgotten drafts on a full Redis', () => {
  it('the status counts are still read when Redis refuses the sweep its writes', async () => {
    const redis = await startStandalone({ maxmemoryPolicy: 'noeviction' });
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    const store = createRedisCampaignStore(client, 'drafts-test:', 300);
    const draft = draftCampaign('acme', new Date());
    expect((await store.create(draft, 10)).outcome).toBe('created');
    expect(await store.statusCounts()).toMatchObject({ DRAFT: 1 });
    // The draft's record expires; then Redis is full (every write that may grow memory is refused).
    await vi.waitFor(async () => expect(await client.exists(`drafts-test:v1:campaign:{${draft.id}}`)).toBe(0), {
      timeout: 5_000,
      interval: 50,
    });
    await redis.cli('CONFIG', 'SET', 'maxmemory', '1');
    await expect(client.hincrby('drafts-test:probe', 'x', 1)).rejects.toThrow(/OOM/);
    // The sweep could not count it down; the counts are answered all the same.
    expect(await store.statusCounts()).toEqual(expect.objectContaining({ DRAFT: expect.any(Number) }));
    await redis.cli('CONFIG', 'SET', 'maxmemory', '0');
  });
});
