import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../helpers/app.js';
import { LogCapture } from '../helpers/log-capture.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';

const holders: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(holders.splice(0).map((close) => close()));
});

/** A port on 127.0.0.1 that something else already listens on. */
async function takenPort(): Promise<number> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  holders.push(() => new Promise((resolve) => holder.close(() => resolve())));
  return (holder.address() as { port: number }).port;
}

describe('a start that fails stops what it had started', () => {
  it('closes the embedded simulator when the port is taken, instead of leaving it listening', async () => {
    const logs = new LogCapture();
    const config = loadConfig({ PORT: String(await takenPort()), HOST: '127.0.0.1', LOG_LEVEL: 'info' });

    await expect(createApp(config, { logDestination: logs })).rejects.toMatchObject({ code: 'EADDRINUSE' });

    const warning = logs.entries().find((entry) => String(entry.msg).includes('NO SMN CREDENTIALS'));
    const simulatorUrl = String(warning?.simulator);
    expect(simulatorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(fetch(simulatorUrl)).rejects.toThrow();
  });

  it('a started app, closed twice at once, stops once and answers no more', async () => {
    const app = await startApp({});
    const simulatorUrl = app.simulator!.url;
    await Promise.all([app.close(), app.close()]);
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
    await expect(fetch(simulatorUrl)).rejects.toThrow();
  });
});
