import { setImmediate as turn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createJobsInFlight } from '../../src/state/bullmq-lifecycle.js';

/** Whether a promise has settled once the microtasks queued so far (and one event-loop turn) ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await turn();
  return done;
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('jobs in flight (what a BullMQ close waits for)', () => {
  it('is idle at once when nothing runs, and once the last job ends', async () => {
    const jobs = createJobsInFlight();
    expect(await settled(jobs.idle())).toBe(true);
    const first = gate();
    const second = gate();
    const a = jobs.run(async () => (await first.opened, 'a'));
    const b = jobs.run(async () => (await second.opened, 'b'));
    const idle = jobs.idle();
    first.open();
    expect(await a).toBe('a');
    expect(await settled(idle)).toBe(false);
    second.open();
    expect(await b).toBe('b');
    expect(await settled(idle)).toBe(true);
  });

  it('hands a job’s failure back to BullMQ while not abandoned', async () => {
    const jobs = createJobsInFlight();
    await expect(jobs.run(async () => Promise.reject(new Error('smn down')))).rejects.toThrow('smn down');
    expect(await settled(jobs.idle())).toBe(true);
  });

  it('once abandoned, a job that ends tells BullMQ nothing, yet counts as ended', async () => {
    const jobs = createJobsInFlight();
    const ok = gate();
    const failing = gate();
    const done = jobs.run(async () => (await ok.opened, 'done'));
    const failed = jobs.run(async () => {
      await failing.opened;
      throw new Error('late');
    });
    jobs.abandon();
    ok.open();
    failing.open();
    expect(await settled(done)).toBe(false);
    expect(await settled(failed)).toBe(false);
    expect(await settled(jobs.idle())).toBe(true);
  });
});
