import type { Logger } from 'pino';
import type { SmnReportPage, SmnReportQuery } from '../client.js';
import { reportFrom } from './sms-event.js';
import { REPLY_WINDOW_MS } from '../../send/recent-recipients.js';
import type { ReportOutcome } from '../../deliveries/reports.js';
import { systemClock, type Clock } from '../../util/clock.js';

/** Each read starts this long before the last one ended, so a report filed late is not missed. */
const OVERLAP_MS = 5 * 60_000;
const PAGE = 100;

export interface PollCoordination {
  /** True when this replica may poll now (one at a time across replicas). */
  lead(): Promise<boolean>;
  /** Where the last read ended (epoch ms), shared by the replicas. */
  lastRead(): Promise<number | undefined>;
  setLastRead(at: number): Promise<void>;
}

/**
 * Poll mode: every interval, the replica that leads reads the report API for the window since the last
 * read (with overlap), every page, and applies each report exactly as a callback would.
 */
export function startReportPoller(options: {
  readonly reports: (query: SmnReportQuery) => Promise<SmnReportPage>;
  readonly apply: (report: NonNullable<ReturnType<typeof reportFrom>>) => Promise<ReportOutcome>;
  readonly count: (outcome: string) => void;
  readonly coordination: PollCoordination;
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly clock?: Clock;
}): { stop(): Promise<void>; poll(): Promise<void> } {
  const clock = options.clock ?? systemClock;
  let running: Promise<void> | undefined;
  const poll = async () => {
    if (!(await options.coordination.lead())) return;
    const endTime = clock.now().getTime();
    const startTime = Math.max(endTime - REPLY_WINDOW_MS, ((await options.coordination.lastRead()) ?? 0) - OVERLAP_MS);
    let applied = 0;
    for (let offset = 0; ; offset += PAGE) {
      const page = await options.reports({ startTime, endTime, offset, limit: PAGE });
      for (const fields of page.data) {
        const report = reportFrom(fields);
        if (!report) {
          options.count('malformed');
          continue;
        }
        const outcome = await options.apply(report);
        options.count(`report_${outcome === 'unknown' ? 'unknown_message' : outcome}`);
        applied += 1;
      }
      if (page.data.length < PAGE || offset + PAGE >= page.count) break;
    }
    await options.coordination.setLastRead(endTime);
    options.logger.debug({ applied, from: new Date(startTime).toISOString() }, 'SMN delivery reports read');
  };
  const tick = () => {
    running ??= poll()
      .catch((error: unknown) => options.logger.warn({ err: error }, 'reading SMN delivery reports failed; next time'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    poll: async () => {
      tick();
      await running;
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
