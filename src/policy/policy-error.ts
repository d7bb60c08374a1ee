/** A send refused by our own policy, before anything reached SMN: nothing was sent. */
export class PolicyError extends Error {
  constructor(
    readonly code: 'RATE_LIMITED' | 'OUTSIDE_SEND_WINDOW',
    message: string,
    readonly details: {
      readonly retryAfterSeconds?: number;
      readonly nextAllowedAt?: Date;
      readonly sendWindow?: string;
    } = {},
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}
