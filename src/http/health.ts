import { Router } from 'express';

/**
 * Liveness (`/healthz`: the process serves HTTP) and readiness (`/readyz`: it can send, i.e. shared
 * state is reachable), for Docker's HEALTHCHECK and orchestrators.
 */
export function healthRoutes(checks: { ready: () => boolean }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    const ready = checks.ready();
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', checks: { state: ready ? 'up' : 'down' } });
  });
  return router;
}
