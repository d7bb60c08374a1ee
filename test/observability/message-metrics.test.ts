import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/observability/metrics.js';

/** The failed-message counter's `code` label: SMN's and our own codes as they are, anything else "other". */
describe('message metrics', () => {
  it("labels SMN's codes and ours as given, and anything else (prototype keys included) as other", async () => {
    const metrics = createMetrics();
    metrics.failed('direct', 'SMN.0167');
    metrics.failed('direct', 'APIG.0308');
    metrics.failed('direct', 'OPTED_OUT');
    for (const code of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'E999', 'SMN.01670']) {
      metrics.failed('direct', code);
    }
    const text = await metrics.registry.metrics();
    const failed = text.split('\n').filter((line) => line.startsWith('smn_gateway_messages_total{result="failed"'));
    expect(failed.sort()).toEqual(
      [
        'smn_gateway_messages_total{result="failed",code="SMN.0167",source="direct"} 1',
        'smn_gateway_messages_total{result="failed",code="APIG.0308",source="direct"} 1',
        'smn_gateway_messages_total{result="failed",code="OPTED_OUT",source="direct"} 1',
        'smn_gateway_messages_total{result="failed",code="other",source="direct"} 6',
      ].sort(),
    );
  });
});
