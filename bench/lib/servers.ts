import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SmnTarget } from './limit.js';
import { json, listeningUrl, startChild } from '../../scripts/lib/child-process.js';
import { onFeederCores, onMeasuredCore } from './placement.js';

/** The SMN simulator, built (dist/), in a process of its own, on the feeder cores (placement.ts). */
export async function startSimulator() {
  const target = { projectId: 'bench-project', ak: 'BENCHAK', sk: randomBytes(24).toString('base64url') };
  const child = await startChild(
    ['dist/simulator/main.js'],
    { SIMULATOR_PORT: '0', SIMULATOR_AK: target.ak, SIMULATOR_SK: target.sk, SIMULATOR_PROJECT_ID: target.projectId },
    (line) => json(line)?.simulator as string | undefined,
    onFeederCores(),
  );
  return Object.assign(child, { target: { ...target, url: child.value } as SmnTarget });
}

export function smnEnv(target: SmnTarget): Record<string, string> {
  return {
    SMN_ENDPOINT: target.url,
    SMN_PROJECT_ID: target.projectId,
    HUAWEICLOUD_SDK_AK: target.ak,
    HUAWEICLOUD_SDK_SK: target.sk,
  };
}

/**
 * The node flags `npm start` (and the Docker image's CMD, test/dockerfile.test.ts) runs the service
 * with: the benchmarks start it exactly so.
 */
export const START_FLAGS: readonly string[] = (() => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  const words = pkg.scripts.start.split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'dist/main.js')
    throw new Error(`unexpected start script: ${pkg.scripts.start}`);
  return words.slice(1, -1);
})();

/**
 * This service as shipped (`npm start`'s flags, dist/main.js, production mode, info logs); only the
 * per-caller quotas and the outbound pacing are lifted so they do not cap the measurement. `nodeArgs`
 * adds flags (e.g. --cpu-prof). It runs on the measured core (placement.ts) unless `prefix` says
 * otherwise; `target` undefined runs the embedded simulator (SMN_MODE=simulator).
 */
export function startService(
  target: SmnTarget | undefined,
  nodeArgs: string[] = [],
  env: Record<string, string> = {},
  prefix: readonly string[] = onMeasuredCore(),
) {
  return startChild(
    [...START_FLAGS, ...nodeArgs, 'dist/main.js'],
    {
      ...(target ? smnEnv(target) : { SMN_MODE: 'simulator' }),
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      AUTH_DISABLED: 'true',
      SEND_WINDOW: 'off',
      QUOTA_RECIPIENTS_PER_MINUTE: '0',
      QUOTA_RECIPIENTS_PER_DAY: '0',
      SMN_MAX_CALLS_PER_SECOND: '10000',
      SMN_MAX_CONCURRENT_CALLS: '1000',
      ...env,
    },
    listeningUrl,
    prefix,
  );
}

/** The one mutation every variant runs. */
export const PUBLISH_QUERY =
  'mutation Publish($input: PublishPromotionSmsInput!) { publishPromotionSms(input: $input) { requestId ' +
  'sentCount failedCount results { __typename ... on SmsSent { endpoint messageId } ' +
  '... on SmsFailed { endpoint code message } } } }';
