import type { Logger } from 'pino';
import { decodeEvent, encodeEvent, type HistoryEvent } from '../history/events.js';
import type { HistoryOutbox, OutboxEntry, OutboxStats } from '../history/outbox.js';
import type { RedisClient } from './redis-client.js';
import { closeRedisClient } from './redis-close.js';

/** The consumer group every replica's history writer reads the outbox in. */
export const HISTORY_GROUP = 'history';

/**
 * The outbox's keys: the stream and the counter of events dropped because it was full. Both carry the
 * hash tag `{outbox}`, so on a Redis Cluster they live in one hash slot and every script that touches
 * both (append, the send log's record with its history) stays in that slot. A key prefix that holds a
 * hash tag of its own (`{smn}:`) puts them in its slot instead, still both together: Redis hashes the
 * first `{...}` of a key.
 */
export function historyOutboxKeys(keyPrefix: string): { readonly stream: string; readonly dropped: string } {
  return { stream: `${keyPrefix}v1:history:{outbox}`, dropped: `${keyPrefix}v1:history:{outbox}:dropped` };
}

/**
 * Lua: appends ARGV[from..] to the stream KEYS-named `stream` while it holds fewer than `max` entries,
 * counts the rest in `dropped`. Never trims: a trimmed entry would be history lost before it was
 * written. Shared with the send log's record script (one EVAL for a send and its history).
 */
export const APPEND_FUNCTION = `local function append_history(stream, dropped, max, from)
  local room = max - redis.call('XLEN', stream)
  local lost = 0
  for i = from, #ARGV do
    if room > 0 then
      redis.call('XADD', stream, '*', 'e', ARGV[i])
      room = room - 1
    else
      lost = lost + 1
    end
  end
  if lost > 0 then redis.call('INCRBY', dropped, lost) end
  return lost
end
`;

/**
 * Lua: the `sent` event of a send the record script has just stored, composed from what it stored, so
 * the caller sends the messages once (not a second, encoded copy for the history; the Node CPU saved is
 * in bench/RESULTS.md, "History"). The entry's fields are the send log's own stored forms: `s` the send's
 * shared fields (its `v2:send:` value), `q` its request (the `v1:request:` value: request id and the
 * message ids in order), `m` the messages' references (`{"r":…,"e":…}`, the `v2:sent:` values) joined by
 * commas, ARGV[first..last]. Appended while the stream holds fewer than `max`, else counted in `dropped`.
 */
export const APPEND_SENT_FUNCTION = `local function append_sent(stream, dropped, max, send, request, first, last)
  if max - redis.call('XLEN', stream) > 0 then
    redis.call('XADD', stream, '*', 's', send, 'q', request, 'm', table.concat(ARGV, ',', first, last))
    return 0
  end
  redis.call('INCRBY', dropped, 1)
  return 1
end
`;

/** The `sent` event of an entry APPEND_SENT_FUNCTION composed (fields s, q, m). */
export function decodeComposedSent(send: string, request: string, refs: string): HistoryEvent {
  const fields = JSON.parse(send) as {
    smsTemplateId: string;
    signId?: string;
    extendCode?: string;
    submittedAt: string;
    sentBy?: { sub: string; tenant?: string };
    campaignId?: string;
  };
  const { requestId, messageIds } = JSON.parse(request) as { requestId: string; messageIds: string[] };
  const endpoints = JSON.parse(`[${refs}]`) as Array<{ r: string; e: string }>;
  if (typeof requestId !== 'string' || !Array.isArray(messageIds) || messageIds.length !== endpoints.length) {
    throw new Error('a composed sent entry whose request and messages do not match');
  }
  const submittedAt = new Date(fields.submittedAt);
  return {
    kind: 'sent',
    messages: messageIds.map((messageId, index) => ({
      messageId,
      endpoint: endpoints[index]!.e,
      requestId,
      smsTemplateId: fields.smsTemplateId,
      signId: fields.signId,
      extendCode: fields.extendCode,
      campaignId: fields.campaignId,
      submittedAt,
      sentBy: fields.sentBy,
    })),
  };
}

/** A field's value in an XREAD entry's [name, value, …] list. */
function fieldOf(fields: readonly string[], name: string): string | undefined {
  for (let index = 0; index < fields.length - 1; index += 2) if (fields[index] === name) return fields[index + 1];
  return undefined;
}

