import calculateSlot from 'cluster-key-slot';
import { isCluster, slotGroups, type RedisClient } from './redis-client.js';
import { APPEND_FUNCTION, APPEND_SENT_FUNCTION } from './redis-history-outbox.js';
import { encodeEvent, sentEvents } from '../history/events.js';
import {
  requestsOf,
  sameSend,
  type DeliveryState,
  type SendLog,
  type SentMessage,
  type SentRequest,
} from '../send/send-log.js';

/**
 * Keys. `v1:request:<requestId>` holds a request (its message ids). A send's shared fields are stored
 * once (`v2:send:<requestId>`) and each message only as `{"r": requestId, "e": endpoint, "d": delivery}`
 * (`v2:sent:<messageId>`), so a message costs a small reference, not a copy of its send's fields
 * (sizes in bench/RESULTS.md, "Why the code is this way").
 */
const MESSAGE = 'v2:sent:';
const SEND = 'v2:send:';
const REQUEST = 'v1:request:';

/**
 * In a Cluster a message's key carries one of this many hash tags, chosen from its id
 * (`v2:sent:{s<n>}<messageId>`): a send's thousand messages then go in about this many scripts, not a
 * SET each (a thousand commands were three quarters of a Cluster send's CPU: bench/RESULTS.md, "Why the
 * code is this way"), while the messages still spread over the Cluster's nodes.
 */
export const MESSAGE_BUCKETS = 32;

/**
 * Every key of a record() in one command: a thousand SETs cost one round trip and one call instead of a
 * thousand (the client CPU saved is in bench/RESULTS.md, "Why the code is this way"). In a Cluster a
 * script may touch one hash slot only: one call per slot group there (a lone key is a plain SET), so a
 * reader may find a message before its send for a moment, and answers it unknown until then.
 */
const RECORD = `for i = 1, #KEYS do redis.call('SET', KEYS[i], ARGV[i + 1], 'PX', ARGV[1]) end
return #KEYS`;

/**
 * RECORD and the send's history in one script (a server that is not a Cluster): the messages are set,
 * then their `sent` events appended to the history outbox (or counted as dropped when it is full), so a
 * recorded send and its history entry are one atomic step: no send recorded without its history, no
 * history of a send not recorded. Nothing is written before every argument is read (a script that fails
 * half way keeps what it wrote; Redis refuses it whole for memory before it starts). KEYS: the record's
 * keys, then the outbox stream and its dropped counter. ARGV: ttl, outbox bound, how many values, the
 * form of the history, the values, then (form `e`) each event's text. Form `c` (one request, every
 * message a reference: what publish records): the event is composed here from the values, which are the
 * send, its messages' references, then the request (APPEND_SENT_FUNCTION), so it crosses once.
 */
const RECORD_WITH_HISTORY = `${APPEND_FUNCTION}${APPEND_SENT_FUNCTION}local values = tonumber(ARGV[3])
local max = tonumber(ARGV[2])
local stream, dropped = KEYS[#KEYS - 1], KEYS[#KEYS]
-- A key of the wrong type fails here, before anything is written.
redis.call('XLEN', stream)
redis.call('GET', dropped)
for i = 1, values do redis.call('SET', KEYS[i], ARGV[i + 4], 'PX', ARGV[1]) end
if ARGV[4] == 'c' then
  append_sent(stream, dropped, max, ARGV[5], ARGV[values + 4], 6, values + 3)
else
  append_history(stream, dropped, max, values + 5)
end
return values`;

/**
 * Replaces the number of each stored message (KEYS) with ARGV[1], keeping its time to live. Answers
 * how many were changed.
 */
const MASK_ENDPOINT = `local changed = 0
for i = 1, #KEYS do
  local raw = redis.call('GET', KEYS[i])
  if raw then
    local message = cjson.decode(raw)
    local field = message.messageId and 'endpoint' or 'e'
    if message[field] ~= ARGV[1] then
      message[field] = ARGV[1]
      redis.call('SET', KEYS[i], cjson.encode(message), 'KEEPTTL')
      changed = changed + 1
    end
  end
end
return changed`;

/**
 * Sets the delivery on the stored message only while it has none, or SUBMITTED:
 * the first final status wins, whichever replica the reports reach. Answers 0 unknown, 1 unchanged,
 * 2 updated, and the stored JSON.
 */
const UPDATE_DELIVERY = `local key = KEYS[1]
local raw = redis.call('GET', key)
if not raw then return {0, ''} end
local message = cjson.decode(raw)
local field = message.messageId and 'delivery' or 'd'
local known = message[field]
if type(known) == 'table' and known.status ~= 'SUBMITTED' then return {1, raw} end
message[field] = cjson.decode(ARGV[1])
local updated = cjson.encode(message)
redis.call('SET', key, updated, 'KEEPTTL')
return {2, updated}`;

/** What the messages of one send share, stored once. */
interface SendFields {
  readonly smsTemplateId: string;
  readonly signId?: string | undefined;
  readonly extendCode?: string | undefined;
  readonly submittedAt: string;
  readonly sentBy?: SentMessage['sentBy'];
  readonly campaignId?: string | undefined;
}

