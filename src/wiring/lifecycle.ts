/** How one part stops (closing a server, a pool, a queue). */
export type Stop = () => Promise<void> | void;

/**
 * How the app stops, told by each wiring part as it starts (Apollo Server's `toDispose` /
 * `toDisposeLast`): the stop order is the registration order reversed, so a part that uses another
 * stops before it, and nobody keeps a hand-ordered list.
 */
export interface Lifecycle {
  /** True from the moment `stop()` is called: readiness turns false at once. */
  readonly stopping: boolean;
  /** Registers how a part stops. Parts stop one after another, the last registered first. */
  toDispose(stop: Stop): void;
  /**
   * Registers, at this point of the order, a step whose stops run at the same time: parts that share
   * one shutdown timeout (HTTP requests and campaign batches in flight finish together).
   */
  together(): { add(stop: Stop): void };
  /** Registers what stops after every `toDispose` part (pending spans), the last registered first. */
  toDisposeLast(stop: Stop): void;
  /**
   * Stops everything registered, once (a second call waits for the first). A stop that fails does
   * not keep the others from running; the first failure is thrown at the end.
   */
  stop(): Promise<void>;
}

export function createLifecycle(): Lifecycle {
  const first: Stop[] = [];
  const last: Stop[] = [];
  let stopped: Promise<void> | undefined;

  const runAll = async (stops: readonly Stop[]) => {
    const failures: unknown[] = [];
    for (const stop of [...stops].reverse()) {
      try {
        await stop();
      } catch (error) {
        failures.push(error);
      }
    }
    return failures;
  };

  return {
    get stopping() {
      return stopped !== undefined;
    },
    toDispose(stop) {
      first.push(stop);
    },
    together() {
      const stops: Stop[] = [];
      first.push(async () => {
        const outcomes = await Promise.allSettled(stops.map(async (stop) => stop()));
        const failed = outcomes.find((outcome) => outcome.status === 'rejected');
        if (failed) throw failed.reason;
      });
      return { add: (stop) => void stops.push(stop) };
    },
    toDisposeLast(stop) {
      last.push(stop);
    },
    stop() {
      stopped ??= (async () => {
        const failures = [...(await runAll(first)), ...(await runAll(last))];
        if (failures.length > 0) throw failures[0];
      })();
      return stopped;
    },
  };
}
