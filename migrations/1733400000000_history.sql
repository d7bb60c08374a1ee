-- The send history (issue 27): messages by month partition, the opt-out ledger, the counts held back,
-- and the erasures. Applied by node-pg-migrate at start (src/postgres/migrate.ts), under its advisory lock.

-- Up Migration

-- Month partitions (messages_yYYYYmMM) are created by the writer and by maintain(): no default
-- partition, so retention drops whole months.
-- Identifiers compare bytewise (COLLATE "C"): they have no language order, and their indexes take a
-- third less time to maintain than under a locale collation.
CREATE TABLE messages (
  tenant text COLLATE "C" NOT NULL,
  message_id text COLLATE "C" NOT NULL,
  request_id text COLLATE "C" NOT NULL,
  -- Position within its request (-1 until the sent event arrives, when a report came first).
  seq int NOT NULL,
  -- E.164, or erased:<endpoint_key> after erasure.
  endpoint text NOT NULL,
  -- Keyed hash of tenant and endpoint (HMAC-SHA256, 32 hex); NULL once erased.
  endpoint_key text COLLATE "C",
  template_id text NOT NULL,
  signature_id text,
  extend_code text,
  campaign_id text COLLATE "C",
  -- The sender's sub.
  sent_by text,
  submitted_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'SUBMITTED'
    CHECK (status IN ('SUBMITTED', 'DELIVERED', 'FAILED', 'EXPIRED', 'REJECTED', 'UNKNOWN')),
  carrier_code text,
  reported_at timestamptz,
  delivered_at timestamptz,
  PRIMARY KEY (message_id, submitted_at)
) PARTITION BY RANGE (submitted_at);

-- Ascending keys, read backwards for the newest first: time only grows, so each index takes new
-- entries at its right end, where a full page splits 90/10 and stays ~90% full. Declared DESC, new
-- entries went to the left end, where pages split 50/50: twice the pages, the WAL and the writes.
CREATE INDEX messages_by_endpoint ON messages (tenant, endpoint_key, submitted_at, message_id);
CREATE INDEX messages_by_request ON messages (tenant, request_id);
-- Only campaign messages: a direct send's rows skip this index (a query by campaign names one, so the
-- planner knows campaign_id is not null and uses it).
CREATE INDEX messages_by_campaign ON messages (tenant, campaign_id, submitted_at, message_id)
  WHERE campaign_id IS NOT NULL;
CREATE INDEX messages_by_time ON messages (tenant, submitted_at, message_id);

-- Every opt-out change, kept for good (never partitioned, never dropped by retention).
CREATE TABLE opt_out_ledger (
  event_id text NOT NULL,
  endpoint text NOT NULL,
  tenant text NOT NULL,
  action text NOT NULL CHECK (action IN ('ADDED', 'REMOVED')),
  source text NOT NULL CHECK (source IN ('MANUAL', 'SMS_REPLY')),
  reason text,
  actor text,
  at timestamptz NOT NULL,
  PRIMARY KEY (event_id, endpoint)
);

CREATE INDEX opt_out_ledger_by_endpoint ON opt_out_ledger (tenant, endpoint, at, event_id);

-- Numbers a send held back, counted per send (retention deletes old rows).
CREATE TABLE suppressed_sends (
  event_id text PRIMARY KEY,
  tenant text NOT NULL,
  at timestamptz NOT NULL,
  template_id text NOT NULL,
  campaign_id text,
  count int NOT NULL
);

CREATE INDEX suppressed_sends_by_time ON suppressed_sends (tenant, at);

CREATE TABLE erasures (
  tenant text NOT NULL,
  endpoint_key text NOT NULL,
  erased_at timestamptz NOT NULL,
  erased_by text NOT NULL,
  erased_messages int NOT NULL,
  PRIMARY KEY (tenant, endpoint_key, erased_at)
);

-- Down Migration

DROP TABLE erasures;
DROP TABLE suppressed_sends;
DROP TABLE opt_out_ledger;
DROP TABLE messages;
