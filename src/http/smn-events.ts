import express, { Router, type ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import type { EventOutcome } from '../smn/events/handle.js';

/** SMN's own limit on a topic message is far below this. */
const MAX_EVENT_BYTES = 256 * 1024;
/** SMN waits 5 s for an answer; past this we answer 503 (SMN retries; the work still finishes). */
const ANSWER_WITHIN_MS = 4_500;

type Outcome = EventOutcome | 'too_large' | 'state_unavailable' | 'timeout';

/** Refused messages (unreadable, stale, or not provably SMN's) get a 4xx; everything else a 200. */
const STATUS: Partial<Record<EventOutcome, number>> = {
  malformed: 400,
  unknown_type: 400,
  stale: 400,
  untrusted_certificate: 403,
  bad_signature: 403,
};

/** The HTTP status SMN gets for what became of its message. */
export function statusOf(outcome: EventOutcome): number {
  return STATUS[outcome] ?? 200;
}

/**
 * `POST /smn/events`: where SMN's topic delivers delivery reports, replies and subscription messages.
 * Outside GraphQL and JWT auth (SMN sends no token): the message signature is the authentication.
 */
export function smnEventRoutes(
  handle: (body: unknown) => Promise<EventOutcome>,
  count: (outcome: Outcome) => void,
  logger: Logger,
): Router {
  const router = Router();
  const answer = (res: express.Response, outcome: Outcome, status: number) => {
    count(outcome);
    res.status(status).json({ outcome });
  };
  router.post('/smn/events', express.text({ type: () => true, limit: MAX_EVENT_BYTES }), async (req, res) => {
    let body: unknown;
    try {
      body = JSON.parse(typeof req.body === 'string' ? req.body : '');
    } catch {
      return answer(res, 'malformed', 400);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ANSWER_WITHIN_MS)));
    try {
      const outcome = await Promise.race([handle(body), late]);
      if (outcome === 'timeout') return answer(res, 'timeout', 503);
      return answer(res, outcome, statusOf(outcome));
    } catch (error) {
      logger.error({ err: error }, 'SMN event could not be applied (state out of reach); SMN will retry');
      return answer(res, 'state_unavailable', 503);
    } finally {
      clearTimeout(timer);
    }
  });
  const tooLarge: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if ((error as { type?: unknown } | null)?.type !== 'entity.too.large') return next(error);
    answer(res, 'too_large', 413);
  };
  router.use('/smn/events', tooLarge);
  return router;
}
