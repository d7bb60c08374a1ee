import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { createRedisCauseLog } from '../../src/state/redis-cause-log.js';
import { redisCause } from '../../src/state/redis-client.js';
import { LogCapture } from '../helpers/log-capture.js';

function replyError(message: string): Error {
  return Object.assign(new Error(message), { name: 'ReplyError' });
}

describe('Redis failures in the log: the cause once, then at most once a minute', () => {
  it('names the cause from the reply or the socket/TLS code', () => {
    expect(redisCause(replyError('WRONGPASS invalid username-password pair or user is disabled.'))).toBe('WRONGPASS');
    expect(redisCause(replyError('NOAUTH Authentication required.'))).toBe('NOAUTH');
    expect(redisCause(replyError("READONLY You can't write against a read only replica."))).toBe('READONLY');
    expect(redisCause(replyError('MOVED 4986 127.0.0.1:7002'))).toBe('MOVED');
    expect(redisCause(replyError("CROSSSLOT Keys in request don't hash to the same slot"))).toBe('CROSSSLOT');
    expect(redisCause(replyError("OOM command not allowed when used memory > 'maxmemory'."))).toBe('OOM');
    expect(redisCause(replyError("ERR unknown command 'evalsha'"))).toBe('UNKNOWN_COMMAND');
    expect(redisCause(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(
      'ECONNREFUSED',
    );
    expect(
      redisCause(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })),
    ).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('a flood of one cause is one line, then one a minute with the count left out; recovery resets it', () => {
    const capture = new LogCapture();
    const logger = createLogger({ level: 'info', pretty: false, destination: capture });
    let now = 1_000_000;
    const causes = createRedisCauseLog(logger, 60_000, () => now);
    for (let index = 0; index < 10_000; index += 1)
      causes.report(replyError('CROSSSLOT Keys in request'), 'campaign-worker');
    causes.report(replyError('OOM command not allowed'), 'campaign-worker');
    expect(capture.entries().map((entry) => [entry.msg, entry.cause])).toEqual([
      ['Redis failing: CROSSSLOT', 'CROSSSLOT'],
      ['Redis failing: OOM', 'OOM'],
    ]);
    now += 60_001;
    causes.report(replyError('CROSSSLOT Keys in request'), 'campaign-worker');
    expect(capture.entries().at(-1)).toMatchObject({ msg: 'Redis still failing: CROSSSLOT', notLoggedSince: 9_999 });
    causes.recovered('campaign-worker');
    expect(capture.entries().at(-1)).toMatchObject({ msg: 'Redis answering again', source: 'campaign-worker' });
    causes.report(replyError('CROSSSLOT Keys in request'), 'campaign-worker');
    expect(capture.entries().at(-1)).toMatchObject({ msg: 'Redis failing: CROSSSLOT' });
    expect(causes.last()).toMatchObject({ cause: 'CROSSSLOT' });
  });

  it('never writes a phone number a reply may echo', () => {
    const capture = new LogCapture();
    const causes = createRedisCauseLog(createLogger({ level: 'info', pretty: false, destination: capture }));
    causes.report(replyError('ERR wrong value +8613800138000 in script'), 'commands');
    expect(capture.text).not.toContain('8613800138000');
  });
});