/**
 * An entry's event: `e` an event's text (encodeEvent: every kind, and every `sent` event before the
 * record script composed them), or `s`, `q`, `m` a `sent` event the record script composed. Undefined:
 * neither (not an entry this outbox writes); throws on text it cannot read.
 */
function eventOf(fields: readonly string[]): HistoryEvent | undefined {
  const text = fieldOf(fields, 'e');
  if (text !== undefined) return decodeEvent(text);
  const send = fieldOf(fields, 's');
  const request = fieldOf(fields, 'q');
  const refs = fieldOf(fields, 'm');
  if (send === undefined || request === undefined || refs === undefined) return undefined;
  return decodeComposedSent(send, request, refs);
}

/** KEYS: stream, dropped. ARGV: max entries, then each event's text. Answers how many were dropped. */
const APPEND = `${APPEND_FUNCTION}return append_history(KEYS[1], KEYS[2], tonumber(ARGV[1]), 2)`;

export interface RedisHistoryOutboxOptions {
  readonly keyPrefix: string;
  /** HISTORY_OUTBOX_MAX_ENTRIES: beyond it events are dropped and counted. */
  readonly maxEntries: number;
  /** Entries another consumer left unacknowledged this long are taken over (a replica that died). */
  readonly claimIdleMs: number;
  /** This replica's consumer name in the group (stable across restarts, unique per replica). */
  readonly consumer: string;
  readonly logger: Logger;
  /** Failures of the outbox's own blocking connection (it reconnects by itself). */
  readonly onConnectionError?: (error: unknown) => void;
}

export interface RedisHistoryOutbox extends HistoryOutbox {
  readonly keys: { readonly stream: string; readonly dropped: string };
  readonly maxEntries: number;
  /** Closes the blocking connection (after the writer stopped). */
  close(): Promise<void>;
}

type RawEntry = [id: string, fields: string[] | null];
type ReadAnswer = Array<[key: string, entries: RawEntry[]]> | null;

const isNoGroup = (error: unknown) => error instanceof Error && error.message.startsWith('NOGROUP');

const msOf = (id: string) => Number(id.slice(0, id.indexOf('-')));

/**
 * The durable outbox: a Redis Stream shared by every replica, read in the consumer group `history`.
 * append() is one script (XLEN checked against the bound, then XADD each event, or the dropped counter
 * raised); take() answers this consumer's own pending entries first (a write that failed is retried),
 * then entries idle at another consumer longer than `claimIdleMs` (XAUTOCLAIM: a replica killed
 * mid-batch), then new ones, blocking up to `blockMs` on a connection of its own (a blocked command on
 * the shared connection would hold up every send behind it). ack() is XACK and XDEL in one MULTI, so
 * XLEN is what is still to be written.
 */
