import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/observability/metrics.js';

/** The history metrics: the outbox read on scrape (lag, backlog, drops), rows and failures counted. */
describe('history metrics', () => {
  it('reads the outbox on scrape and counts what the writer reports', async () => {
    const metrics = createMetrics();
    const text = () => metrics.registry.metrics();
    // No outbox given yet: the gauges stay at 0.
    expect(await text()).toContain('smn_gateway_history_outbox_entries 0');
    let stats = { entries: 12, oldestAt: (Date.now() - 30_000) as number | undefined, dropped: 3 };
    let reads = 0;
    metrics.observeHistory({
      stats: () => {
        reads += 1;
        return Promise.resolve(stats);
      },
    });
    const scraped = await text();
    expect(reads).toBe(1); // one read for the three gauges
    expect(scraped).toContain('smn_gateway_history_outbox_entries 12');
    expect(scraped).toContain('smn_gateway_history_dropped_events 3');
    const lag = Number(/^smn_gateway_history_lag_seconds (\S+)$/m.exec(scraped)?.[1]);
    expect(lag).toBeGreaterThanOrEqual(30);
    expect(lag).toBeLessThan(35);
    metrics.historyRows('message', 1000);
    metrics.historyRows('report', 2);
    metrics.historyRows('opt_out', 0);
    metrics.historyWriteFailure();
    stats = { entries: 0, oldestAt: undefined, dropped: 3 };
    const later = await text();
    expect(later).toContain('smn_gateway_history_lag_seconds 0');
    expect(later).toContain('smn_gateway_history_outbox_entries 0');
    expect(later).toContain('smn_gateway_history_rows_total{kind="message"} 1000');
    expect(later).toContain('smn_gateway_history_rows_total{kind="report"} 2');
    expect(later).not.toContain('kind="opt_out"');
    expect(later).toContain('smn_gateway_history_write_failures_total 1');
  });
});
