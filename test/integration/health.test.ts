import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.js';

const stack = useStack({ simulator: 'embedded' });

describe('HTTP routes besides GraphQL', () => {
  it('GET /healthz answers 200 for the container HEALTHCHECK', async () => {
    const response = await fetch(`${stack.app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('does not advertise the framework', async () => {
    const response = await fetch(`${stack.app.url}/healthz`);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('hashes no answer for an ETag: GraphQL answers are never served as 304', async () => {
    const response = await fetch(stack.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBeNull();
    expect((await fetch(`${stack.app.url}/healthz`)).headers.get('etag')).toBeNull();
  });
});
