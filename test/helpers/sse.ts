/** One `next` payload of a GraphQL-over-SSE stream. */
export interface SseEvent {
  readonly data?: unknown;
  readonly errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
}

/**
 * A subscription over Server-Sent Events (GraphQL over SSE, distinct connections), as a browser's
 * client subscribes to Hive Gateway: one POST that stays open, one `next` event per result, `complete`
 * at the end. Collects what arrives until the server completes the stream or `close()` aborts it.
 */
export function subscribeOverSse(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const received: SseEvent[] = [];
  const abort = new AbortController();
  let status: number | undefined;
  const done = (async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
      body: JSON.stringify({ query, variables }),
      signal: abort.signal,
    });
    status = response.status;
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: ?(.*)$/m.exec(block)?.[1];
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trimStart())
            .join('\n');
          if (event === 'complete') return;
          if (data) received.push(JSON.parse(data) as SseEvent);
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  })();
  return {
    received,
    done,
    get status() {
      return status;
    },
    async close() {
      abort.abort();
      await done.catch(() => undefined);
    },
  };
}
