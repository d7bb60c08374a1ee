import type { Logger } from 'pino';
import { bounded } from '../observability/bounded.js';
import { maskNumbersInText } from '../observability/phone-mask.js';
import { redisCause } from './redis-client.js';

/** The last Redis failure seen, for readiness. */
export interface LastRedisError {
  readonly cause: string;
  readonly message: string;
  readonly at: Date;
}

export interface RedisCauseLog {
  /** Logs a failure's cause the first time it is seen, then at most once per interval while it lasts. */
  report(error: unknown, source: string): void;
  /** Redis answers again: the next failure is logged at once. */
  recovered(source: string): void;
  last(): LastRedisError | undefined;
}

/** The message as a log may show it: numbers a reply could echo masked, its length bounded. */
const safeMessage = (error: unknown): string =>
  bounded(maskNumbersInText(error instanceof Error ? error.message : String(error)), 300);

/**
 * One log line per cause of Redis trouble (WRONGPASS, a TLS alert, NOAUTH, MOVED, CROSSSLOT, OOM...),
 * then at most one a minute while it lasts with how many were not logged: a wrong password or a
 * failover must not write megabytes of log per second.
 */
export function createRedisCauseLog(logger: Logger, intervalMs = 60_000, now = () => Date.now()): RedisCauseLog {
  const log = logger.child({ component: 'redis' });
  const seen = new Map<string, { loggedAt: number; suppressed: number }>();
  let last: LastRedisError | undefined;
  return {
    report(error, source) {
      const cause = redisCause(error);
      const message = safeMessage(error);
      last = { cause, message, at: new Date(now()) };
      const key = `${source}|${cause}`;
      const entry = seen.get(key);
      if (entry && now() - entry.loggedAt < intervalMs) {
        entry.suppressed += 1;
        return;
      }
      log.error(
        { cause, source, err: message, ...(entry && { notLoggedSince: entry.suppressed }) },
        entry ? `Redis still failing: ${cause}` : `Redis failing: ${cause}`,
      );
      seen.set(key, { loggedAt: now(), suppressed: 0 });
    },
    recovered(source) {
      let was = false;
      for (const key of [...seen.keys()]) {
        if (key.startsWith(`${source}|`)) {
          seen.delete(key);
          was = true;
        }
      }
      if (was) log.info({ source }, 'Redis answering again');
    },
    last: () => last,
  };
}
