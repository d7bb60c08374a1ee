import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';
import { traceFields } from './tracing.js';

export type { Logger };

/** Paths that must never reach a log line in clear, whatever object they arrive in. */
const REDACTED_PATHS = [
  'sk',
  '*.sk',
  'credentials',
  '*.credentials',
  'securityToken',
  '*.securityToken',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers["x-security-token"]',
  'req.headers.authorization',
  'endpoints',
  '*.endpoints',
];

export interface LoggerOptions {
  readonly level: string;
  /** Where lines go; stdout by default. Tests pass a stream to read every line back. */
  readonly destination?: DestinationStream;
  /** Human-readable lines (pino-pretty, a dev dependency): on a terminal outside production only. */
  readonly pretty?: boolean;
}

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false; // production images have no dev dependencies: JSON it is
  }
}

export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.pretty === true && !options.destination && prettyAvailable();
  return pino(
    {
      level: options.level,
      base: { service: 'smn-gateway' },
      // Lines written inside a span carry its ids, so logs and traces join.
      mixin: traceFields,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      ...(pretty && { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } }),
    },
    pretty ? undefined : options.destination,
  );
}
