/** Reading environment variables: every problem collected, so one restart fixes them all. */
import { readFileSync } from 'node:fs';

export type Env = Readonly<Record<string, string | undefined>>;

/** Every problem found in the environment, reported together so one restart fixes them all. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Collects problems instead of throwing at the first, so start-up reports all of them. */
export class Reader {
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

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.text(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  /** A comma-separated list, blanks dropped. */
  list(name: string): string[] {
    return (this.text(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  /** A PEM given inline (`\n` escapes allowed), or the path of a file holding it. */
  pem(name: string): string | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    if (raw.includes('-----BEGIN')) return raw.replace(/\\n/g, '\n');
    try {
      return readFileSync(raw, 'utf8');
    } catch {
      this.problems.push(`${name} must be a PEM or the path of a readable PEM file`);
      return undefined;
    }
  }
}
