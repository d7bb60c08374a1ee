import { describe, expect, it, vi } from 'vitest';
import { createLifecycle } from '../../src/wiring/lifecycle.js';

/** A stop that can be held open, and says when it started and finished. */
function gate(name: string, log: string[]) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    stop: async () => {
      log.push(`${name} start`);
      await released;
      log.push(`${name} end`);
    },
    release,
  };
}

describe('the lifecycle: how the app stops, told by each part as it starts', () => {
  it('stops parts in reverse order of registration, the toDisposeLast ones after all of them', async () => {
    const lifecycle = createLifecycle();
    const stopped: string[] = [];
    lifecycle.toDisposeLast(() => void stopped.push('spans'));
    lifecycle.toDispose(() => void stopped.push('simulator'));
    lifecycle.toDispose(async () => {
      await Promise.resolve();
      stopped.push('state');
    });
    lifecycle.toDisposeLast(() => void stopped.push('logs'));
    lifecycle.toDispose(() => void stopped.push('http'));

    await lifecycle.stop();

    expect(stopped).toEqual(['http', 'state', 'simulator', 'logs', 'spans']);
  });

  it('waits for each stop before the next: a part never outlives what it uses', async () => {
    const lifecycle = createLifecycle();
    const log: string[] = [];
    const state = gate('state', log);
    const http = gate('http', log);
    lifecycle.toDispose(state.stop);
    lifecycle.toDispose(http.stop);

    const stopping = lifecycle.stop();
    await Promise.resolve();
    expect(log).toEqual(['http start']);
    http.release();
    state.release();
    await stopping;
    expect(log).toEqual(['http start', 'http end', 'state start', 'state end']);
  });

  it('runs the stops of a `together` step at the same time, at the place it was registered', async () => {
    const lifecycle = createLifecycle();
    const log: string[] = [];
    lifecycle.toDispose(() => void log.push('state'));
    const draining = lifecycle.together();
    lifecycle.toDispose(() => void log.push('websocket'));
    const apollo = gate('apollo', log);
    const workers = gate('workers', log);
    draining.add(workers.stop);
    draining.add(apollo.stop);

    const stopping = lifecycle.stop();
    await vi.waitFor(() => expect(log).toEqual(['websocket', 'workers start', 'apollo start']));
    apollo.release();
    await vi.waitFor(() => expect(log).toContain('apollo end'));
    expect(log).not.toContain('state');
    workers.release();
    await stopping;
    expect(log).toEqual(['websocket', 'workers start', 'apollo start', 'apollo end', 'workers end', 'state']);
  });

  it('turns `stopping` on at once, and stops only once however often it is asked', async () => {
    const lifecycle = createLifecycle();
    let stops = 0;
    lifecycle.toDispose(() => void (stops += 1));
    expect(lifecycle.stopping).toBe(false);

    const first = lifecycle.stop();
    expect(lifecycle.stopping).toBe(true);
    const second = lifecycle.stop();
    await Promise.all([first, second]);
    await lifecycle.stop();

    expect(stops).toBe(1);
  });

  it('keeps stopping past a failed stop, then throws the first failure', async () => {
    const lifecycle = createLifecycle();
    const stopped: string[] = [];
    lifecycle.toDisposeLast(() => void stopped.push('spans'));
    lifecycle.toDispose(() => void stopped.push('simulator'));
    lifecycle.toDispose(() => {
      throw new Error('state would not close');
    });
    const draining = lifecycle.together();
    draining.add(() => Promise.reject(new Error('drain failed')));
    draining.add(async () => void stopped.push('workers'));

    await expect(lifecycle.stop()).rejects.toThrow('drain failed');
    expect(stopped).toEqual(['workers', 'simulator', 'spans']);
  });
});
