import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startApp({});
});
afterAll(() => app?.close());

describe('HTTP routes besides GraphQL', () => {
  it('GET /healthz answers 200 for the container HEALTHCHECK', async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('does not advertise the framework', async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});
