import pino, { type DestinationStream, type Logger } from 'pino';

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
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'smn-gateway' },
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    },
    options.destination,
  );
}

/** Keeps a phone number recognisable for support without logging it: `+86138****5678` -> `***5678`. */
export function maskPhoneNumber(phone: string): string {
  return phone.length <= 4 ? '***' : `***${phone.slice(-4)}`;
}
