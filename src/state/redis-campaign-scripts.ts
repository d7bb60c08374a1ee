import { CAMPAIGN_BATCH_SIZE } from '../campaigns/campaign.js';

/** The Lua scripts that keep a campaign's record, recipients and counters consistent across replicas. */

/**
 * Each script touches one campaign's keys (all `{id}`-tagged: one Cluster slot) or one tenant-level
 * key; the store changes the shared keys (status counts, the tenant's index, a create key) with
 * commands of their own after the script, from what the script answers.
 */

/**
 * The tenant's open set (ids of campaigns not yet finished) admits a new id while it holds fewer than
 * the most open. KEYS: the open set. ARGV: most open, the new id, how long an admitted create may take
 * to write its record (ms), the number of finished ids, then the finished ids, then (id, score seen)
 * pairs of ids whose record was missing. Answers {1, open} admitted, {0, open} refused.
 * An id is admitted with the server's time as its score, set to 0 once its record is written (the store
 * does); so a missing record is one that expired (score 0, as read) or one whose create died (its time
 * is older than the grace), never one still being written. Ids are dropped only when the store found
 * them finished or missing: the store reads the records (other slots) when the set is full.
 */
export const ADMIT = `
local max = tonumber(ARGV[1])
local nfinished = tonumber(ARGV[4])
for i = 5, 4 + nfinished do redis.call('ZREM', KEYS[1], ARGV[i]) end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
for i = 5 + nfinished, #ARGV, 2 do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and score == ARGV[i + 1] and (tonumber(score) == 0 or tonumber(score) < now - tonumber(ARGV[3])) then
    redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
local open = redis.call('ZCARD', KEYS[1])
if open >= max then return {0, open} end
redis.call('ZADD', KEYS[1], now, ARGV[2])
return {1, open + 1}
`;

/** KEYS: a create key. ARGV: the claim. Lets the claim go if it is still this create's. */
export const RELEASE_CLAIM = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * KEYS: the new record. ARGV: retention ms, then the record's field/value pairs. A draft never started
 * is forgotten after the retention period.
 */
export const CREATE = `
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
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
-- A draft's numbers expire with it (PTTL is 0 in a draft's last millisecond, -1 with no expiry).
local ttl = redis.call('PTTL', KEYS[1])
if ttl >= 0 and new > 0 then
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('PEXPIRE', KEYS[3], ttl)
end
return {new, duplicates}
`;

/**
 * KEYS: record, canonical set, recipients. ARGV: allowed statuses as ",A,B,", new status,
 * "1" to start a new generation, "1" to fix the batch count from the recipients, the number of
 * field/value pairs, the pairs, then fields to clear.
 * Answers {0} unknown, {1} not in an allowed status, {2, the status before, create key} changed: the
 * store moves the status counts, and keeps the create key (named in the record's `createKey`, another
 * slot) when a draft starts: it lives as long as its campaign, so a retried create finds the campaign.
 */
export const TRANSITION = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {0} end
if not string.find(ARGV[1], ',' .. status .. ',', 1, true) then return {1} end
redis.call('HSET', KEYS[1], 'status', ARGV[2])
if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[1], 'generation', 1) end
if ARGV[4] == '1' then
  local recipients = tonumber(redis.call('HGET', KEYS[1], 'recipients'))
  redis.call('HSET', KEYS[1], 'batches', math.ceil(recipients / ${CAMPAIGN_BATCH_SIZE}))
end
local npairs = tonumber(ARGV[5])
for i = 0, npairs - 1 do redis.call('HSET', KEYS[1], ARGV[6 + 2 * i], ARGV[7 + 2 * i]) end
for i = 6 + 2 * npairs, #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) end
if ARGV[2] ~= 'DRAFT' then redis.call('DEL', KEYS[2]) end
local keep = ''
if status == 'DRAFT' and ARGV[2] ~= 'DRAFT' and ARGV[2] ~= 'CANCELLED' then
  -- A draft expires if never started; a started campaign lives until it finishes.
  redis.call('PERSIST', KEYS[1])
  redis.call('PERSIST', KEYS[3])
  keep = redis.call('HGET', KEYS[1], 'createKey') or ''
end
return {2, status, keep}
`;

/**
 * KEYS: record, done batches, failures. ARGV: index, sent, failed, suppressed, unknown,
 * finished-at ms, messages sent but not recorded, then the failures as JSON. Answers {0} (already counted or unknown), {1} counted,
 * {2, the status before} counted and the campaign completed (the store moves the status counts).
 */
export const RECORD_BATCH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return {0} end
redis.call('HINCRBY', KEYS[1], 'sent', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'failed', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'suppressed', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'unknown', ARGV[5])
if ARGV[7] ~= '0' then redis.call('HINCRBY', KEYS[1], 'unrecorded', ARGV[7]) end
local done = redis.call('HINCRBY', KEYS[1], 'batchesDone', 1)
for i = 8, #ARGV, 500 do
  redis.call('RPUSH', KEYS[3], unpack(ARGV, i, math.min(i + 499, #ARGV)))
end
local batches = tonumber(redis.call('HGET', KEYS[1], 'batches') or '0')
local status = redis.call('HGET', KEYS[1], 'status')
if done >= batches and (status == 'RUNNING' or status == 'PAUSED') then
  redis.call('HSET', KEYS[1], 'status', 'COMPLETED', 'finishedAt', ARGV[6])
  redis.call('HDEL', KEYS[1], 'nextBatchAt')
  return {2, status}
end
return {1}
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
