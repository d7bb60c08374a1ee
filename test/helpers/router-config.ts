import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

interface RouterConfig {
  headers?: { subgraphs?: Record<string, { request?: Array<{ propagate?: { named?: string } }> }> };
}

/** The header names router.yaml propagates to the `sms` subgraph. */
export async function propagatedHeaders(): Promise<string[]> {
  const config = parse(await readFile(new URL('../../router.yaml', import.meta.url), 'utf8')) as RouterConfig;
  return (config.headers?.subgraphs?.sms?.request ?? []).flatMap((rule) =>
    rule.propagate?.named ? [rule.propagate.named.toLowerCase()] : [],
  );
}
