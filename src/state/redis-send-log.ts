import type { Redis } from 'ioredis';
import { requestsOf, type DeliveryState, type SendLog, type SentMessage, type SentRequest } from '../sms/send-log.js';

const VERSION = 1;

/**
 * Sets `delivery` on the stored message only while it has none, or SUBMITTED: the first final status
 * wins, whichever replica the reports reach. Answers 0 unknown, 1 unchanged, 2 updated, and the JSON.
 */
const UPDATE_DELIVERY = `local raw = redis.call('GET', KEYS[1])
if not raw then return {0, ''} end
local message = cjson.decode(raw)
if type(message.delivery) == 'table' and message.delivery.status ~= 'SUBMITTED' then return {1, raw} end
message.delivery = cjson.decode(ARGV[1])
local updated = cjson.encode(message)
redis.call('SET', KEYS[1], updated, 'KEEPTTL')
return {2, updated}`;

function reviveDelivery(stored: Record<string, unknown> | undefined): DeliveryState | undefined {
  if (!stored) return undefined;
  const delivery = stored as unknown as DeliveryState & { reportedAt?: string; deliveredAt?: string };
  return {
    ...delivery,
    ...(delivery.reportedAt !== undefined && { reportedAt: new Date(delivery.reportedAt) }),
    ...(delivery.deliveredAt !== undefined && { deliveredAt: new Date(delivery.deliveredAt) }),
  };
}

/** A message as stored: what SentMessage holds, nothing a caller's object carries besides (a status). */
function stored(message: SentMessage): string {
  const {
    messageId,
    endpoint,
    requestId,
    smsTemplateId,
    signId,
    extendCode,
    submittedAt,
    sentBy,
    delivery,
    campaignId,
  } = message;
  return JSON.stringify({
    messageId,
    endpoint,
    requestId,
    smsTemplateId,
    signId,
    extendCode,
    submittedAt,
    sentBy,
    // A fresh message is SUBMITTED by default: stored without it, as before any report.
    delivery: delivery?.status === 'SUBMITTED' ? undefined : delivery,
    campaignId,
  });
}

function revive(raw: string | null): SentMessage | undefined {
  if (!raw) return undefined;
  const stored = JSON.parse(raw) as SentMessage & { submittedAt: string; delivery?: Record<string, unknown> };
  return { ...stored, submittedAt: new Date(stored.submittedAt), delivery: reviveDelivery(stored.delivery) };
}

/**
 * The send log shared by every replica: one key per message and one per request (its message ids),
 * each with the log's TTL.
 */
export function createRedisSendLog(redis: Redis, keyPrefix: string, ttlMs: number): SendLog {
  const keyOf = (messageId: string) => `${keyPrefix}v${VERSION}:sent:${messageId}`;
  const requestKey = (requestId: string) => `${keyPrefix}v${VERSION}:request:${requestId}`;
  return {
    async record(messages) {
      const pipeline = redis.pipeline();
      for (const message of messages) pipeline.set(keyOf(message.messageId), stored(message), 'PX', ttlMs);
      for (const request of requestsOf(messages)) {
        pipeline.set(requestKey(request.requestId), JSON.stringify(request), 'PX', ttlMs);
      }
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0];
    },
    async find(messageId) {
      return revive(await redis.get(keyOf(messageId)));
    },
    async findMany(messageIds) {
      if (messageIds.length === 0) return [];
      return (await redis.mget(...messageIds.map(keyOf))).map(revive);
    },
    async findRequest(requestId) {
      const raw = await redis.get(requestKey(requestId));
      if (!raw) return undefined;
      const stored = JSON.parse(raw) as SentRequest & { submittedAt: string };
      return { ...stored, submittedAt: new Date(stored.submittedAt) };
    },
    async updateDelivery(messageId, delivery) {
      const [outcome, raw] = (await redis.eval(UPDATE_DELIVERY, 1, keyOf(messageId), JSON.stringify(delivery))) as [
        number,
        string,
      ];
      if (outcome === 0) return { outcome: 'unknown' };
      return { outcome: outcome === 2 ? 'updated' : 'unchanged', message: revive(raw)! };
    },
  };
}
