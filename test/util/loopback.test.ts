import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../src/util/loopback.js';

describe('isLoopbackHost: what the unauthenticated-API warning treats as reachable from this machine only', () => {
  it('127.0.0.0/8, ::1 in any spelling, IPv4-mapped loopback and localhost are loopback', () => {
    for (const host of ['127.0.0.1', '127.10.0.1', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'LOCALHOST'])
      expect(isLoopbackHost(host), host).toBe(true);
  });

  it('every interface, a real address or a host name is not', () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.2', '10.0.0.1', 'fd00::2', '::ffff:10.0.0.1', 'gateway.internal', ''])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});