/** A message: its request, its number, its delivery once a report came. */
interface MessageRef {
  readonly r: string;
  readonly e: string;
  readonly d?: Record<string, unknown>;
}

type StoredMessage =
  MessageRef | (Omit<SentMessage, 'submittedAt'> & { submittedAt: string; delivery?: Record<string, unknown> });

function reviveDelivery(stored: Record<string, unknown> | undefined): DeliveryState | undefined {
  if (!stored) return undefined;
  const delivery = stored as unknown as DeliveryState & { reportedAt?: string; deliveredAt?: string };
  return {
    ...delivery,
    ...(delivery.reportedAt !== undefined && { reportedAt: new Date(delivery.reportedAt) }),
    ...(delivery.deliveredAt !== undefined && { deliveredAt: new Date(delivery.deliveredAt) }),
  };
}

const isRef = (stored: StoredMessage): stored is MessageRef => 'r' in stored;

function sendFieldsOf(message: SentMessage): SendFields {
  const { smsTemplateId, signId, extendCode, submittedAt, sentBy, campaignId } = message;
  return { smsTemplateId, signId, extendCode, submittedAt: submittedAt.toISOString(), sentBy, campaignId };
}

/** A message that differs from its send, in full, as its JSON. */
function fullForm(message: SentMessage): string {
  const { messageId, endpoint, requestId, delivery } = message;
  return JSON.stringify({
    messageId,
    endpoint,
    requestId,
    ...sendFieldsOf(message),
    // A fresh message is SUBMITTED by default: stored without it, as before any report.
    delivery: delivery?.status === 'SUBMITTED' ? undefined : delivery,
  });
}

export interface RedisSendLogOptions {
  /**
   * The history outbox the record script also appends each send's `sent` events to (HISTORY_* set).
   * Only on a server that is not a Cluster: there the send and its history are one EVAL. A Cluster
   * keeps the messages in many hash slots and a script may touch one only, so there the option is
   * ignored and the history is appended through the outbox after the record (`recordingSendLog` with
   * `sendsInScript: false`): the documented exception, where a crash between the two loses that
   * send's history entry.
   */
  readonly outbox?: {
    readonly keys: { readonly stream: string; readonly dropped: string };
    readonly maxEntries: number;
  };
}

/**
 * The send log shared by every replica: per SMN request its message ids and its shared fields, per
 * message a small reference, each with the log's TTL. One record() is one SMN request's messages
 * (publish records once per call); a request recorded twice keeps the later. `recordsHistory`: whether
 * record() appends the send's history itself (an outbox given, not a Cluster).
 */
