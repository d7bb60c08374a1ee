import { describe, expect, it } from 'vitest';
import { provablyNotSent, transportError } from '../../src/smn/transport-errors.js';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('which transport failures prove the POST never left', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'])('%s: not sent', (code) => {
    expect(provablyNotSent(withCode(code))).toBe(true);
  });

  it("Node 24.20+'s ERR_SOCKET_CLOSED_BEFORE_CONNECTION (a plain Error, not got's): not sent", () => {
    const error = transportError(withCode('ERR_SOCKET_CLOSED_BEFORE_CONNECTION'));
    expect(error).toMatchObject({ delivery: 'NOT_SENT', causeCode: 'ERR_SOCKET_CLOSED_BEFORE_CONNECTION' });
  });

  it.each(['ECONNRESET', 'EPIPE', 'ETIMEDOUT'])('%s after connecting: may have been sent (UNKNOWN)', (code) => {
    expect(provablyNotSent(withCode(code))).toBe(false);
    expect(transportError(withCode(code)).delivery).toBe('UNKNOWN');
  });

  it('an error without a code: UNKNOWN, never assumed unsent', () => {
    expect(transportError(new Error('boom')).delivery).toBe('UNKNOWN');
  });
});
