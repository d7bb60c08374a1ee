import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

/** One GraphQL error code a test saw, with the HTTP status of the answer that carried it. */
export interface SeenCode {
  readonly code: string;
  readonly status: number;
}

export const SEEN_CODES_FILE = 'seen-codes.jsonl';

/**
 * Wraps this test worker's `fetch` so every GraphQL answer a test receives (from the app, or a router
 * in front of it) has its error codes and HTTP status appended to `directory`; global-setup.ts checks,
 * after a whole run, that every registered code was produced with the status docs/api.md gives it.
 * The test still reads the untouched response.
 */
export function recordErrorCodes(directory: string): void {
  const original = globalThis.fetch;
  const file = join(directory, `${SEEN_CODES_FILE}`);
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (new URL(url).pathname.endsWith('/graphql') && response.headers.get('content-type')?.includes('json')) {
      void response
        .clone()
        .json()
        .then((body) => {
          const { errors } = body as { errors?: Array<{ extensions?: { code?: unknown } }> };
          const lines = (errors ?? [])
            .map((error) => error.extensions?.code)
            .filter((code): code is string => typeof code === 'string')
            .map((code) => `${JSON.stringify({ code, status: response.status } satisfies SeenCode)}\n`);
          if (lines.length > 0) appendFileSync(file, lines.join(''));
        })
        .catch(() => undefined);
    }
    return response;
  };
}
