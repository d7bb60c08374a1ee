import type { Logger } from 'pino';

/** Per-request state, built once per HTTP request by the server and handed to every resolver. */
export interface GatewayContext {
  readonly requestId: string;
  readonly logger: Logger;
}
