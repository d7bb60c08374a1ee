import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis-client.js';
import { lostKeyOf, markerKeys, type StateMarker } from './redis-watch.js';

/** What an operator sees before deciding: each primary's marker and the loss record, if any. */
export interface StateStatus {
  readonly markers: ReadonlyArray<{ readonly key: string; readonly marker: string | null }>;
  readonly lost: string | null;
}

export async function readStateStatus(redis: RedisClient, prefix: string): Promise<StateStatus> {
  const keys = markerKeys(redis, prefix);
  const markers = await Promise.all(keys.map(async (key) => ({ key, marker: await redis.get(key) })));
  return { markers, lost: await redis.get(lostKeyOf(keys[0]!)) };
}

/**
 * Accepts a loss after an operator checked it: removes the loss record and writes a new marker on every
 * primary, marked as written by accept-loss, which every replica adopts at its next check (then it
 * sends again). Opt-outs kept elsewhere should be added back first.
 */
export async function acceptStateLoss(redis: RedisClient, prefix: string): Promise<StateMarker> {
  const keys = markerKeys(redis, prefix);
  const marker: StateMarker = { id: randomUUID(), createdAt: new Date().toISOString(), by: 'accept-loss' };
  await Promise.all(keys.map((key) => redis.set(key, JSON.stringify(marker))));
  await redis.del(lostKeyOf(keys[0]!));
  return marker;
}
