import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

/** Process entry: read config, start, and drain then stop on SIGTERM/SIGINT. */
try {
  const app = await createApp(loadConfig(undefined, process.stdout.isTTY === true));
  const stop = (signal: string) => {
    app.logger.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
}
