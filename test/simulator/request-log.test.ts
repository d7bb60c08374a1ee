import { describe, expect, it } from 'vitest';
import { logRequest, MAX_LOGGED_NUMBERS, type ReceivedRequest } from '../../src/simulator/server.js';

describe("the simulator's request log", () => {
  it('keeps the newest requests up to MAX_LOGGED_NUMBERS numbers, and counts every request', () => {
    const log = { received: [] as ReceivedRequest[], receivedCount: 0, loggedNumbers: 0 };
    const request = (index: number): ReceivedRequest => ({
      body: { endpoints: Array.from({ length: 1000 }, () => '+8613900000000'), index },
      headers: {},
    });
    const total = MAX_LOGGED_NUMBERS / 1000 + 10;
    for (let index = 0; index < total; index += 1) logRequest(log, request(index));
    expect(log.receivedCount).toBe(total);
    expect(log.loggedNumbers).toBeLessThanOrEqual(MAX_LOGGED_NUMBERS);
    expect(log.loggedNumbers).toBe(log.received.length * 1000);
    expect((log.received.at(-1)!.body as { index: number }).index).toBe(total - 1);
    expect(log.received.length).toBeGreaterThan(100); // the older half went, not everything
  });
});
