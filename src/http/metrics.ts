import { createServer, type Server } from 'node:http';
import express, { Router } from 'express';
import type { Registry } from 'prom-client';

/** `GET /metrics` in Prometheus' text format. */
export function metricsRoute(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.send(await registry.metrics());
  });
  return router;
}

/** /metrics on a port of its own (METRICS_PORT), so it need not be exposed with the API. */
export function metricsServer(registry: Registry): Server {
  const app = express();
  app.disable('x-powered-by');
  app.use(metricsRoute(registry));
  return createServer(app);
}
