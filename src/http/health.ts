import { Router } from 'express';

/** What readiness says of shared state (state/state-port.ts `StateReadiness`, in its JSON form). */
export interface StateReport {
  readonly ready: boolean;
  readonly topology: string;
  readonly reason?: string;
}

export interface HealthChecks {
  /** False once shutdown began. */
  readonly serving: () => boolean;
  /** Shared state, proven by a write where its data lives (memory: always ready). */
  readonly state: () => Promise<StateReport>;
}

/**
 * Liveness (`/healthz`: the process serves HTTP) and readiness (`/readyz`: it can send, i.e. shared
 * state answers a write on the primary that owns it and was not lost), for Docker's HEALTHCHECK and
 * orchestrators. Readiness reports the topology, each primary's role and the last Redis error.
 */
export function healthRoutes(checks: HealthChecks): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res, next) => {
    checks
      .state()
      .then((state) => {
        const serving = checks.serving();
        const ready = serving && state.ready;
        res.status(ready ? 200 : 503).json({
          status: ready ? 'ready' : 'not ready',
          ...(!serving && { reason: 'shutting down' }),
          checks: { state: state.ready ? 'up' : 'down' },
          state,
        });
      })
      .catch(next);
  });
  return router;
}
