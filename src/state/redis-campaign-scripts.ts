import { CAMPAIGN_BATCH_SIZE } from '../campaigns/campaign.js';

/** The Lua scripts that keep a campaign's record, recipients and counters consistent across replicas. */

/**
 * KEYS: the new record, the tenant's index, status counts, the tenant's open set (ids of campaigns
 * not yet finished), and the create key claimed for an idempotency key (when there is one). ARGV: most
 * open campaigns, retention ms, the new id, the record key of an id is ARGV[4] .. id .. '}', the claim
 * (or ''), the status, then the record's field/value pairs. Answers {1, open} created, {0, open}
 * refused: then nothing is written and the claim, if still this create's, is let go.
 * The open set is made exact only when it is full: members whose record finished or expired are
 * dropped then (their records are read by key, so this store keeps to one Redis, not a Cluster).
 */
export const CREATE = `
local max = tonumber(ARGV[1])
local open = redis.call('ZCARD', KEYS[4])
if open >= max then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
    local status = redis.call('HGET', ARGV[4] .. id .. '}', 'status')
    if not status or status == 'COMPLETED' or status == 'CANCELLED' then redis.call('ZREM', KEYS[4], id) end
  end
  open = redis.call('ZCARD', KEYS[4])
  if open >= max then
    if KEYS[5] and redis.call('GET', KEYS[5]) == ARGV[5] then redis.call('DEL', KEYS[5]) end
    return {0, open}
  end
end
redis.call('HSET', KEYS[1], unpack(ARGV, 7))
-- The create key lives as long as its campaign: kept once it starts, expired with it (TRANSITION).
if KEYS[5] then redis.call('HSET', KEYS[1], 'createKey', KEYS[5]) end
-- A draft never started is forgotten after the retention period.
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], 0, ARGV[3])
redis.call('HINCRBY', KEYS[3], ARGV[6], 1)
redis.call('ZADD', KEYS[4], 0, ARGV[3])
return {1, open + 1}
`;

/** KEYS: record, canonical set, recipients. ARGV: max, duplicates within the call, then canonical/endpoint pairs. */
export const ADD_RECIPIENTS = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {-1} end
if status ~= 'DRAFT' then return {-2, status} end
local count = tonumber(redis.call('HGET', KEYS[1], 'recipients'))
local fresh = {}
local new = 0
for i = 3, #ARGV, 2 do
  if redis.call('SISMEMBER', KEYS[2], ARGV[i]) == 0 then new = new + 1; fresh[new] = i end
end
if count + new > tonumber(ARGV[1]) then return {-3, count} end
for j = 1, new do
  local i = fresh[j]
  redis.call('SADD', KEYS[2], ARGV[i])
  redis.call('RPUSH', KEYS[3], ARGV[i + 1])
end
local duplicates = (#ARGV - 2) / 2 - new + tonumber(ARGV[2])
redis.call('HINCRBY', KEYS[1], 'recipients', new)
redis.call('HINCRBY', KEYS[1], 'duplicatesRemoved', duplicates)
-- A draft's numbers expire with it.
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 and new > 0 then
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('PEXPIRE', KEYS[3], ttl)
end
return {new, duplicates}
`;

/**
 * KEYS: record, status counts (campaigns not finished), canonical set, recipients. ARGV: allowed statuses as ",A,B,", new status,
 * "1" to start a new generation, "1" to fix the batch count from the recipients, the number of
 * field/value pairs, the pairs, then fields to clear.
 * Answers 0 unknown, 1 not in an allowed status, 2 changed. A draft that starts is kept for good, and
 * so is its create key (named in the record's `createKey`: read by name, one Redis, not a Cluster), so
 * a retried create finds the campaign for as long as it lives.
 */
export const TRANSITION = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 0 end
if not string.find(ARGV[1], ',' .. status .. ',', 1, true) then return 1 end
redis.call('HSET', KEYS[1], 'status', ARGV[2])
if status ~= ARGV[2] then
  redis.call('HINCRBY', KEYS[2], status, -1)
  if ARGV[2] ~= 'COMPLETED' and ARGV[2] ~= 'CANCELLED' then redis.call('HINCRBY', KEYS[2], ARGV[2], 1) end
end
if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[1], 'generation', 1) end
if ARGV[4] == '1' then
  local recipients = tonumber(redis.call('HGET', KEYS[1], 'recipients'))
  redis.call('HSET', KEYS[1], 'batches', math.ceil(recipients / ${CAMPAIGN_BATCH_SIZE}))
end
local npairs = tonumber(ARGV[5])
for i = 0, npairs - 1 do redis.call('HSET', KEYS[1], ARGV[6 + 2 * i], ARGV[7 + 2 * i]) end
for i = 6 + 2 * npairs, #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) end
if ARGV[2] ~= 'DRAFT' then redis.call('DEL', KEYS[3]) end
if status == 'DRAFT' and ARGV[2] ~= 'DRAFT' and ARGV[2] ~= 'CANCELLED' then
  -- A draft expires if never started; a started campaign lives until it finishes.
  redis.call('PERSIST', KEYS[1])
  redis.call('PERSIST', KEYS[4])
  local createKey = redis.call('HGET', KEYS[1], 'createKey')
  if createKey then redis.call('PERSIST', createKey) end
end
return 2
`;

/**
 * KEYS: record, done batches, failures, status counts. ARGV: index, sent, failed, suppressed, unknown,
 * finished-at ms, then the failures as JSON. Answers 0 (already counted or unknown), 1 counted,
 * 2 counted and the campaign completed.
 */
export const RECORD_BATCH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'sent', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'failed', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'suppressed', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'unknown', ARGV[5])
local done = redis.call('HINCRBY', KEYS[1], 'batchesDone', 1)
for i = 7, #ARGV, 500 do
  redis.call('RPUSH', KEYS[3], unpack(ARGV, i, math.min(i + 499, #ARGV)))
end
local batches = tonumber(redis.call('HGET', KEYS[1], 'batches') or '0')
local status = redis.call('HGET', KEYS[1], 'status')
if done >= batches and (status == 'RUNNING' or status == 'PAUSED') then
  redis.call('HSET', KEYS[1], 'status', 'COMPLETED', 'finishedAt', ARGV[6])
  redis.call('HDEL', KEYS[1], 'nextBatchAt')
  redis.call('HINCRBY', KEYS[4], status, -1)
  return 2
end
return 1
`;

/**
 * KEYS: next-slot key. ARGV: now ms, this batch's share in ms. Answers {1, next slot} when the slot was
 * taken, {0, when to ask again} when it has not come yet.
 */
export const TAKE_SLOT = `
local now = tonumber(ARGV[1])
local next = tonumber(redis.call('GET', KEYS[1]) or '0')
if next > now then return {0, string.format('%.0f', next)} end
local after = now + tonumber(ARGV[2])
redis.call('SET', KEYS[1], string.format('%.0f', after), 'PX', string.format('%.0f', after - now + 60000))
return {1, string.format('%.0f', after)}
`;

/** KEYS: record. ARGV: field, then the value to set, or nothing to clear. Only while not finished. */
export const SET_WHILE_ACTIVE = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status or status == 'COMPLETED' or status == 'CANCELLED' then return 0 end
if ARGV[2] then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) else redis.call('HDEL', KEYS[1], ARGV[1]) end
return 1
`;

/** KEYS: record. ARGV: counter. Counts only into a campaign that still exists. */
export const INCREMENT_EXISTING = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
`;
