import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config/index.js';

/** The heap the process runs with and why (`main.ts`, `heap-size.ts`), logged once at start. */
export interface HeapLog {
  readonly containerMemoryMb: number | null;
  readonly heapFlags: string | null;
  readonly heapSizeLimitMb: number;
  readonly reason: string;
  readonly warning?: string;
}

/**
 * Reads config, starts, and drains then stops on SIGTERM/SIGINT; SIGHUP reloads the trusted-document
 * manifests (a bad one keeps the documents loaded before). `started` runs once it listens.
 */
export async function runService(started: () => void, heap: HeapLog): Promise<void> {
  try {
    const config = loadConfig(undefined, process.stdout.isTTY === true);
    const app = await createApp(config);
    started();
    if (heap.warning === undefined) app.logger.info(heap, 'V8 heap');
    else app.logger.warn(heap, 'V8 heap');
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      app.logger.info({ signal, timeoutMs: config.operations.shutdownTimeoutMs }, 'shutting down');
      // Draining is bounded by SHUTDOWN_TIMEOUT_MS; this is the backstop if closing itself hangs.
      setTimeout(() => {
        app.logger.error('shutdown did not finish in time; exiting');
        process.exit(1);
      }, config.operations.shutdownTimeoutMs + 5_000).unref();
      app.close().then(
        () => {
          app.logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          app.logger.error({ err: error }, 'error while shutting down');
          process.exit(1);
        },
      );
    };
    process.on('SIGHUP', () => {
      app.logger.info({ signal: 'SIGHUP' }, 'reloading the trusted documents');
      void app.reloadTrustedDocuments();
    });
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
