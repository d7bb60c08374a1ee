import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { maskPhoneNumber } from '../../src/observability/phone-mask.js';
import { LogCapture } from '../helpers/log-capture.js';

describe('phone numbers in logs', () => {
  it.each([
    ['+8613812345678', '+86*******5678'],
    ['+14155550100', '+1******0100'],
    ['+447700900123', '+44******0123'],
    ['+35312345678', '+353****5678'],
    ['13812345678', '*******5678'],
    ['8613812345678', '86*******5678'],
    ['+12345', '+1****'],
    ['+123456789', '+1****6789'],
  ])('%s is logged as %s: country code and last 4 digits only', (phone, masked) => {
    expect(maskPhoneNumber(phone)).toBe(masked);
  });

  it('redacts credentials, tokens, Authorization headers and endpoint lists whatever object they come in', () => {
    const capture = new LogCapture();
    const logger = createLogger({ level: 'info', destination: capture });
    logger.info(
      {
        credentials: { ak: 'AK', sk: 'the-sk' },
        sk: 'the-sk',
        securityToken: 'the-token',
        headers: { authorization: 'Bearer eyJhbGciOi.payload.sig' },
        request: { endpoints: ['+8613812345678'] },
      },
      'line',
    );
    expect(capture.text).not.toMatch(/the-sk|the-token|eyJhbGciOi|13812345678/);
  });
});
