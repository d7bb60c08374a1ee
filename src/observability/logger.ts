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

/** Lines waiting for stdout at most this many bytes; past it a line is dropped, not held (`stdoutLines`). */
export const STDOUT_BUFFER_BYTES = 16 * 1_048_576;
/** A stalled stdout is reported on stderr at most this often. */
const DROP_REPORT_MS = 60_000;

/**
 * Stdout written off the event loop: a line is queued and written with whatever else queued meanwhile,
 * by libuv, instead of one blocking write(2) per line (bench/RESULTS.md, round three). pino flushes what
 * is queued, synchronously, when the process exits (its exit handler for async destinations), so
 * `process.exit` after a last line loses nothing. A stdout that stops draining (a stalled log shipper)
 * no longer blocks requests; what it holds is bounded by `bufferBytes`, past which lines are dropped
 * and counted on stderr, once a minute at most, each dropped line counted once.
 */
export function stdoutLines(
  bufferBytes = STDOUT_BUFFER_BYTES,
  reportEveryMs = DROP_REPORT_MS,
): ReturnType<typeof pino.destination> {
  const stream = pino.destination({ dest: 1, sync: false, maxLength: bufferBytes });
  let dropped = 0;
  let window: NodeJS.Timeout | undefined;
  // The first drop is reported at once; drops after it are counted and reported when its minute ends
  // (none: the next drop is reported at once again), so every dropped line is counted once.
  const report = () => {
    window = undefined;
    if (dropped === 0) return;
    process.stderr.write(
      `{"level":40,"time":${Date.now()},"service":"smn-gateway","dropped":${dropped},` +
        `"bufferBytes":${bufferBytes},"msg":"stdout is not draining: log lines dropped"}\n`,
    );
    dropped = 0;
    window = setTimeout(report, reportEveryMs).unref();
  };
  stream.on('drop', () => {
    dropped += 1;
    if (window === undefined) report();
  });
  return stream;
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
    pretty ? undefined : (options.destination ?? stdoutLines()),
  );
}