export function createRedisHistoryOutbox(redis: RedisClient, options: RedisHistoryOutboxOptions): RedisHistoryOutbox {
  const keys = historyOutboxKeys(options.keyPrefix);
  const { consumer, claimIdleMs, maxEntries } = options;
  const log = options.logger.child({ component: 'history-outbox' });
  const blocking = redis.duplicate();
  blocking.on('error', (error: unknown) => options.onConnectionError?.(error));
  let groupReady = false;
  let claimCursor = '0-0';
  const undecodableLogged = new Set<string>();

  const ensureGroup = async (force = false) => {
    if (groupReady && !force) return;
    try {
      await redis.xgroup('CREATE', keys.stream, HISTORY_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
    groupReady = true;
  };

  const ack = async (ids: readonly string[]) => {
    if (ids.length === 0) return;
    const answers = await redis
      .multi()
      .xack(keys.stream, HISTORY_GROUP, ...ids)
      .xdel(keys.stream, ...ids)
      .exec();
    // NOGROUP on XACK: Redis lost the group (and its data); nothing is left to acknowledge.
    const failed = answers?.find(([error]) => error && !isNoGroup(error));
    if (failed?.[0]) throw failed[0];
  };

  /** Entries as the port gives them; undecodable ones (and ones deleted meanwhile) acknowledged. */
  const entriesOf = async (raw: readonly RawEntry[]): Promise<OutboxEntry[]> => {
    const entries: OutboxEntry[] = [];
    const discard: string[] = [];
    for (const [id, fields] of raw) {
      let event: HistoryEvent | undefined;
      try {
        event = fields ? eventOf(fields) : undefined;
      } catch (error) {
        if (!undecodableLogged.has(id)) {
          if (undecodableLogged.size >= 1_000) undecodableLogged.clear();
          undecodableLogged.add(id);
          log.error(
            { entry: id, err: error instanceof Error ? error.message : String(error) },
            'history outbox entry this version cannot read: discarded',
          );
        }
        discard.push(id);
        continue;
      }
      if (!event) {
        if (fields && !undecodableLogged.has(id)) {
          undecodableLogged.add(id);
          log.error({ entry: id }, 'history outbox entry without an event: discarded');
        }
        discard.push(id);
        continue;
      }
      entries.push({ id, event, appendedAt: msOf(id) });
    }
    await ack(discard);
    return entries;
  };

  const readGroup = async (client: RedisClient, count: number, from: '0' | '>', blockMs?: number) => {
    const args: Array<string | number> = ['GROUP', HISTORY_GROUP, consumer, 'COUNT', count];
    if (blockMs !== undefined && blockMs > 0) args.push('BLOCK', blockMs);
    args.push('STREAMS', keys.stream, from);
    const answer = (await client.call('XREADGROUP', ...args)) as ReadAnswer;
    return answer?.[0]?.[1] ?? [];
  };

  /** Waits (at most `ms`) for the blocking connection: commands fail fast while it is not connected. */
  const blockingReady = (ms: number) =>
    blocking.status === 'ready'
      ? Promise.resolve(true)
      : new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => {
            blocking.off('ready', onReady);
            resolve(false);
          }, ms);
          const onReady = () => {
            clearTimeout(timer);
            resolve(true);
          };
          blocking.once('ready', onReady);
        });

  const takeOnce = async (count: number, blockMs: number): Promise<OutboxEntry[]> => {
    await ensureGroup();
    const own = await readGroup(redis, count, '0');
    if (own.length > 0) {
      const entries = await entriesOf(own);
      if (entries.length > 0) return entries;
    }
    const claimed = (await redis.call(
      'XAUTOCLAIM',
      keys.stream,
      HISTORY_GROUP,
      consumer,
      claimIdleMs,
      claimCursor,
      'COUNT',
      count,
    )) as [string, RawEntry[], string[]?];
    claimCursor = claimed[0];
    if (claimed[1].length > 0) {
      log.warn({ entries: claimed[1].length }, 'history entries another replica left unwritten taken over');
      const entries = await entriesOf(claimed[1]);
      if (entries.length > 0) return entries;
    }
    // Without waiting, or while the blocking connection is not up yet (the first take, a reconnect), a
    // read that does not block may use the shared connection: new entries are not left for the next round.
    if (blockMs <= 0 || !(await blockingReady(blockMs))) return entriesOf(await readGroup(redis, count, '>'));
    return entriesOf(await readGroup(blocking, count, '>', blockMs));
  };

  return {
    durable: true,
    keys,
    maxEntries,
    async append(events) {
      if (events.length === 0) return;
      await redis.eval(APPEND, 2, keys.stream, keys.dropped, maxEntries, ...events.map(encodeEvent));
    },
    async take(count, blockMs) {
      try {
        return await takeOnce(count, blockMs);
      } catch (error) {
        if (!isNoGroup(error)) throw error;
        // Redis lost the stream and its group (a restart without persistence, a failover to an empty
        // replica): the group is made again and reads whatever was appended since.
        log.warn('history outbox consumer group missing (Redis lost its data?): created again');
        claimCursor = '0-0';
        await ensureGroup(true);
        return takeOnce(count, blockMs);
      }
    },
    ack,
    async stats(): Promise<OutboxStats> {
      const [entries, oldest, dropped] = await Promise.all([
        redis.xlen(keys.stream),
        redis.xrange(keys.stream, '-', '+', 'COUNT', 1),
        redis.get(keys.dropped),
      ]);
      const first = oldest[0]?.[0];
      return { entries, oldestAt: first === undefined ? undefined : msOf(first), dropped: Number(dropped ?? 0) };
    },
    close: () => closeRedisClient(blocking),
  };
}
