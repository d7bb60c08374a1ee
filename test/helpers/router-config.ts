import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

export interface RouterConfig {
  headers?: { subgraphs?: Record<string, { request?: Array<{ propagate?: { named?: string } }> }> };
  subscription?: {
    enabled?: unknown;
    mode?: { passthrough?: { subgraphs?: Record<string, { path?: unknown; protocol?: unknown }> } };
  };
}

/** router.yaml as the yaml package reads it. */
export async function routerConfig(): Promise<RouterConfig> {
  return parse(await readFile(new URL('../../router.yaml', import.meta.url), 'utf8')) as RouterConfig;
}

/** The header names router.yaml propagates to the `sms` subgraph. */
export async function propagatedHeaders(): Promise<string[]> {
  const config = await routerConfig();
  return (config.headers?.subgraphs?.sms?.request ?? []).flatMap((rule) =>
    rule.propagate?.named ? [rule.propagate.named.toLowerCase()] : [],
  );
}

/** Where router.yaml has the router open the `sms` subgraph's subscription WebSocket: its path. */
export async function subscriptionPath(): Promise<string> {
  const path = (await routerConfig()).subscription?.mode?.passthrough?.subgraphs?.sms?.path;
  if (typeof path !== 'string') throw new Error('router.yaml names no subscription path for the sms subgraph');
  return path;
}
