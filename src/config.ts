import type { AkSkCredentials } from './smn/signer.js';

/** Where SMN calls go: Huawei Cloud (credentials configured), or the embedded local simulator. */
export type SmnTarget =
  | {
      readonly mode: 'remote';
      readonly endpoint: URL;
      readonly projectId: string;
      readonly credentials: AkSkCredentials;
    }
  | { readonly mode: 'simulator' };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly production: boolean;
  readonly logLevel: string;
  readonly smn: SmnTarget;
  readonly smnTimeoutMs: number;
  readonly smnConnectTimeoutMs: number;
  /** The embedded in-memory send log that SmsSent entities are resolved from. */
  readonly sendLog: { readonly maxEntries: number; readonly ttlSeconds: number };
}

export interface SimulatorConfig {
  readonly port: number;
  readonly host: string;
  readonly projectId: string;
  readonly credentials: AkSkCredentials;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Every problem found in the environment, reported together so one restart fixes them all. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const PROJECT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;
/** Regions whose SMN host is not under myhuaweicloud.com. */
const REGION_DOMAINS: Record<string, string> = {
  'cn-north-2': 'myhuaweicloud.cn',
  'eu-west-101': 'myhuaweicloud.eu',
};

export function regionEndpoint(region: string): string {
  return `https://smn.${region}.${REGION_DOMAINS[region] ?? 'myhuaweicloud.com'}`;
}

/** Collects problems instead of throwing at the first, so start-up reports all of them. */
class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  text(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  oneOf(name: string, fallback: string, allowed: readonly string[]): string {
    const value = this.text(name) ?? fallback;
    if (!allowed.includes(value)) this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
    return value;
  }

  url(name: string): URL | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    try {
      const url = new URL(raw);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol');
      if (url.username || url.password || url.search || url.hash) throw new Error('extras');
      return url;
    } catch {
      this.problems.push(`${name} must be an http(s) base URL without credentials, query or fragment`);
      return undefined;
    }
  }

  matching(name: string, pattern: RegExp, description: string): string | undefined {
    const value = this.text(name);
    if (value !== undefined && !pattern.test(value)) {
      this.problems.push(`${name} must be ${description}`);
      return undefined;
    }
    return value;
  }

  required<T>(name: string, value: T | undefined, why: string): T | undefined {
    if (value === undefined && this.text(name) === undefined) this.problems.push(`${name} is required ${why}`);
    return value;
  }
}

const SMN_VARIABLES = ['SMN_ENDPOINT', 'SMN_REGION', 'SMN_PROJECT_ID', 'HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK'];

function readSmnTarget(read: Reader): SmnTarget {
  const configured = SMN_VARIABLES.filter((name) => read.text(name) !== undefined);
  if (configured.length === 0) return { mode: 'simulator' };
  const why = `when any of ${SMN_VARIABLES.join(', ')} is set (unset them all to use the local simulator)`;
  const endpointUrl = read.url('SMN_ENDPOINT');
  const region = read.matching('SMN_REGION', REGION, 'a Huawei Cloud region id such as cn-north-4');
  if (read.text('SMN_ENDPOINT') !== undefined && read.text('SMN_REGION') !== undefined) {
    read.problems.push('set SMN_ENDPOINT or SMN_REGION, not both');
  } else if (read.text('SMN_ENDPOINT') === undefined && read.text('SMN_REGION') === undefined) {
    read.problems.push(`SMN_ENDPOINT or SMN_REGION is required ${why}`);
  }
  const projectId = read.required(
    'SMN_PROJECT_ID',
    read.matching('SMN_PROJECT_ID', PROJECT_ID, 'a project id of letters, digits, "-" or "_"'),
    why,
  );
  const ak = read.required('HUAWEICLOUD_SDK_AK', read.text('HUAWEICLOUD_SDK_AK'), why);
  const sk = read.required('HUAWEICLOUD_SDK_SK', read.text('HUAWEICLOUD_SDK_SK'), why);
  const endpoint = endpointUrl ?? (region ? new URL(regionEndpoint(region)) : undefined);
  if (!endpoint || !projectId || !ak || !sk) return { mode: 'simulator' };
  const securityToken = read.text('HUAWEICLOUD_SDK_SECURITY_TOKEN');
  return { mode: 'remote', endpoint, projectId, credentials: { ak, sk, securityToken } };
}

/** Reads the environment once. Throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  const read = new Reader(env);
  const smnTimeoutMs = read.integer('SMN_TIMEOUT_MS', 10_000, 100, 120_000);
  const smnConnectTimeoutMs = read.integer('SMN_CONNECT_TIMEOUT_MS', 3_000, 50, 60_000);
  if (smnConnectTimeoutMs > smnTimeoutMs) read.problems.push('SMN_CONNECT_TIMEOUT_MS must not exceed SMN_TIMEOUT_MS');
  const config: Config = {
    port: read.integer('PORT', 4000, 0, 65_535),
    host: read.text('HOST') ?? '0.0.0.0',
    production: read.text('NODE_ENV') === 'production',
    logLevel: read.oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    smn: readSmnTarget(read),
    smnTimeoutMs,
    smnConnectTimeoutMs,
    sendLog: {
      maxEntries: read.integer('SEND_LOG_MAX_ENTRIES', 50_000, 1, 10_000_000),
      ttlSeconds: read.integer('SEND_LOG_TTL_SECONDS', 86_400, 1, 30 * 86_400),
    },
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return Object.freeze(config);
}

/** The standalone simulator (`npm run simulator`): SIMULATOR_* variables. */
export function loadSimulatorConfig(env: Env = process.env): SimulatorConfig {
  const read = new Reader(env);
  const config: SimulatorConfig = {
    port: read.integer('SIMULATOR_PORT', 4010, 0, 65_535),
    host: read.text('SIMULATOR_HOST') ?? '127.0.0.1',
    projectId:
      read.matching('SIMULATOR_PROJECT_ID', PROJECT_ID, 'a project id of letters, digits, "-" or "_"') ??
      'simulator-project',
    credentials: {
      ak: read.text('SIMULATOR_AK') ?? 'SIMULATORACCESSKEY',
      sk: read.required('SIMULATOR_SK', read.text('SIMULATOR_SK'), 'to start the standalone simulator') ?? '',
    },
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return Object.freeze(config);
}