export function createRedisSendLog(
  redis: RedisClient,
  keyPrefix: string,
  ttlMs: number,
  options: RedisSendLogOptions = {},
): SendLog & { readonly recordsHistory: boolean } {
  const key = (kind: string, id: string) => `${keyPrefix}${kind}${id}`;
  const cluster = isCluster(redis);
  const historyOutbox = cluster ? undefined : options.outbox;
  /** A message's key; in a Cluster bucketed by its id's hash tag (MESSAGE_BUCKETS). */
  const messageKey = cluster
    ? (id: string) => `${keyPrefix}${MESSAGE}{s${calculateSlot(id) % MESSAGE_BUCKETS}}${id}`
    : (id: string) => key(MESSAGE, id);
  /**
   * Where a Cluster kept a message before the buckets (0.2.0): read, updated and masked there as well
   * while such keys live (SEND_LOG_TTL_SECONDS after the upgrade). Not a Cluster: the one key.
   */
  const legacyKey = cluster ? (id: string) => key(MESSAGE, id) : undefined;

  /** MGET, one per slot group (a Cluster refuses keys of several slots): values in the keys' order. */
  const mget = async (keys: readonly string[]): Promise<Array<string | null>> => {
    const groups = slotGroups(redis, keys);
    const values = new Array<string | null>(keys.length).fill(null);
    const answers = await Promise.all(groups.map((group) => redis.mget(...group.map((index) => keys[index]!))));
    groups.forEach((group, g) => group.forEach((index, i) => (values[index] = answers[g]![i] ?? null)));
    return values;
  };

  const sendsOf = async (requestIds: Iterable<string>): Promise<Map<string, SendFields>> => {
    const ids = [...new Set(requestIds)];
    if (ids.length === 0) return new Map();
    const raw = await mget(ids.map((id) => key(SEND, id)));
    const sends = new Map<string, SendFields>();
    ids.forEach((id, index) => {
      const value = raw[index];
      if (value) sends.set(id, JSON.parse(value) as SendFields);
    });
    return sends;
  };

  const revive = (
    messageId: string,
    stored: StoredMessage,
    sends: Map<string, SendFields>,
  ): SentMessage | undefined => {
    if (!isRef(stored)) {
      return { ...stored, submittedAt: new Date(stored.submittedAt), delivery: reviveDelivery(stored.delivery) };
    }
    const send = sends.get(stored.r);
    if (!send) return undefined; // its send expired first (they share the TTL): gone as well
    return {
      messageId,
      endpoint: stored.e,
      requestId: stored.r,
      ...send,
      submittedAt: new Date(send.submittedAt),
      delivery: reviveDelivery(stored.d),
    };
  };

  const findMany = async (messageIds: readonly string[]): Promise<Array<SentMessage | undefined>> => {
    if (messageIds.length === 0) return [];
    const raw = await mget(messageIds.map(messageKey));
    if (legacyKey) {
      const missing = raw.flatMap((value, index) => (value === null ? [index] : []));
      const legacy = await mget(missing.map((index) => legacyKey(messageIds[index]!)));
      missing.forEach((index, i) => (raw[index] = legacy[i] ?? null));
    }
    const stored = raw.map((value) => (value ? (JSON.parse(value) as StoredMessage) : undefined));
    const sends = await sendsOf(stored.flatMap((message) => (message && isRef(message) ? [message.r] : [])));
    return stored.map((message, index) => message && revive(messageIds[index]!, message, sends));
  };

  return {
    recordsHistory: historyOutbox !== undefined,
    async record(messages) {
      if (messages.length === 0) return;
      const keys: string[] = [];
      const values: string[] = [];
      // The first message of each request speaks for its send; one that differs is stored in full.
      const firsts = new Map<string, SentMessage>();
      let allRefs = true;
      for (const message of messages) {
        const first = firsts.get(message.requestId);
        if (!first) {
          firsts.set(message.requestId, message);
          keys.push(key(SEND, message.requestId));
          values.push(JSON.stringify(sendFieldsOf(message)));
        }
        keys.push(messageKey(message.messageId));
        if (!first || sameSend(first, message)) {
          values.push(
            JSON.stringify({
              r: message.requestId,
              e: message.endpoint,
              ...(message.delivery && message.delivery.status !== 'SUBMITTED' && { d: message.delivery }),
            }),
          );
        } else {
          allRefs = false;
          values.push(fullForm(message));
        }
      }
      for (const request of requestsOf(messages)) {
        keys.push(key(REQUEST, request.requestId));
        values.push(JSON.stringify(request));
      }
      if (historyOutbox) {
        // One request of references (the send, its messages, the request): the script composes the
        // event from those values. Otherwise each event's text follows them.
        const composed = allRefs && firsts.size === 1;
        await redis.eval(
          RECORD_WITH_HISTORY,
          keys.length + 2,
          ...keys,
          historyOutbox.keys.stream,
          historyOutbox.keys.dropped,
          ttlMs,
          historyOutbox.maxEntries,
          values.length,
          composed ? 'c' : 'e',
          ...values,
          ...(composed ? [] : sentEvents(messages).map(encodeEvent)),
        );
        return;
      }
      const groups = slotGroups(redis, keys);
      await Promise.all(
        groups.map((group) =>
          group.length === 1
            ? redis.set(keys[group[0]!]!, values[group[0]!]!, 'PX', ttlMs)
            : redis.eval(
                RECORD,
                group.length,
                ...group.map((index) => keys[index]!),
                ttlMs,
                ...group.map((index) => values[index]!),
              ),
        ),
      );
    },
    async find(messageId) {
      return (await findMany([messageId]))[0];
    },
    findMany,
    async findRequest(requestId) {
      const raw = await redis.get(key(REQUEST, requestId));
      if (!raw) return undefined;
      const stored = JSON.parse(raw) as SentRequest & { submittedAt: string };
      return { ...stored, submittedAt: new Date(stored.submittedAt) };
    },
    async updateDelivery(messageId, delivery) {
      const update = async (at: string) =>
        (await redis.eval(UPDATE_DELIVERY, 1, at, JSON.stringify(delivery))) as [number, string];
      let [outcome, raw] = await update(messageKey(messageId));
      if (outcome === 0 && legacyKey) [outcome, raw] = await update(legacyKey(messageId));
      if (outcome === 0) return { outcome: 'unknown' };
      const stored = JSON.parse(raw) as StoredMessage;
      const message = revive(messageId, stored, await sendsOf(isRef(stored) ? [stored.r] : []));
      if (!message) return { outcome: 'unknown' };
      return { outcome: outcome === 2 ? 'updated' : 'unchanged', message };
    },
    async maskEndpoint(messageIds, replacement) {
      if (messageIds.length === 0) return 0;
      const ids = [...new Set(messageIds)];
      const keys = [...ids.map(messageKey), ...(legacyKey ? ids.map(legacyKey) : [])];
      const changed = await Promise.all(
        slotGroups(redis, keys).map(
          (group) =>
            redis.eval(
              MASK_ENDPOINT,
              group.length,
              ...group.map((index) => keys[index]!),
              replacement,
            ) as Promise<number>,
        ),
      );
      return changed.reduce((sum, count) => sum + Number(count), 0);
    },
  };
}
