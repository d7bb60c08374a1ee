import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startApp, type StartOptions, type TestApp } from './app.js';
import type { Stack } from './stack.js';

/**
 * An app that takes SMN's events from the stack's simulator process: its certificate pinned, and the
 * app's /smn/events subscribed to its topic (the simulator posts reports there from then on).
 */
export async function startEventsApp(
  stack: Stack,
  env: Record<string, string> = {},
  options?: StartOptions,
): Promise<TestApp> {
  const certificate = await stack.simulator.certificate();
  const app = await startApp(stack.env({ SMN_EVENTS: 'callback', SMN_EVENTS_CERT: certificate, ...env }), options);
  await stack.simulator.subscribe(`${app.url}/smn/events`);
  return app;
}

/** A graphql-ws subscription collecting what it receives, as a frontend would open it. */
export function subscribe(
  graphqlUrl: string,
  query: string,
  variables: Record<string, unknown>,
  connectionParams: Record<string, unknown> = {},
) {
  const received: Array<{ data?: unknown; errors?: unknown }> = [];
  const client = createClient({
    url: graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
  });
  let failure: unknown;
  let closed = false;
  const done = new Promise<void>((resolve) => {
    client.subscribe(
      { query, variables },
      {
        next: (value) => received.push(value as { data?: unknown; errors?: unknown }),
        error: (error) => {
          failure = error;
          resolve();
        },
        complete: () => resolve(),
      },
    );
  });
  return {
    received,
    done,
    get failure() {
      return failure;
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.dispose();
    },
  };
}
