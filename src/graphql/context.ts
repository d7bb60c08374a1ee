import type { Logger } from 'pino';

/** Per-request state, built once per HTTP request by the server and handed to every resolver. */
export interface GatewayContext {
  /** From X-Request-Id when the caller (or the federation router) sent a safe one; fresh otherwise. */
  readonly requestId: string;
  /** The Authorization header as received (never logged). */
  readonly authorization: string | undefined;
  readonly logger: Logger;
}
