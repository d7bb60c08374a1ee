import { Router } from 'express';

/** Liveness for Docker's HEALTHCHECK and orchestrators: the process serves HTTP. */
export function healthRoutes(): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return router;
}
