import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { bounded } from '../observability/bounded.js';
import type { WebSocketRefusal } from '../observability/metrics.js';

export interface WebSocketUpgradeOptions {
  /** The one path that upgrades (`/graphql`); any other is 404. */
  readonly path: string;
  /** Browser origins allowed to open the WebSocket: CORS_ORIGINS, exact. */
  readonly origins: readonly string[];
  /** Also allow the service's own origin (the Origin's host is the Host asked for): its playground page. */
  readonly ownOrigin: boolean;
  /** Open connections on this replica; one more is refused with 503. */
  readonly maxConnections: number;
  /** Open connections from one IP address (the socket's peer); one more is refused with 429. */
  readonly maxConnectionsPerIp: number;
  readonly refused: (reason: WebSocketRefusal) => void;
  readonly logger: Logger;
}

export type CompleteUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface WebSocketUpgrades {
  /** The HTTP server's `upgrade` listener. */
  readonly listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Connections admitted and not yet closed. */
  open(): number;
  /** From now on every upgrade is refused with 503 (shutting down). */
  stop(): void;
}

/** Answers the upgrade request with a plain HTTP error and closes the socket: no WebSocket is opened. */
function refuse(socket: Duplex, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = `${message}\n`;
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

function pathOf(url: string | undefined): string {
  const index = (url ?? '').indexOf('?');
  return index === -1 ? (url ?? '') : (url ?? '').slice(0, index);
}

/**
 * What may open a WebSocket, checked on the HTTP upgrade before any WebSocket exists. A browser page
 * on another site must not borrow the user's network position or the service's open door (cross-site
 * WebSocket hijacking: browsers let any page open a WebSocket anywhere, and CORS does not apply), so
 * a request with an `Origin` must come from a listed origin (403 otherwise); one without is not from a
 * browser and is let through (authentication is the token's business). Connections are bounded per
 * replica (503) and per IP address (429), counted from the upgrade until the socket closes.
 */
export function websocketUpgrades(options: WebSocketUpgradeOptions, complete: CompleteUpgrade): WebSocketUpgrades {
  const allowed = new Set(options.origins);
  const perIp = new Map<string, number>();
  let open = 0;
  let stopped = false;

  const originAllowed = (request: IncomingMessage): boolean => {
    const { origin, host } = request.headers;
    if (origin === undefined) return true;
    if (allowed.has(origin)) return true;
    if (!options.ownOrigin || host === undefined) return false;
    try {
      const url = new URL(origin);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host.toLowerCase();
    } catch {
      return false;
    }
  };

  const refused = (socket: Duplex, reason: WebSocketRefusal, status: number, message: string, origin?: string) => {
    options.refused(reason);
    options.logger.debug(
      { reason, status, ...(origin !== undefined && { origin: bounded(origin) }) },
      'WebSocket upgrade refused',
    );
    refuse(socket, status, message, status === 503 ? { 'Retry-After': '5' } : {});
  };

  const listener = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // An upgrade socket is ours alone: an error on it must not become an uncaught exception.
    socket.on('error', () => socket.destroy());
    if (pathOf(request.url) !== options.path) return refuse(socket, 404, 'Not found');
    if (stopped) return refused(socket, 'closing', 503, 'The service is shutting down.');
    if (!originAllowed(request)) {
      return refused(socket, 'origin', 403, 'This origin may not open a WebSocket here.', request.headers.origin);
    }
    if (open >= options.maxConnections) {
      return refused(socket, 'connections', 503, 'Too many WebSocket connections on this replica; retry shortly.');
    }
    const ip = request.socket.remoteAddress ?? 'unknown';
    const fromIp = perIp.get(ip) ?? 0;
    if (fromIp >= options.maxConnectionsPerIp) {
      return refused(socket, 'connections_per_ip', 429, 'Too many WebSocket connections from this address.');
    }
    if (socket.destroyed) return undefined;
    open += 1;
    perIp.set(ip, fromIp + 1);
    socket.once('close', () => {
      open -= 1;
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
    });
    complete(request, socket, head);
  };

  return {
    listener,
    open: () => open,
    stop() {
      stopped = true;
    },
  };
}
