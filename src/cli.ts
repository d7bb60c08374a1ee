/**
 * Operator commands, run with the service's own settings (the same environment):
 *
 *   node dist/cli.js state status        each primary's state marker and the loss record, if any
 *   node dist/cli.js state accept-loss   after checking a loss (STATE_LOST): a new marker; replicas send again
 */
import { loadStateConfig } from './config/index.js';
import { createRedisClient } from './state/redis-client.js';
import { waitUntilReady } from './state/redis-startup.js';
import { acceptStateLoss, readStateStatus } from './state/state-admin.js';

const USAGE = 'usage: node dist/cli.js state status | state accept-loss';

async function main(args: readonly string[]): Promise<number> {
  const [group, command] = args;
  if (group !== 'state' || (command !== 'status' && command !== 'accept-loss')) {
    console.error(USAGE);
    return 2;
  }
  const state = loadStateConfig();
  if (!state.redis) {
    console.error('No Redis is configured (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES).');
    return 2;
  }
  const redis = createRedisClient(state.redis);
  redis.on('error', () => undefined);
  try {
    await waitUntilReady(redis, 10_000);
    if (command === 'status') {
      console.log(JSON.stringify(await readStateStatus(redis, state.keyPrefix), null, 2));
      return 0;
    }
    const before = await readStateStatus(redis, state.keyPrefix);
    const marker = await acceptStateLoss(redis, state.keyPrefix);
    console.log(JSON.stringify({ accepted: true, before, marker }, null, 2));
    return 0;
  } finally {
    redis.disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
