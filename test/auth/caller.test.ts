import { describe, expect, it } from 'vitest';
import { callerKey } from '../../src/auth/caller.js';

describe('caller keys (quotas and idempotency records are kept per caller)', () => {
  it('cannot be spliced: no tenant/subject pair collides with another', () => {
    const scopes = new Set<string>();
    expect(callerKey({ tenant: 'a/b', sub: 'c', scopes })).not.toBe(callerKey({ tenant: 'a', sub: 'b/c', scopes }));
    expect(callerKey({ tenant: '-', sub: 'x', scopes })).not.toBe(callerKey({ sub: 'x', scopes }));
  });
});
