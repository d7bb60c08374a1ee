import { createServer } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { bodyErrors } from '../../src/http/body-errors.js';
import { closeServer, listen } from '../../src/util/listen.js';
import { createLogger } from '../../src/observability/logger.js';
import { LogCapture } from '../helpers/log-capture.js';

describe('errors outside GraphQL', () => {
  it('a middleware failure is a JSON INTERNAL_SERVER_ERROR with the request id, logged in full, no stack page', async () => {
    const logs = new LogCapture();
    const app = express();
    app.use('/graphql', express.json(), () => {
      throw new Error('internal detail: disk on fire');
    });
    app.use(bodyErrors(createLogger({ level: 'info', destination: logs })));
    const server = createServer(app);
    const url = await listen(server, 0, '127.0.0.1');
    try {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'mw-1' },
        body: '{}',
      });
      expect(response.status).toBe(500);
      expect(response.headers.get('x-request-id')).toBe('mw-1');
      expect(await response.json()).toEqual({
        errors: [
          { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'mw-1' } },
        ],
      });
      expect(logs.entries().find((entry) => entry.requestId === 'mw-1')).toMatchObject({ level: 50 });
      expect(logs.text).toContain('disk on fire');
    } finally {
      await closeServer(server);
    }
  });
});
