import type { Redis } from 'ioredis';
import type { SendLog, SentMessage } from '../sms/send-log.js';

const VERSION = 1;

/** The send log shared by every replica: one key per message, each with the log's TTL. */
export function createRedisSendLog(redis: Redis, keyPrefix: string, ttlMs: number): SendLog {
  const keyOf = (messageId: string) => `${keyPrefix}v${VERSION}:sent:${messageId}`;
  return {
    async record(messages) {
      const pipeline = redis.pipeline();
      for (const message of messages) pipeline.set(keyOf(message.messageId), JSON.stringify(message), 'PX', ttlMs);
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0];
    },
    async find(messageId) {
      const raw = await redis.get(keyOf(messageId));
      if (!raw) return undefined;
      const stored = JSON.parse(raw) as SentMessage & { submittedAt: string };
      return { ...stored, submittedAt: new Date(stored.submittedAt) };
    },
  };
}
