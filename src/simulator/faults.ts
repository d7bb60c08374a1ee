/**
 * Ways the simulator can be told to misbehave, one request at a time, so tests can show how the
 * gateway handles every failure SMN or the network can produce.
 */
export type FaultKind =
  | 'latency' // answer normally after `latencyMs`
  | 'status' // answer `status` with an SMN (or, for APIG.* codes, API gateway) error body
  | 'rate-limit' // 429 APIG.0308, with Retry-After when `retryAfter` is set
  | 'reset' // read the request, then destroy the connection without answering
  | 'hang' // read the request and never answer
  | 'garbage' // 200 with a body that is not JSON
  | 'reorder' // answer normally, results in reverse order
  | 'omit' // answer normally without the last result
  | 'extra' // answer normally plus a result for a number that was not sent
  | 'huge'; // 200 with `bytes` of whitespace before a valid answer, streamed without Content-Length

export const FAULT_KINDS: readonly FaultKind[] = [
  'latency',
  'status',
  'rate-limit',
  'reset',
  'hang',
  'garbage',
  'reorder',
  'omit',
  'extra',
  'huge',
];

export interface Fault {
  readonly kind: FaultKind;
  /** How many requests it applies to (default 1). */
  readonly times?: number;
  readonly latencyMs?: number;
  readonly status?: number;
  readonly code?: string;
  readonly message?: string;
  readonly retryAfter?: string;
  /** For `huge`: how much whitespace precedes the answer. */
  readonly bytes?: number;
}

export function isFault(value: unknown): value is Fault {
  return (
    typeof value === 'object' && value !== null && FAULT_KINDS.includes((value as { kind?: unknown }).kind as FaultKind)
  );
}

/** A queue of faults; each promotion request takes the one at the head. */
export class FaultQueue {
  private readonly queue: Array<{ fault: Fault; remaining: number }> = [];

  push(fault: Fault): void {
    this.queue.push({ fault, remaining: fault.times ?? 1 });
  }

  clear(): void {
    this.queue.length = 0;
  }

  take(): Fault | undefined {
    const head = this.queue[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.queue.shift();
    return head.fault;
  }
}
