/**
 * Which SMN envelope an event handler has applied, so a repeat (SMN's retry, or a replay) changes
 * nothing. `digest` is the key (SHA-256 of the whole string to sign: `envelope.ts`'s `envelopeDigest`),
 * never the envelope's `message_id`, which a replay could change.
 */
export interface EnvelopeKey {
  readonly digest: string;
}

/** Where handled envelopes are remembered (memory for one replica, Redis for several: `src/state/`). */
export interface SeenEnvelopes {
  seen(key: EnvelopeKey): Promise<boolean>;
  mark(key: EnvelopeKey): Promise<void>;
}
