import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
};

/** Numbers to add to a DRAFT campaign. */
export type AddPromotionCampaignRecipientsInput = {
  /** The DRAFT campaign to add to. */
  campaignId: Scalars['ID']['input'];
  /** 1 to 10000 phone numbers, valid as for a send. Duplicates (same canonical number, in this call or already in the campaign) are removed: one person, one message. */
  endpoints: Array<Scalars['String']['input']>;
  /** false: any invalid number refuses the whole call (BAD_USER_INPUT). true: invalid ones are skipped and counted. */
  skipInvalid?: InputMaybe<Scalars['Boolean']['input']>;
};

/** What one addPromotionCampaignRecipients call did. */
export type AddPromotionCampaignRecipientsPayload = {
  __typename?: 'AddPromotionCampaignRecipientsPayload';
  /** Numbers added by this call. */
  added: Scalars['Int']['output'];
  /** The campaign after the call. */
  campaign: PromotionCampaign;
  /** Numbers of this call already in the campaign (or repeated in the call). */
  duplicatesRemoved: Scalars['Int']['output'];
  /** Numbers skipped as invalid (skipInvalid: true). */
  invalid: Scalars['Int']['output'];
  /** The first 50 invalid numbers, by index. */
  invalidSamples: Array<InvalidRecipient>;
};

/** Why the gateway paused a campaign by itself. */
export type CampaignError = {
  __typename?: 'CampaignError';
  /** Why, e.g. SMN_REJECTED. */
  code: CampaignErrorCode;
  /** What went wrong, with SMN's own code (e.g. SMN.0162: the template does not exist). */
  message: Scalars['String']['output'];
  /** SMN's (or its API gateway's) own code exactly as given, e.g. SMN.0162; null when SMN gave none. */
  smnCode?: Maybe<Scalars['String']['output']>;
};

/** Why the gateway paused a campaign by itself. New values may be added; treat unknown ones as OTHER. */
export type CampaignErrorCode =
  /** Another reason: see message. */
  | 'OTHER'
  /** One batch is larger than the creator's whole recipient quota. */
  | 'QUOTA_EXCEEDED'
  /** SMN refused the batch (template, signature, account): see smnCode. */
  | 'SMN_REJECTED';

/** A new campaign: what it sends, and how. Recipients are added afterwards. */
export type CreatePromotionCampaignInput = {
  /** Echoed back in delivery reports; same rules as on a send. */
  extendCode?: InputMaybe<Scalars['String']['input']>;
  /** Sender number extension; same rules as on a send. */
  extendSrcId?: InputMaybe<Scalars['String']['input']>;
  /** Makes retrying safe: the same key and input return the campaign the first call created. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Pacing across all replicas, 1 to 100000 messages per second; default CAMPAIGN_MESSAGES_PER_SECOND. */
  messagesPerSecond?: InputMaybe<Scalars['Int']['input']>;
  /** 1 to 200 characters, for people. */
  name: Scalars['String']['input'];
  /** The SMS signature id; same rules as on a send. */
  signId?: InputMaybe<Scalars['String']['input']>;
  /** The promotional SMS template every batch sends. */
  smsTemplateId: Scalars['String']['input'];
  /** When sending is to begin; in the future, startPromotionCampaign makes it SCHEDULED. */
  startAt?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A new webhook endpoint. */
export type CreateWebhookEndpointInput = {
  /** Your note, at most 200 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The events it receives: at least one. */
  events: Array<WebhookEvent>;
  /** Where deliveries are POSTed: https (http outside production), no credentials, no fragment, never a private, loopback or link-local address (checked again after DNS on every delivery) unless WEBHOOK_ALLOW_PRIVATE=true. */
  url: Scalars['String']['input'];
};

/** Where a message stands after SMN accepted it. */
export type DeliveryStatus =
  /** The carrier reports it delivered (DELIVRD, ACCEPTD). */
  | 'DELIVERED'
  /** The carrier gave up: the phone stayed unreachable (EXPIRED). */
  | 'EXPIRED'
  /** The carrier could not deliver it (UNDELIV, DELETED, other failures). */
  | 'FAILED'
  /** The carrier refused it (REJECTD). */
  | 'REJECTED'
  /** Accepted by SMN; no delivery report yet. */
  | 'SUBMITTED'
  /** The carrier does not know (UNKNOWN). */
  | 'UNKNOWN';

/** What eraseEndpointHistory did. */
export type EraseEndpointHistoryPayload = {
  __typename?: 'EraseEndpointHistoryPayload';
  /** Messages whose number was replaced by its keyed hash. */
  erasedMessages: Scalars['Int']['output'];
};

/** A number that was not added; its value is never echoed. */
export type InvalidRecipient = {
  __typename?: 'InvalidRecipient';
  /** Its position in `endpoints` (0-based). */
  index: Scalars['Int']['output'];
  /** Which rule it broke. */
  message: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Numbers that must never again receive promotional SMS: later sends hold them back as SmsFailed OPTED_OUT. Nothing changes when any number is invalid (BAD_USER_INPUT). Scope sms:optout:write. */
  addOptOuts: OptOutsPayload;
  /** Adds up to 10000 numbers to a DRAFT campaign, de-duplicated across the whole campaign by canonical number. At most CAMPAIGN_MAX_RECIPIENTS in all: past it, BAD_USER_INPUT and nothing from the call is added; in memory mode past the replica budget CAMPAIGN_MEMORY_MAX_RECIPIENTS, CAMPAIGN_LIMIT_REACHED and nothing added. Scope sms:promotion:send. */
  addPromotionCampaignRecipients: AddPromotionCampaignRecipientsPayload;
  /** Cancels a campaign that has not finished: the remaining batches are dropped. Scope sms:promotion:send. */
  cancelPromotionCampaign: PromotionCampaign;
  /** Creates a DRAFT campaign (nothing is sent until it is started). A tenant has at most CAMPAIGN_MAX_OPEN_PER_TENANT campaigns not yet finished: past it, CAMPAIGN_LIMIT_REACHED and nothing is created. Scope sms:promotion:send. */
  createPromotionCampaign: PromotionCampaign;
  /** A new webhook endpoint for your tenant; its signing secret is answered this once. At most WEBHOOK_MAX_ENDPOINTS_PER_TENANT endpoints (past it, BAD_USER_INPUT). Scope sms:webhooks:write. */
  createWebhookEndpoint: WebhookEndpointWithSecret;
  /** Deletes the endpoint: its pending deliveries are dropped. False when you have no endpoint with this id. Scope sms:webhooks:write. */
  deleteWebhookEndpoint: Scalars['Boolean']['output'];
  /** Erase a number from your tenant's history (right to erasure): in every message it is replaced by its keyed hash, also in the send log. The opt-out, if any, is kept. Scope sms:erase. */
  eraseEndpointHistory: EraseEndpointHistoryPayload;
  /** Pauses a RUNNING or SCHEDULED campaign: no new batch starts; one in flight completes. Scope sms:promotion:send. */
  pausePromotionCampaign: PromotionCampaign;
  /** Sends one promotional SMS template to up to 1000 phone numbers (Huawei Cloud SMN PromotionSmsPublish). Nothing is sent when any input rule fails (BAD_USER_INPUT). A call that fails with delivery UNKNOWN may have reached phones: do not repeat it blindly. Needs scope sms:promotion:send; refused with RATE_LIMITED over the caller's recipient quota and OUTSIDE_SEND_WINDOW outside the promotional hours. */
  publishPromotionSms: PublishPromotionSmsPayload;
  /** Numbers that opted back in. Nothing changes when any number is invalid. Scope sms:optout:write. */
  removeOptOuts: OptOutsPayload;
  /** Resumes a PAUSED campaign (also one the gateway paused, e.g. after SMN_REJECTED: its batch is tried again). Scope sms:promotion:send. */
  resumePromotionCampaign: PromotionCampaign;
  /** A new signing secret, answered this once; the previous one also signs for 24 hours (two v1 signatures) while your receivers switch. BAD_USER_INPUT when you have no endpoint with this id. Scope sms:webhooks:write. */
  rotateWebhookSecret: WebhookEndpointWithSecret;
  /** Starts a DRAFT campaign with at least one recipient: RUNNING, or SCHEDULED when its startAt is in the future. Scope sms:promotion:send. */
  startPromotionCampaign: PromotionCampaign;
};


export type MutationAddOptOutsArgs = {
  input: OptOutsInput;
};


export type MutationAddPromotionCampaignRecipientsArgs = {
  input: AddPromotionCampaignRecipientsInput;
};


export type MutationCancelPromotionCampaignArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreatePromotionCampaignArgs = {
  input: CreatePromotionCampaignInput;
};


export type MutationCreateWebhookEndpointArgs = {
  input: CreateWebhookEndpointInput;
};


export type MutationDeleteWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
};


export type MutationEraseEndpointHistoryArgs = {
  endpoint: Scalars['String']['input'];
};


export type MutationPausePromotionCampaignArgs = {
  id: Scalars['ID']['input'];
};


export type MutationPublishPromotionSmsArgs = {
  input: PublishPromotionSmsInput;
};


export type MutationRemoveOptOutsArgs = {
  input: OptOutsInput;
};


export type MutationResumePromotionCampaignArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRotateWebhookSecretArgs = {
  id: Scalars['ID']['input'];
};


export type MutationStartPromotionCampaignArgs = {
  id: Scalars['ID']['input'];
};

/** An object with a global id: opaque, stable, unique across types; `node(id:)` reads it back (Relay's Node). */
export type Node = {
  /** Its global id: opaque; compare and pass it back, never parse it. */
  id: Scalars['ID']['output'];
};

/** Whether one number is opted out of promotional SMS (for your tenant). */
export type OptOut = {
  __typename?: 'OptOut';
  /** The number exactly as given in the query. */
  endpoint: Scalars['String']['output'];
  /** True when promotional SMS to this number are held back. */
  optedOut: Scalars['Boolean']['output'];
  /** The reason given with the opt-out, if any. */
  reason?: Maybe<Scalars['String']['output']>;
  /** When the number was opted out. */
  since?: Maybe<Scalars['DateTime']['output']>;
  /** Where the opt-out came from; null when not opted out. */
  source?: Maybe<OptOutSource>;
};

/** What one change did to a number on the opt-out list. */
export type OptOutAction =
  /** Opted out (addOptOuts, or an unsubscribe reply). */
  | 'ADDED'
  /** Opted back in (removeOptOuts). */
  | 'REMOVED';

/** One change of a number's opt-out state. */
export type OptOutChange = {
  __typename?: 'OptOutChange';
  /** Opted out (ADDED) or back in (REMOVED). */
  action: OptOutAction;
  /** When it changed. */
  at: Scalars['DateTime']['output'];
  /** The caller's `sub` that made it; null for a reply. */
  by?: Maybe<Scalars['String']['output']>;
  /** The reason given with an opt-out, if any. */
  reason?: Maybe<Scalars['String']['output']>;
  /** Where the change came from. */
  source: OptOutSource;
};

/** Where an opt-out came from. */
export type OptOutSource =
  /** Added through addOptOuts. */
  | 'MANUAL'
  /** The recipient replied to a message (an unsubscribe keyword such as "TD"). */
  | 'SMS_REPLY';

/** Phone numbers to opt out, or back in. */
export type OptOutsInput = {
  /** Phone numbers, 1 to 10000, each valid by the same rules as a send. Compared in canonical form (E.164, as libphonenumber-js reads it): "13912345678", "8613912345678", "+8613912345678" and "+86013912345678" are one number. */
  endpoints: Array<Scalars['String']['input']>;
  /** Why, 1 to 200 characters; kept with the opt-out. Ignored by removeOptOuts. */
  reason?: InputMaybe<Scalars['String']['input']>;
};

/** What one addOptOuts or removeOptOuts call did. */
export type OptOutsPayload = {
  __typename?: 'OptOutsPayload';
  /** Numbers whose state this call changed. */
  changed: Scalars['Int']['output'];
  /** Numbers already in that state, repeats within the call included. */
  unchanged: Scalars['Int']['output'];
};

/** Where a page starts and ends, and whether another follows (Relay's PageInfo). Paging is forward only: `first` and `after`. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Pass as `after` for the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether another page follows. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Whether items come before this page (it was read with `after`). Paging back is not offered. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The first edge's cursor; null for an empty page. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** A promotional SMS campaign: one template sent to a large audience in batches of up to 1000, paced, inside the send window, each number at most once. Counts always add up: recipients = sent + failed + suppressed + unknown + remaining. A federation entity. */
export type PromotionCampaign = Node & {
  __typename?: 'PromotionCampaign';
  /** Batches of up to 1000 numbers (fixed at start). */
  batches: Scalars['Int']['output'];
  /** Batches counted: sent, failed, held back or unknown. */
  batchesDone: Scalars['Int']['output'];
  /** When it was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Sent numbers a delivery report says reached the phone. */
  delivered: Scalars['Int']['output'];
  /** Numbers left out as duplicates of one already in (same canonical number). */
  duplicatesRemoved: Scalars['Int']['output'];
  /** Numbers not sent: refused by SMN, or their batch failed after every attempt. */
  failed: Scalars['Int']['output'];
  /** Numbers not sent (refused by SMN, failed batches, held back), in the order their batches finished. */
  failures: SmsFailedPage;
  /** When it completed or was cancelled. */
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The campaign id (cmp_...), unique across tenants: its global id (Node) and the federation key. */
  id: Scalars['ID']['output'];
  /** Its name, for people. */
  name: Scalars['String']['output'];
  /** While RUNNING: when the next batch may go (pacing, the send window, the recipient quota). */
  nextBatchAt?: Maybe<Scalars['DateTime']['output']>;
  /** Set when the gateway paused it itself (e.g. SMN_REJECTED). */
  pausedReason?: Maybe<CampaignError>;
  /** Numbers in the campaign, after duplicates were removed. */
  recipients: Scalars['Int']['output'];
  /** Numbers not yet dealt with. */
  remaining: Scalars['Int']['output'];
  /** Numbers SMN accepted. */
  sent: Scalars['Int']['output'];
  /** The signature every batch sends with, when one was given. */
  signId?: Maybe<Scalars['String']['output']>;
  /** The promotional SMS template every batch sends. */
  smsTemplateId: Scalars['String']['output'];
  /** When sending is to begin, if set at creation. */
  startAt?: Maybe<Scalars['DateTime']['output']>;
  /** When it started running. */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Where it stands. */
  status: PromotionCampaignStatus;
  /** Numbers held back: opted out, or over the per-number daily limit. */
  suppressed: Scalars['Int']['output'];
  /** Sent numbers a delivery report says did not reach the phone. */
  undelivered: Scalars['Int']['output'];
  /** Numbers whose batch may or may not have reached SMN (a worker died mid-batch, a timeout): never resent. */
  unknown: Scalars['Int']['output'];
  /** Of `sent`, messages whose record could not be written (shared state full or out of reach): they were sent, but their delivery reports will not be matched to them. 0 normally. */
  unrecorded: Scalars['Int']['output'];
};


/** A promotional SMS campaign: one template sent to a large audience in batches of up to 1000, paced, inside the send window, each number at most once. Counts always add up: recipients = sent + failed + suppressed + unknown + remaining. A federation entity. */
export type PromotionCampaignFailuresArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** One campaign, with its cursor. */
export type PromotionCampaignEdge = {
  __typename?: 'PromotionCampaignEdge';
  /** Pass as `after` to read on from this campaign. */
  cursor: Scalars['String']['output'];
  /** The campaign. */
  node: PromotionCampaign;
};

/** One page of campaigns, newest first (a Relay connection). */
export type PromotionCampaignPage = {
  __typename?: 'PromotionCampaignPage';
  /** The campaigns of this page, with their cursors. */
  edges: Array<PromotionCampaignEdge>;
  /** The campaigns of this page. */
  nodes: Array<PromotionCampaign>;
  /** Where this page starts and ends. */
  pageInfo: PageInfo;
};

/** Where a campaign stands. */
export type PromotionCampaignStatus =
  /** The remaining batches were dropped. Final. */
  | 'CANCELLED'
  /** Every batch is done. Final. */
  | 'COMPLETED'
  /** Created; takes recipients; nothing is sent. */
  | 'DRAFT'
  /** No new batch starts (paused by you, or by the gateway: see pausedReason). */
  | 'PAUSED'
  /** Batches are going out (or waiting for the send window, quota or pacing: see nextBatchAt). */
  | 'RUNNING'
  /** Started with a startAt in the future; sending begins then. */
  | 'SCHEDULED';

/** The limits publishPromotionSms enforces, so clients can validate before calling. */
export type PromotionSmsLimits = {
  __typename?: 'PromotionSmsLimits';
  /** Longest extendCode, in UTF-8 bytes. */
  extendCodeMaxBytes: Scalars['Int']['output'];
  /** Most digits in extendSrcId. */
  extendSrcIdMaxDigits: Scalars['Int']['output'];
  /** Most phone numbers per call (counted before duplicates are removed). */
  maxEndpoints: Scalars['Int']['output'];
};

/** Everything known about one publishPromotionSms call, from the send log. */
export type PromotionSmsRequest = Node & {
  __typename?: 'PromotionSmsRequest';
  /** Messages DELIVERED. */
  delivered: Scalars['Int']['output'];
  /** Its global id: opaque; compare and pass it back, never parse it. */
  id: Scalars['ID']['output'];
  /** Its accepted messages, in the order they were sent. */
  messages: Array<SmsSent>;
  /** Messages still SUBMITTED (no report yet). */
  pending: Scalars['Int']['output'];
  /** SMN's request_id of the call. */
  requestId: Scalars['String']['output'];
  /** When the batch was submitted to SMN. */
  submittedAt: Scalars['DateTime']['output'];
  /** Messages FAILED, EXPIRED or REJECTED. */
  undelivered: Scalars['Int']['output'];
  /** Messages whose carrier reported UNKNOWN. */
  unknown: Scalars['Int']['output'];
};

/** One batch of promotional SMS: a template sent to a list of phone numbers. */
export type PublishPromotionSmsInput = {
  /** Phone numbers, 1 to 1000 (counted as given, before duplicates are removed). International numbers start with "+" and the country code (E.164); China mobile numbers may omit "+" or "+86". Each must be a possible number of its country (libphonenumber-js). One phone written several ways ("18888888888", "+8618888888888", "+86018888888888") is sent once (first spelling kept, the rest counted in duplicatesRemoved); SMN is sent its E.164 form, results keep the spelling given. */
  endpoints: Array<Scalars['String']['input']>;
  /** Free text echoed back in delivery-status callbacks; 1 to 32 bytes of UTF-8. */
  extendCode?: InputMaybe<Scalars['String']['input']>;
  /** Extension appended to the sender number: 1 to 8 digits. Only for signatures that allow a custom extension number. */
  extendSrcId?: InputMaybe<Scalars['String']['input']>;
  /** Makes retrying safe: 1 to 255 printable ASCII characters, unique per batch you mean to send (a UUID is ideal), scoped to you. The same key with the same input returns the first answer again (replayed: true) and sends nothing; with a different input it is refused (IDEMPOTENCY_KEY_REUSED). Remembered for IDEMPOTENCY_TTL (24 h by default). */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** The SMS signature id, generated by SMN when the signature was created. Not needed when the template is already associated with a signature. */
  signId?: InputMaybe<Scalars['String']['input']>;
  /** The promotional SMS template to send (its unique id in SMN). */
  smsTemplateId: Scalars['String']['input'];
};

/** The outcome of one PromotionSmsPublish call. */
export type PublishPromotionSmsPayload = {
  __typename?: 'PublishPromotionSmsPayload';
  /** How many exact duplicate numbers were removed before sending. */
  duplicatesRemoved: Scalars['Int']['output'];
  /** How many results are SmsFailed (held-back numbers included). */
  failedCount: Scalars['Int']['output'];
  /** True when this is the stored answer of an earlier request with the same idempotencyKey: this request sent nothing. */
  replayed: Scalars['Boolean']['output'];
  /** SMN's request_id for this call: quote it to Huawei support. When every number was held back (opted out or over the daily limit) SMN was not called, and this is the service's own request id (the x-request-id of this call). */
  requestId: Scalars['String']['output'];
  /** One entry per number actually sent (after duplicates were removed), in input order. */
  results: Array<SmsCommitResult>;
  /** How many results are SmsSent. */
  sentCount: Scalars['Int']['output'];
  /** How many numbers were held back before SMN: SmsFailed OPTED_OUT (the number opted out) or DAILY_LIMIT_REACHED (PER_NUMBER_DAILY_LIMIT). Never sent, never counted in the recipient quota. */
  suppressedCount: Scalars['Int']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** Any object by its global id (Relay's Node): null when unknown, aged out, or another tenant's; an id no object of this service could have is BAD_USER_INPUT. Needs the scope of the object type's own query (sms:read for SmsSent, PromotionSmsRequest and PromotionCampaign). */
  node?: Maybe<Node>;
  /** Every opt-out change of one number (any spelling a send takes), oldest first; empty when none. Scope sms:read. */
  optOutHistory: Array<OptOutChange>;
  /** One entry per given number (1 to 10000), in the given order. Scope sms:read. */
  optOuts: Array<OptOut>;
  /** One of your tenant's campaigns; null when unknown, expired or another tenant's. Scope sms:read. */
  promotionCampaign?: Maybe<PromotionCampaign>;
  /** Your tenant's campaigns, newest first. Scope sms:read. */
  promotionCampaigns: PromotionCampaignPage;
  /** The limits publishPromotionSms enforces. Needs scope sms:read. */
  promotionSmsLimits: PromotionSmsLimits;
  /** Everything known about one publishPromotionSms call, by its requestId: its messages and their delivery, from the send log (or the history, when enabled, once the send log forgot them); null when unknown, aged out of both, or sent under another tenant. Scope sms:read. */
  promotionSmsRequest?: Maybe<PromotionSmsRequest>;
  /** A message this service sent for your tenant, by SMN message id, from the send log (or the history, when enabled, once the send log forgot it); null when it is unknown, has aged out of both, or was sent under another tenant. Needs scope sms:read. */
  sentSms?: Maybe<SmsSent>;
  /** Messages sent, newest first. Needs at least one of endpoint, requestId, campaignId, or from and to at most 31 days apart; `first` 1 to 500. Scope sms:history:read. */
  smsHistory: SmsHistoryPage;
  /** SMS signatures of the configured SMN project. Scope sms:read. */
  smsSigns: Array<SmsSign>;
  /** Counts per bucket for a time range (from before to, at most 366 days; 31 with HOUR), buckets with messages only, ordered by key. Scope sms:history:read. */
  smsStats: Array<SmsStatsBucket>;
  /** One SMS template by id; null when SMN does not know it. Scope sms:read. */
  smsTemplate?: Maybe<SmsTemplate>;
  /** SMS templates of the configured SMN project, 100 at most a page. Scope sms:read. */
  smsTemplates: SmsTemplatePage;
  /** One endpoint's deliveries, newest first, with their attempts and the receiver's answers (the last 500 deliveries, for 7 days). BAD_USER_INPUT when you have no endpoint with this id. Scope sms:webhooks:write. */
  webhookDeliveries: WebhookDeliveryPage;
  /** Your tenant's webhook endpoints (no secrets). Scope sms:webhooks:write. */
  webhookEndpoints: Array<WebhookEndpoint>;
};


export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOptOutHistoryArgs = {
  endpoint: Scalars['String']['input'];
};


export type QueryOptOutsArgs = {
  endpoints: Array<Scalars['String']['input']>;
};


export type QueryPromotionCampaignArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPromotionCampaignsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<PromotionCampaignStatus>;
};


export type QueryPromotionSmsRequestArgs = {
  requestId: Scalars['String']['input'];
};


export type QuerySentSmsArgs = {
  messageId: Scalars['String']['input'];
};


export type QuerySmsHistoryArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter: SmsHistoryFilter;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QuerySmsStatsArgs = {
  filter?: InputMaybe<SmsStatsFilter>;
  from: Scalars['DateTime']['input'];
  groupBy?: SmsStatsGrouping;
  to: Scalars['DateTime']['input'];
};


export type QuerySmsTemplateArgs = {
  id: Scalars['String']['input'];
};


export type QuerySmsTemplatesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};


export type QueryWebhookDeliveriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  endpointId: Scalars['ID']['input'];
  first?: Scalars['Int']['input'];
};

/** What happened to one number of the batch: sent, or failed with a reason. */
export type SmsCommitResult = SmsFailed | SmsSent;

/** What SMN's delivery report said about a message. */
export type SmsDelivery = {
  __typename?: 'SmsDelivery';
  /** The carrier's raw status_desc, e.g. DELIVRD, UNDELIV, NOROUTE. */
  carrierCode?: Maybe<Scalars['String']['output']>;
  /** deliver_time from the report. */
  deliveredAt?: Maybe<Scalars['DateTime']['output']>;
  /** When this service learned it. */
  reportedAt?: Maybe<Scalars['DateTime']['output']>;
  /** SUBMITTED until a report arrives; the first final status wins. */
  status: DeliveryStatus;
};

/** A number SMN did not accept (an Sms_commit_result with a code). */
export type SmsFailed = {
  __typename?: 'SmsFailed';
  /** Why it failed: SMN refused it (SMN_0167, the number does not exist; OTHER for codes not named yet, see smnCode); NO_RESULT when SMN returned no entry for this number; or held back before SMN: OPTED_OUT (the number opted out) or DAILY_LIMIT_REACHED (it had its PER_NUMBER_DAILY_LIMIT messages today). */
  code: SmsFailedCode;
  /** The phone number, exactly as it was sent. */
  endpoint: Scalars['String']['output'];
  /** SMN's explanation of the failure. */
  message: Scalars['String']['output'];
  /** SMN's own code exactly as SMN gave it (e.g. SMN.0167); null for the service's own codes. */
  smnCode?: Maybe<Scalars['String']['output']>;
};

/** Why a number was not sent. SMN codes are named with `_` for `.` (SMN.0167 is SMN_0167); a code SMN adds later is OTHER until named here (an additive change), its raw value always in `smnCode`. */
export type SmsFailedCode =
  /** Held back: the number had its PER_NUMBER_DAILY_LIMIT messages today. Not sent. */
  | 'DAILY_LIMIT_REACHED'
  /** SMN returned no result for this number (it was in the call). */
  | 'NO_RESULT'
  /** Held back: the number opted out of promotional SMS. Not sent, not charged to any quota. */
  | 'OPTED_OUT'
  /** Another SMN code: see `smnCode` and `message`. */
  | 'OTHER'
  /** SMN.0057: The number's sending frequency limit is exceeded. */
  | 'SMN_0057'
  /** SMN.0167: The phone number does not exist. */
  | 'SMN_0167'
  /** Campaigns: its batch failed every attempt. SMN throttled the call. Retry after `retryAfterSeconds`. */
  | 'SMN_RATE_LIMITED'
  /** Campaigns: its batch failed every attempt. SMN unreachable or failed. NOT_SENT: retry later. UNKNOWN: it may have been sent; check first. */
  | 'SMN_UNAVAILABLE'
  /** Campaigns: its batch failed every attempt. Shared state is full (Redis answered OOM at its maxmemory), so nothing was sent. An operator must free or add memory; retry later, same key. */
  | 'STATE_FULL'
  /** Campaigns: its batch failed every attempt. Shared state is out of reach, so no idempotency or quota guarantee. Retry shortly, same key. */
  | 'STATE_UNAVAILABLE';

/** One number not sent, with its cursor. */
export type SmsFailedEdge = {
  __typename?: 'SmsFailedEdge';
  /** Pass as `after` to read on from this number. */
  cursor: Scalars['String']['output'];
  /** The number. */
  node: SmsFailed;
};

/** One page of numbers that were not sent (a Relay connection). */
export type SmsFailedPage = {
  __typename?: 'SmsFailedPage';
  /** The numbers of this page, with their cursors. */
  edges: Array<SmsFailedEdge>;
  /** The numbers of this page. */
  nodes: Array<SmsFailed>;
  /** Where this page starts and ends. */
  pageInfo: PageInfo;
};

/** One message of an smsHistory page, with where it stands. */
export type SmsHistoryEdge = {
  __typename?: 'SmsHistoryEdge';
  /** Pass as `after` to read on from this message. */
  cursor: Scalars['String']['output'];
  /** The message. */
  node: SmsHistoryEntry;
};

/** A message this service sent for your tenant, as the history keeps it. */
export type SmsHistoryEntry = {
  __typename?: 'SmsHistoryEntry';
  /** The campaign that sent it; null for a direct publishPromotionSms. */
  campaignId?: Maybe<Scalars['ID']['output']>;
  /** What the delivery reports said; SUBMITTED until one arrived. */
  delivery: SmsDelivery;
  /** The number it was sent to (canonical form); `erased:<hash>` once erased by eraseEndpointHistory. */
  endpoint: Scalars['String']['output'];
  /** SMN message id. */
  messageId: Scalars['String']['output'];
  /** SMN's request_id of the call that sent it. */
  requestId: Scalars['String']['output'];
  /** The template sent. */
  smsTemplateId: Scalars['String']['output'];
  /** When the batch was submitted to SMN. */
  submittedAt: Scalars['DateTime']['output'];
};

/** Which messages smsHistory reads. Needs at least one of endpoint, requestId, campaignId, or a range (from and to) of at most 31 days; every field given narrows the answer. */
export type SmsHistoryFilter = {
  /** Messages of one campaign. */
  campaignId?: InputMaybe<Scalars['ID']['input']>;
  /** Messages to this number, in any spelling a send takes ("13912345678", "+8613912345678" are one number). */
  endpoint?: InputMaybe<Scalars['String']['input']>;
  /** Submitted at or after this instant. */
  from?: InputMaybe<Scalars['DateTime']['input']>;
  /** SMN's request_id of one publishPromotionSms call. */
  requestId?: InputMaybe<Scalars['String']['input']>;
  /** Messages of one template. */
  smsTemplateId?: InputMaybe<Scalars['String']['input']>;
  /** Messages whose delivery is any of these. */
  status?: InputMaybe<Array<DeliveryStatus>>;
  /** Submitted before this instant (after from). */
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A page of smsHistory, newest first. */
export type SmsHistoryPage = {
  __typename?: 'SmsHistoryPage';
  /** The messages with their cursors. */
  edges: Array<SmsHistoryEdge>;
  /** The messages, without cursors. */
  nodes: Array<SmsHistoryEntry>;
  /** Whether another page follows, and the cursor to read it from. */
  pageInfo: PageInfo;
};

/** A message SMN accepted for delivery (an Sms_commit_result with a message_id). A federation entity: other subgraphs may hold only its messageId and let the router fetch the rest from this service. */
export type SmsSent = Node & {
  __typename?: 'SmsSent';
  /** The campaign that sent it; null for a direct publishPromotionSms. */
  campaignId?: Maybe<Scalars['ID']['output']>;
  /** Whether it reached the phone, from SMN delivery reports (callbacks or polling; they may take up to 72 hours). SUBMITTED until a report arrives. */
  delivery: SmsDelivery;
  /** The phone number, exactly as it was sent. */
  endpoint: Scalars['String']['output'];
  /** The extend code it was sent with, when one was given. */
  extendCode?: Maybe<Scalars['String']['output']>;
  /** Its global id (Node): opaque; `node(id:)` reads it back. */
  id: Scalars['ID']['output'];
  /** SMN message id; delivery-status callbacks and the send-status report refer to it. The federation key. */
  messageId: Scalars['ID']['output'];
  /** SMN's request_id of the PromotionSmsPublish call that sent it. */
  requestId: Scalars['String']['output'];
  /** The signature it was sent with, when one was given. */
  signId?: Maybe<Scalars['String']['output']>;
  /** The promotional SMS template that was sent. */
  smsTemplateId: Scalars['String']['output'];
  /** When the batch was submitted to SMN (ISO 8601, UTC). */
  submittedAt: Scalars['DateTime']['output'];
};

/** An SMS signature of the configured SMN project, as SMN lists it. */
export type SmsSign = {
  __typename?: 'SmsSign';
  /** When it was created. */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** Its id: what signId takes. */
  id: Scalars['String']['output'];
  /** Its name (the text shown in the message). */
  name: Scalars['String']['output'];
  /** Whether it is for messages outside mainland China. */
  overseas?: Maybe<Scalars['Boolean']['output']>;
  /** The reviewer's comment, when any. */
  reply?: Maybe<Scalars['String']['output']>;
  /** SMN's review status, as given. */
  status?: Maybe<Scalars['String']['output']>;
  /** SMN's sign_type, as given (its values are not documented). */
  type?: Maybe<Scalars['String']['output']>;
};

/** Counts of one bucket. sent = delivered + undelivered + pending + unknown; suppressed were never sent. */
export type SmsStatsBucket = {
  __typename?: 'SmsStatsBucket';
  /** Messages DELIVERED. */
  delivered: Scalars['Int']['output'];
  /** delivered / (delivered + undelivered), 0 to 1; null when both are 0. */
  deliveryRate?: Maybe<Scalars['Float']['output']>;
  /** The start of the UTC hour or day (ISO 8601), the template id, or the campaign id ("" for direct sends). */
  key: Scalars['String']['output'];
  /** Messages still SUBMITTED (no report yet). */
  pending: Scalars['Int']['output'];
  /** Messages SMN accepted. */
  sent: Scalars['Int']['output'];
  /** Numbers held back (opted out, daily limit): counted, never sent. */
  suppressed: Scalars['Int']['output'];
  /** Messages FAILED, EXPIRED or REJECTED. */
  undelivered: Scalars['Int']['output'];
  /** Messages whose carrier reported UNKNOWN. */
  unknown: Scalars['Int']['output'];
};

/** What smsStats counts: every message of the range when empty. */
export type SmsStatsFilter = {
  /** Only this campaign. */
  campaignId?: InputMaybe<Scalars['ID']['input']>;
  /** Only this template. */
  smsTemplateId?: InputMaybe<Scalars['String']['input']>;
};

/** What smsStats counts per. */
export type SmsStatsGrouping =
  /** Each campaign; direct sends (publishPromotionSms) under the key "". */
  | 'CAMPAIGN'
  /** Each UTC day with messages. */
  | 'DAY'
  /** Each UTC hour with messages (at most 31 days). */
  | 'HOUR'
  /** Each template sent. */
  | 'TEMPLATE';

/** An SMS template of the configured SMN project, as SMN lists it. */
export type SmsTemplate = {
  __typename?: 'SmsTemplate';
  /** When it was created. */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** Its id: what smsTemplateId takes. */
  id: Scalars['String']['output'];
  /** Its name. */
  name: Scalars['String']['output'];
  /** The reviewer's comment, when any. */
  reply?: Maybe<Scalars['String']['output']>;
  /** SMN's review status exactly as given. */
  smnStatus?: Maybe<Scalars['String']['output']>;
  /** SMN's sms_template_type exactly as given. */
  smnType?: Maybe<Scalars['String']['output']>;
  /** SMN's review status; null when SMN gave none. */
  status?: Maybe<SmsTemplateStatus>;
  /** SMN's sms_template_type; null when SMN gave none. */
  type?: Maybe<SmsTemplateType>;
  /** Until when it may be used. */
  validUntil?: Maybe<Scalars['DateTime']['output']>;
};

/** One SMS template, with its cursor. */
export type SmsTemplateEdge = {
  __typename?: 'SmsTemplateEdge';
  /** Pass as `after` to read on from this template. */
  cursor: Scalars['String']['output'];
  /** The template. */
  node: SmsTemplate;
};

/** One page of SMS templates (a Relay connection). */
export type SmsTemplatePage = {
  __typename?: 'SmsTemplatePage';
  /** The templates of this page, with their cursors. */
  edges: Array<SmsTemplateEdge>;
  /** The templates of this page. */
  nodes: Array<SmsTemplate>;
  /** Where this page starts and ends. */
  pageInfo: PageInfo;
};

/** SMN's review status of a template, by its raw value (SMN does not document their meanings); unknown values are OTHER. */
export type SmsTemplateStatus =
  /** SMN's status "0". */
  | 'CODE_0'
  /** SMN's status "1". */
  | 'CODE_1'
  /** SMN's status "2". */
  | 'CODE_2'
  /** SMN's status "3". */
  | 'CODE_3'
  /** Any other status: see the raw value. */
  | 'OTHER';

/** SMN's sms_template_type, by its raw value (SMN does not document their meanings); unknown values are OTHER. */
export type SmsTemplateType =
  /** SMN's sms_template_type "0". */
  | 'CODE_0'
  /** SMN's sms_template_type "1". */
  | 'CODE_1'
  /** SMN's sms_template_type "2". */
  | 'CODE_2'
  /** SMN's sms_template_type "3". */
  | 'CODE_3'
  /** Any other sms_template_type: see the raw value. */
  | 'OTHER';

export type Subscription = {
  __typename?: 'Subscription';
  /** The campaign from the current state to the end (over WebSocket, graphql-ws): first as it is, then after each batch, status change and counted delivery report; completes once it is COMPLETED or CANCELLED and every message it sent has a final delivery status, or CAMPAIGN_UPDATES_SETTLE_SECONDS after the stream saw it finished. Scope sms:read. */
  promotionCampaignUpdates: PromotionCampaign;
  /** The delivery of this request's messages, from the current state to the end (over WebSocket, graphql-ws): first every message whose status is already final (send order), then each message as its status becomes final; completes once every message is final. Scope sms:read. */
  smsDeliveryUpdates: SmsSent;
};


export type SubscriptionPromotionCampaignUpdatesArgs = {
  id: Scalars['ID']['input'];
};


export type SubscriptionSmsDeliveryUpdatesArgs = {
  requestId: Scalars['String']['input'];
};

/** One try to deliver. */
export type WebhookAttempt = {
  __typename?: 'WebhookAttempt';
  /** When it was sent. */
  at: Scalars['DateTime']['output'];
  /** Milliseconds until the answer was read (or the attempt ended). */
  durationMs: Scalars['Int']['output'];
  /** Why there was no answer: timeout, refused address, connection error. */
  error?: Maybe<Scalars['String']['output']>;
  /** The first 1024 characters of the answer (at most 4 KiB are read). */
  responseBody?: Maybe<Scalars['String']['output']>;
  /** The receiver's HTTP status; none when it did not answer. */
  statusCode?: Maybe<Scalars['Int']['output']>;
};

/** One event on its way to one endpoint. */
export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  /** Attempts made. */
  attemptCount: Scalars['Int']['output'];
  /** The last 10 attempts, oldest first. */
  attempts: Array<WebhookAttempt>;
  /** When the event was queued. */
  createdAt: Scalars['DateTime']['output'];
  /** Which event. */
  event: WebhookEvent;
  /** The webhook-id header of every attempt (msg_...). */
  id: Scalars['ID']['output'];
  /** When it is tried next (PENDING only). */
  nextAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  /** Where it stands. */
  status: WebhookDeliveryStatus;
};

/** One delivery, with its cursor. */
export type WebhookDeliveryEdge = {
  __typename?: 'WebhookDeliveryEdge';
  /** Pass as `after` to read on from this delivery. */
  cursor: Scalars['String']['output'];
  /** The delivery. */
  node: WebhookDelivery;
};

/** One page of an endpoint's deliveries, newest first (a Relay connection). */
export type WebhookDeliveryPage = {
  __typename?: 'WebhookDeliveryPage';
  /** The deliveries of this page, with their cursors. */
  edges: Array<WebhookDeliveryEdge>;
  /** The deliveries of this page. */
  nodes: Array<WebhookDelivery>;
  /** Where this page starts and ends. */
  pageInfo: PageInfo;
};

/** Where a delivery stands. */
export type WebhookDeliveryStatus =
  /** No attempt succeeded within 24 hours; given up. */
  | 'FAILED'
  /** Not yet answered with a 2xx; tried again at nextAttemptAt. */
  | 'PENDING'
  /** An attempt was answered with a 2xx. */
  | 'SUCCEEDED';

/** Where your backend is told of events, signed per Standard Webhooks. */
export type WebhookEndpoint = {
  __typename?: 'WebhookEndpoint';
  /** When it was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Your note. */
  description?: Maybe<Scalars['String']['output']>;
  /** The events it receives. */
  events: Array<WebhookEvent>;
  /** The endpoint id (we_...). */
  id: Scalars['ID']['output'];
  /** After a rotation: until when the previous secret also signs (a second v1 signature). */
  previousSecretExpiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** Where deliveries are POSTed. */
  url: Scalars['String']['output'];
};

/** An endpoint with its signing secret, shown this once. */
export type WebhookEndpointWithSecret = {
  __typename?: 'WebhookEndpointWithSecret';
  /** The endpoint. */
  endpoint: WebhookEndpoint;
  /** The Standard Webhooks secret (whsec_...) that signs from now on. Shown only here: keep it; rotate to get a new one. */
  secret: Scalars['String']['output'];
};

/** What a webhook endpoint is told of (docs/api.md, "Webhooks", shows each body). */
export type WebhookEvent =
  /** A campaign changed status (started, paused, resumed, completed...). */
  | 'CAMPAIGN_STATUS_CHANGED'
  /** A message reached its final delivery status (once per message). */
  | 'MESSAGE_DELIVERY_CHANGED'
  /** A number was opted out or back in (by you, or by its reply). */
  | 'OPT_OUT_CHANGED'
  /** A number you sent to in the last 72 hours replied. */
  | 'REPLY_RECEIVED';

export type AddOptOutsMutationVariables = Exact<{
  input: OptOutsInput;
}>;


export type AddOptOutsMutation = { __typename?: 'Mutation', addOptOuts: { __typename?: 'OptOutsPayload', changed: number, unchanged: number } };

export type AddPromotionCampaignRecipientsMutationVariables = Exact<{
  input: AddPromotionCampaignRecipientsInput;
}>;


export type AddPromotionCampaignRecipientsMutation = { __typename?: 'Mutation', addPromotionCampaignRecipients: { __typename?: 'AddPromotionCampaignRecipientsPayload', added: number, duplicatesRemoved: number, invalid: number, invalidSamples: Array<{ __typename?: 'InvalidRecipient', index: number, message: string }>, campaign: { __typename?: 'PromotionCampaign', id: string, name: string, status: PromotionCampaignStatus, smsTemplateId: string, signId?: string | null, createdAt: string, startAt?: string | null, startedAt?: string | null, finishedAt?: string | null, nextBatchAt?: string | null, recipients: number, duplicatesRemoved: number, sent: number, failed: number, suppressed: number, unknown: number, remaining: number, delivered: number, undelivered: number, batches: number, batchesDone: number, pausedReason?: { __typename?: 'CampaignError', code: CampaignErrorCode, smnCode?: string | null, message: string } | null } } };

export type CancelPromotionCampaignMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CancelPromotionCampaignMutation = { __typename?: 'Mutation', cancelPromotionCampaign: { __typename?: 'PromotionCampaign', id: string, name: string, status: PromotionCampaignStatus, smsTemplateId: string, signId?: string | null, createdAt: string, startAt?: string | null, startedAt?: string | null, finishedAt?: string | null, nextBatchAt?: string | null, recipients: number, duplicatesRemoved: number, sent: number, failed: number, suppressed: number, unknown: number, remaining: number, delivered: number, undelivered: number, batches: number, batchesDone: number, pausedReason?: { __typename?: 'CampaignError', code: CampaignErrorCode, smnCode?: string | null, message: string } | null } };

export type CreatePromotionCampaignMutationVariables = Exact<{
  input: CreatePromotionCampaignInput;
}>;


export type CreatePromotionCampaignMutation = { __typename?: 'Mutation', createPromotionCampaign: { __typename?: 'PromotionCampaign', id: string, name: string, status: PromotionCampaignStatus, smsTemplateId: string, signId?: string | null, createdAt: string, startAt?: string | null, startedAt?: string | null, finishedAt?: string | null, nextBatchAt?: string | null, recipients: number, duplicatesRemoved: number, sent: number, failed: number, suppressed: number, unknown: number, remaining: number, delivered: number, undelivered: number, batches: number, batchesDone: number, pausedReason?: { __typename?: 'CampaignError', code: CampaignErrorCode, smnCode?: string | null, message: string } | null } };

export type CreateWebhookEndpointMutationVariables = Exact<{
  input: CreateWebhookEndpointInput;
}>;


export type CreateWebhookEndpointMutation = { __typename?: 'Mutation', createWebhookEndpoint: { __typename?: 'WebhookEndpointWithSecret', secret: string, endpoint: { __typename?: 'WebhookEndpoint', id: string, url: string, events: Array<WebhookEvent>, description?: string | null, createdAt: string, previousSecretExpiresAt?: string | null } } };

export type DeleteWebhookEndpointMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteWebhookEndpointMutation = { __typename?: 'Mutation', deleteWebhookEndpoint: boolean };

export type EraseEndpointHistoryMutationVariables = Exact<{
  endpoint: Scalars['String']['input'];
}>;


export type EraseEndpointHistoryMutation = { __typename?: 'Mutation', eraseEndpointHistory: { __typename?: 'EraseEndpointHistoryPayload', erasedMessages: number } };

export type OptOutHistoryQueryVariables = Exact<{
  endpoint: Scalars['String']['input'];
}>;


export type OptOutHistoryQuery = { __typename?: 'Query', optOutHistory: Array<{ __typename?: 'OptOutChange', action: OptOutAction, source: OptOutSource, reason?: string | null, at: string, by?: string | null }> };

export type OptOutsQueryVariables = Exact<{
  endpoints: Array<Scalars['String']['input']> | Scalars['String']['input'];
}>;


export type OptOutsQuery = { __typename?: 'Query', optOuts: Array<{ __typename?: 'OptOut', endpoint: string, optedOut: boolean, source?: OptOutSource | null, reason?: string | null, since?: string | null }> };

export type PausePromotionCampaignMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type PausePromotionCampaignMutation = { __typename?: 'Mutation', pausePromotionCampaign: { __typename?: 'PromotionCampaign', id: string, name: string, status: PromotionCampaignStatus, smsTemplateId: string, signId?: string | null, createdAt: string, startAt?: string | null, startedAt?: string | null, finishedAt?: string | null, nextBatchAt?: string | null, recipients: number, duplicatesRemoved: number, sent: number, failed: number, suppressed: number, unknown: number, remaining: number, delivered: number, undelivered: number, batches: number, batchesDone: number, pausedReason?: { __typename?: 'CampaignError', code: CampaignErrorCode, smnCode?: string | null, message: string } | null } };

export type PromotionCampaignQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  failuresFirst?: InputMaybe<Scalars['Int']['input']>;
  failuresAfter?: InputMaybe<Scalars['String']['input']>;
}>;


export type PromotionCampaignQuery = { __typename?: 'Query', promotionCampaign?: { __typename?: 'PromotionCampaign', id: string, name: string, status: PromotionCampaignStatus, smsTemplateId: string, signId?: string | null, createdAt: string, startAt?: string | null, startedAt?: string | null, finishedAt?: string | null, nextBatchAt?: string | null, recipients: number, duplicatesRemoved: number, sent: number, failed: number, suppressed: number, unknown: number, remaining: number, delivered: number, undelivered: number, batches: number, batchesDone: number, failures: { __typename?: 'SmsFailedPage', edges: Array<{ __typename?: 'SmsFailedEdge', cursor: string }>, nodes: Array<{ __typename?: 'SmsFailed', endpoint: string, code: SmsFailedCode, smnCode?: string | null, message: string }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null } }, pausedReason?: { __typename?: 'CampaignError', code: CampaignErrorCode, smnCode?: string | null, message: string } | null } | null };

export type PromotionCampaignFieldsFragment = { __typename?: 'PromotionCampaign', id: string, name: string, status: PromotionCampaignStatus, smsTemplateId: string, signId?: string | null, createdAt: string, startAt?: string | null, startedAt?: string | null, finishedAt?: string | null, nextBatchAt?: string | null, recipients: number, duplicatesRemoved: number, sent: number, failed: number, suppressed: number, unknown: number, remaining: number, delivered: number, undelivered: number, batches: number, batchesDone: number, pausedReason?: { __typename?: 'CampaignError', code: CampaignErrorCode, smnCode?: string | null, message: string } | null };

export type PromotionCampaignUpdatesSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type PromotionCampaignUpdatesSubscription = { __typename?: 'Subscription', promotionCampaignUpdates: { __typename?: 'PromotionCampaign', id: string, name: string, status: PromotionCampaignStatus, smsTemplateId: string, signId?: string | null, createdAt: string, startAt?: string | null, startedAt?: string | null, finishedAt?: string | null, nextBatchAt?: string | null, recipients: number, duplicatesRemoved: number, sent: number, failed: number, suppressed: number, unknown: number, remaining: number, delivered: number, undelivered: number, batches: number, batchesDone: number, pausedReason?: { __typename?: 'CampaignError', code: CampaignErrorCode, smnCode?: string | null, message: string } | null } };

export type PromotionCampaignsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<PromotionCampaignStatus>;
}>;


export type PromotionCampaignsQuery = { __typename?: 'Query', promotionCampaigns: { __typename?: 'PromotionCampaignPage', edges: Array<{ __typename?: 'PromotionCampaignEdge', cursor: string }>, nodes: Array<{ __typename?: 'PromotionCampaign', id: string, name: string, status: PromotionCampaignStatus, smsTemplateId: string, signId?: string | null, createdAt: string, startAt?: string | null, startedAt?: string | null, finishedAt?: string | null, nextBatchAt?: string | null, recipients: number, duplicatesRemoved: number, sent: number, failed: number, suppressed: number, unknown: number, remaining: number, delivered: number, undelivered: number, batches: number, batchesDone: number, pausedReason?: { __typename?: 'CampaignError', code: CampaignErrorCode, smnCode?: string | null, message: string } | null }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null } } };

export type PromotionSmsLimitsQueryVariables = Exact<{ [key: string]: never; }>;


export type PromotionSmsLimitsQuery = { __typename?: 'Query', promotionSmsLimits: { __typename?: 'PromotionSmsLimits', maxEndpoints: number, extendCodeMaxBytes: number, extendSrcIdMaxDigits: number } };

export type PromotionSmsRequestQueryVariables = Exact<{
  requestId: Scalars['String']['input'];
}>;


export type PromotionSmsRequestQuery = { __typename?: 'Query', promotionSmsRequest?: { __typename?: 'PromotionSmsRequest', id: string, requestId: string, submittedAt: string, pending: number, delivered: number, undelivered: number, unknown: number, messages: Array<{ __typename?: 'SmsSent', id: string, messageId: string, endpoint: string, delivery: { __typename?: 'SmsDelivery', status: DeliveryStatus, carrierCode?: string | null, reportedAt?: string | null, deliveredAt?: string | null } }> } | null };

export type PublishPromotionSmsMutationVariables = Exact<{
  input: PublishPromotionSmsInput;
}>;


export type PublishPromotionSmsMutation = { __typename?: 'Mutation', publishPromotionSms: { __typename?: 'PublishPromotionSmsPayload', requestId: string, sentCount: number, failedCount: number, suppressedCount: number, duplicatesRemoved: number, replayed: boolean, results: Array<
      | { __typename: 'SmsFailed', endpoint: string, code: SmsFailedCode, smnCode?: string | null, message: string }
      | { __typename: 'SmsSent', endpoint: string, id: string, messageId: string, requestId: string, smsTemplateId: string, submittedAt: string }
    > } };

export type RemoveOptOutsMutationVariables = Exact<{
  input: OptOutsInput;
}>;


export type RemoveOptOutsMutation = { __typename?: 'Mutation', removeOptOuts: { __typename?: 'OptOutsPayload', changed: number, unchanged: number } };

export type ResumePromotionCampaignMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ResumePromotionCampaignMutation = { __typename?: 'Mutation', resumePromotionCampaign: { __typename?: 'PromotionCampaign', id: string, name: string, status: PromotionCampaignStatus, smsTemplateId: string, signId?: string | null, createdAt: string, startAt?: string | null, startedAt?: string | null, finishedAt?: string | null, nextBatchAt?: string | null, recipients: number, duplicatesRemoved: number, sent: number, failed: number, suppressed: number, unknown: number, remaining: number, delivered: number, undelivered: number, batches: number, batchesDone: number, pausedReason?: { __typename?: 'CampaignError', code: CampaignErrorCode, smnCode?: string | null, message: string } | null } };

export type RotateWebhookSecretMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RotateWebhookSecretMutation = { __typename?: 'Mutation', rotateWebhookSecret: { __typename?: 'WebhookEndpointWithSecret', secret: string, endpoint: { __typename?: 'WebhookEndpoint', id: string, url: string, events: Array<WebhookEvent>, description?: string | null, createdAt: string, previousSecretExpiresAt?: string | null } } };

export type SentSmsQueryVariables = Exact<{
  messageId: Scalars['String']['input'];
}>;


export type SentSmsQuery = { __typename?: 'Query', sentSms?: { __typename?: 'SmsSent', id: string, messageId: string, endpoint: string, requestId: string, smsTemplateId: string, signId?: string | null, extendCode?: string | null, submittedAt: string, campaignId?: string | null, delivery: { __typename?: 'SmsDelivery', status: DeliveryStatus, carrierCode?: string | null, reportedAt?: string | null, deliveredAt?: string | null } } | null };

export type SmsCatalogQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
}>;


export type SmsCatalogQuery = { __typename?: 'Query', smsTemplates: { __typename?: 'SmsTemplatePage', edges: Array<{ __typename?: 'SmsTemplateEdge', cursor: string }>, nodes: Array<{ __typename?: 'SmsTemplate', id: string, name: string, type?: SmsTemplateType | null, smnType?: string | null, status?: SmsTemplateStatus | null, smnStatus?: string | null, reply?: string | null, createdAt?: string | null, validUntil?: string | null }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null } }, smsSigns: Array<{ __typename?: 'SmsSign', id: string, name: string, type?: string | null, status?: string | null, reply?: string | null, overseas?: boolean | null, createdAt?: string | null }> };

export type SmsDeliveryUpdatesSubscriptionVariables = Exact<{
  requestId: Scalars['String']['input'];
}>;


export type SmsDeliveryUpdatesSubscription = { __typename?: 'Subscription', smsDeliveryUpdates: { __typename?: 'SmsSent', id: string, messageId: string, endpoint: string, delivery: { __typename?: 'SmsDelivery', status: DeliveryStatus, carrierCode?: string | null, reportedAt?: string | null, deliveredAt?: string | null } } };

export type SmsHistoryQueryVariables = Exact<{
  filter: SmsHistoryFilter;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type SmsHistoryQuery = { __typename?: 'Query', smsHistory: { __typename?: 'SmsHistoryPage', edges: Array<{ __typename?: 'SmsHistoryEdge', cursor: string, node: { __typename?: 'SmsHistoryEntry', messageId: string, requestId: string, endpoint: string, smsTemplateId: string, campaignId?: string | null, submittedAt: string, delivery: { __typename?: 'SmsDelivery', status: DeliveryStatus, carrierCode?: string | null, reportedAt?: string | null, deliveredAt?: string | null } } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null } } };

export type SmsStatsQueryVariables = Exact<{
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
  groupBy?: SmsStatsGrouping;
  filter?: InputMaybe<SmsStatsFilter>;
}>;


export type SmsStatsQuery = { __typename?: 'Query', smsStats: Array<{ __typename?: 'SmsStatsBucket', key: string, sent: number, delivered: number, undelivered: number, pending: number, unknown: number, suppressed: number, deliveryRate?: number | null }> };

export type SmsTemplateQueryVariables = Exact<{
  id: Scalars['String']['input'];
}>;


export type SmsTemplateQuery = { __typename?: 'Query', smsTemplate?: { __typename?: 'SmsTemplate', id: string, name: string, type?: SmsTemplateType | null, smnType?: string | null, status?: SmsTemplateStatus | null, smnStatus?: string | null, reply?: string | null, createdAt?: string | null, validUntil?: string | null } | null };

export type StartPromotionCampaignMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type StartPromotionCampaignMutation = { __typename?: 'Mutation', startPromotionCampaign: { __typename?: 'PromotionCampaign', id: string, name: string, status: PromotionCampaignStatus, smsTemplateId: string, signId?: string | null, createdAt: string, startAt?: string | null, startedAt?: string | null, finishedAt?: string | null, nextBatchAt?: string | null, recipients: number, duplicatesRemoved: number, sent: number, failed: number, suppressed: number, unknown: number, remaining: number, delivered: number, undelivered: number, batches: number, batchesDone: number, pausedReason?: { __typename?: 'CampaignError', code: CampaignErrorCode, smnCode?: string | null, message: string } | null } };

export type WebhookDeliveriesQueryVariables = Exact<{
  endpointId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type WebhookDeliveriesQuery = { __typename?: 'Query', webhookDeliveries: { __typename?: 'WebhookDeliveryPage', nodes: Array<{ __typename?: 'WebhookDelivery', id: string, event: WebhookEvent, status: WebhookDeliveryStatus, createdAt: string, attemptCount: number, nextAttemptAt?: string | null, attempts: Array<{ __typename?: 'WebhookAttempt', at: string, durationMs: number, statusCode?: number | null, responseBody?: string | null, error?: string | null }> }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } };

export type WebhookEndpointFieldsFragment = { __typename?: 'WebhookEndpoint', id: string, url: string, events: Array<WebhookEvent>, description?: string | null, createdAt: string, previousSecretExpiresAt?: string | null };

export type WebhookEndpointsQueryVariables = Exact<{ [key: string]: never; }>;


export type WebhookEndpointsQuery = { __typename?: 'Query', webhookEndpoints: Array<{ __typename?: 'WebhookEndpoint', id: string, url: string, events: Array<WebhookEvent>, description?: string | null, createdAt: string, previousSecretExpiresAt?: string | null }> };

export const PromotionCampaignFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PromotionCampaignFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PromotionCampaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"smsTemplateId"}},{"kind":"Field","name":{"kind":"Name","value":"signId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextBatchAt"}},{"kind":"Field","name":{"kind":"Name","value":"pausedReason"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"smnCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"recipients"}},{"kind":"Field","name":{"kind":"Name","value":"duplicatesRemoved"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"unknown"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"batches"}},{"kind":"Field","name":{"kind":"Name","value":"batchesDone"}}]}}]} as unknown as DocumentNode<PromotionCampaignFieldsFragment, unknown>;
export const WebhookEndpointFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookEndpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookEndpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"previousSecretExpiresAt"}}]}}]} as unknown as DocumentNode<WebhookEndpointFieldsFragment, unknown>;
export const AddOptOutsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddOptOuts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"OptOutsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addOptOuts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changed"}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"}}]}}]}}]} as unknown as DocumentNode<AddOptOutsMutation, AddOptOutsMutationVariables>;
export const AddPromotionCampaignRecipientsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddPromotionCampaignRecipients"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddPromotionCampaignRecipientsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addPromotionCampaignRecipients"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"added"}},{"kind":"Field","name":{"kind":"Name","value":"duplicatesRemoved"}},{"kind":"Field","name":{"kind":"Name","value":"invalid"}},{"kind":"Field","name":{"kind":"Name","value":"invalidSamples"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"campaign"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PromotionCampaignFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PromotionCampaignFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PromotionCampaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"smsTemplateId"}},{"kind":"Field","name":{"kind":"Name","value":"signId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextBatchAt"}},{"kind":"Field","name":{"kind":"Name","value":"pausedReason"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"smnCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"recipients"}},{"kind":"Field","name":{"kind":"Name","value":"duplicatesRemoved"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"unknown"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"batches"}},{"kind":"Field","name":{"kind":"Name","value":"batchesDone"}}]}}]} as unknown as DocumentNode<AddPromotionCampaignRecipientsMutation, AddPromotionCampaignRecipientsMutationVariables>;
export const CancelPromotionCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CancelPromotionCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelPromotionCampaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PromotionCampaignFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PromotionCampaignFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PromotionCampaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"smsTemplateId"}},{"kind":"Field","name":{"kind":"Name","value":"signId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextBatchAt"}},{"kind":"Field","name":{"kind":"Name","value":"pausedReason"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"smnCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"recipients"}},{"kind":"Field","name":{"kind":"Name","value":"duplicatesRemoved"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"unknown"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"batches"}},{"kind":"Field","name":{"kind":"Name","value":"batchesDone"}}]}}]} as unknown as DocumentNode<CancelPromotionCampaignMutation, CancelPromotionCampaignMutationVariables>;
export const CreatePromotionCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreatePromotionCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreatePromotionCampaignInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createPromotionCampaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PromotionCampaignFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PromotionCampaignFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PromotionCampaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"smsTemplateId"}},{"kind":"Field","name":{"kind":"Name","value":"signId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextBatchAt"}},{"kind":"Field","name":{"kind":"Name","value":"pausedReason"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"smnCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"recipients"}},{"kind":"Field","name":{"kind":"Name","value":"duplicatesRemoved"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"unknown"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"batches"}},{"kind":"Field","name":{"kind":"Name","value":"batchesDone"}}]}}]} as unknown as DocumentNode<CreatePromotionCampaignMutation, CreatePromotionCampaignMutationVariables>;
export const CreateWebhookEndpointDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateWebhookEndpoint"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateWebhookEndpointInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createWebhookEndpoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookEndpointFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"secret"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookEndpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookEndpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"previousSecretExpiresAt"}}]}}]} as unknown as DocumentNode<CreateWebhookEndpointMutation, CreateWebhookEndpointMutationVariables>;
export const DeleteWebhookEndpointDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteWebhookEndpoint"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteWebhookEndpoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteWebhookEndpointMutation, DeleteWebhookEndpointMutationVariables>;
export const EraseEndpointHistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"EraseEndpointHistory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"endpoint"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eraseEndpointHistory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"endpoint"},"value":{"kind":"Variable","name":{"kind":"Name","value":"endpoint"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"erasedMessages"}}]}}]}}]} as unknown as DocumentNode<EraseEndpointHistoryMutation, EraseEndpointHistoryMutationVariables>;
export const OptOutHistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OptOutHistory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"endpoint"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"optOutHistory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"endpoint"},"value":{"kind":"Variable","name":{"kind":"Name","value":"endpoint"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"by"}}]}}]}}]} as unknown as DocumentNode<OptOutHistoryQuery, OptOutHistoryQueryVariables>;
export const OptOutsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OptOuts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"endpoints"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"optOuts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"endpoints"},"value":{"kind":"Variable","name":{"kind":"Name","value":"endpoints"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"optedOut"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"since"}}]}}]}}]} as unknown as DocumentNode<OptOutsQuery, OptOutsQueryVariables>;
export const PausePromotionCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PausePromotionCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pausePromotionCampaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PromotionCampaignFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PromotionCampaignFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PromotionCampaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"smsTemplateId"}},{"kind":"Field","name":{"kind":"Name","value":"signId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextBatchAt"}},{"kind":"Field","name":{"kind":"Name","value":"pausedReason"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"smnCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"recipients"}},{"kind":"Field","name":{"kind":"Name","value":"duplicatesRemoved"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"unknown"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"batches"}},{"kind":"Field","name":{"kind":"Name","value":"batchesDone"}}]}}]} as unknown as DocumentNode<PausePromotionCampaignMutation, PausePromotionCampaignMutationVariables>;
export const PromotionCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PromotionCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"failuresFirst"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"100"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"failuresAfter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promotionCampaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PromotionCampaignFields"}},{"kind":"Field","name":{"kind":"Name","value":"failures"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"failuresFirst"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"failuresAfter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"smnCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PromotionCampaignFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PromotionCampaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"smsTemplateId"}},{"kind":"Field","name":{"kind":"Name","value":"signId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextBatchAt"}},{"kind":"Field","name":{"kind":"Name","value":"pausedReason"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"smnCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"recipients"}},{"kind":"Field","name":{"kind":"Name","value":"duplicatesRemoved"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"unknown"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"batches"}},{"kind":"Field","name":{"kind":"Name","value":"batchesDone"}}]}}]} as unknown as DocumentNode<PromotionCampaignQuery, PromotionCampaignQueryVariables>;
export const PromotionCampaignUpdatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"PromotionCampaignUpdates"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promotionCampaignUpdates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PromotionCampaignFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PromotionCampaignFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PromotionCampaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"smsTemplateId"}},{"kind":"Field","name":{"kind":"Name","value":"signId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextBatchAt"}},{"kind":"Field","name":{"kind":"Name","value":"pausedReason"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"smnCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"recipients"}},{"kind":"Field","name":{"kind":"Name","value":"duplicatesRemoved"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"unknown"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"batches"}},{"kind":"Field","name":{"kind":"Name","value":"batchesDone"}}]}}]} as unknown as DocumentNode<PromotionCampaignUpdatesSubscription, PromotionCampaignUpdatesSubscriptionVariables>;
export const PromotionCampaignsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PromotionCampaigns"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"PromotionCampaignStatus"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promotionCampaigns"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PromotionCampaignFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PromotionCampaignFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PromotionCampaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"smsTemplateId"}},{"kind":"Field","name":{"kind":"Name","value":"signId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextBatchAt"}},{"kind":"Field","name":{"kind":"Name","value":"pausedReason"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"smnCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"recipients"}},{"kind":"Field","name":{"kind":"Name","value":"duplicatesRemoved"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"unknown"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"batches"}},{"kind":"Field","name":{"kind":"Name","value":"batchesDone"}}]}}]} as unknown as DocumentNode<PromotionCampaignsQuery, PromotionCampaignsQueryVariables>;
export const PromotionSmsLimitsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PromotionSmsLimits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promotionSmsLimits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"maxEndpoints"}},{"kind":"Field","name":{"kind":"Name","value":"extendCodeMaxBytes"}},{"kind":"Field","name":{"kind":"Name","value":"extendSrcIdMaxDigits"}}]}}]}}]} as unknown as DocumentNode<PromotionSmsLimitsQuery, PromotionSmsLimitsQueryVariables>;
export const PromotionSmsRequestDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PromotionSmsRequest"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"requestId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promotionSmsRequest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"requestId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"requestId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"submittedAt"}},{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"unknown"}},{"kind":"Field","name":{"kind":"Name","value":"messages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"delivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"carrierCode"}},{"kind":"Field","name":{"kind":"Name","value":"reportedAt"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<PromotionSmsRequestQuery, PromotionSmsRequestQueryVariables>;
export const PublishPromotionSmsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PublishPromotionSms"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PublishPromotionSmsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"publishPromotionSms"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"sentCount"}},{"kind":"Field","name":{"kind":"Name","value":"failedCount"}},{"kind":"Field","name":{"kind":"Name","value":"suppressedCount"}},{"kind":"Field","name":{"kind":"Name","value":"duplicatesRemoved"}},{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"results"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SmsSent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"smsTemplateId"}},{"kind":"Field","name":{"kind":"Name","value":"submittedAt"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SmsFailed"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"smnCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}}]} as unknown as DocumentNode<PublishPromotionSmsMutation, PublishPromotionSmsMutationVariables>;
export const RemoveOptOutsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveOptOuts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"OptOutsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeOptOuts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changed"}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"}}]}}]}}]} as unknown as DocumentNode<RemoveOptOutsMutation, RemoveOptOutsMutationVariables>;
export const ResumePromotionCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ResumePromotionCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resumePromotionCampaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PromotionCampaignFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PromotionCampaignFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PromotionCampaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"smsTemplateId"}},{"kind":"Field","name":{"kind":"Name","value":"signId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextBatchAt"}},{"kind":"Field","name":{"kind":"Name","value":"pausedReason"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"smnCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"recipients"}},{"kind":"Field","name":{"kind":"Name","value":"duplicatesRemoved"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"unknown"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"batches"}},{"kind":"Field","name":{"kind":"Name","value":"batchesDone"}}]}}]} as unknown as DocumentNode<ResumePromotionCampaignMutation, ResumePromotionCampaignMutationVariables>;
export const RotateWebhookSecretDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RotateWebhookSecret"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rotateWebhookSecret"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookEndpointFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"secret"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookEndpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookEndpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"previousSecretExpiresAt"}}]}}]} as unknown as DocumentNode<RotateWebhookSecretMutation, RotateWebhookSecretMutationVariables>;
export const SentSmsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SentSms"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"messageId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sentSms"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"messageId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"messageId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"smsTemplateId"}},{"kind":"Field","name":{"kind":"Name","value":"signId"}},{"kind":"Field","name":{"kind":"Name","value":"extendCode"}},{"kind":"Field","name":{"kind":"Name","value":"submittedAt"}},{"kind":"Field","name":{"kind":"Name","value":"campaignId"}},{"kind":"Field","name":{"kind":"Name","value":"delivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"carrierCode"}},{"kind":"Field","name":{"kind":"Name","value":"reportedAt"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}}]}}]}}]}}]} as unknown as DocumentNode<SentSmsQuery, SentSmsQueryVariables>;
export const SmsCatalogDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SmsCatalog"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"100"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"smsTemplates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"smnType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"smnStatus"}},{"kind":"Field","name":{"kind":"Name","value":"reply"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"validUntil"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"smsSigns"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reply"}},{"kind":"Field","name":{"kind":"Name","value":"overseas"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<SmsCatalogQuery, SmsCatalogQueryVariables>;
export const SmsDeliveryUpdatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"SmsDeliveryUpdates"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"requestId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"smsDeliveryUpdates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"requestId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"requestId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"delivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"carrierCode"}},{"kind":"Field","name":{"kind":"Name","value":"reportedAt"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}}]}}]}}]}}]} as unknown as DocumentNode<SmsDeliveryUpdatesSubscription, SmsDeliveryUpdatesSubscriptionVariables>;
export const SmsHistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SmsHistory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SmsHistoryFilter"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"100"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"smsHistory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"smsTemplateId"}},{"kind":"Field","name":{"kind":"Name","value":"campaignId"}},{"kind":"Field","name":{"kind":"Name","value":"submittedAt"}},{"kind":"Field","name":{"kind":"Name","value":"delivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"carrierCode"}},{"kind":"Field","name":{"kind":"Name","value":"reportedAt"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<SmsHistoryQuery, SmsHistoryQueryVariables>;
export const SmsStatsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SmsStats"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupBy"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SmsStatsGrouping"}}},"defaultValue":{"kind":"EnumValue","value":"DAY"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SmsStatsFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"smsStats"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"unknown"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryRate"}}]}}]}}]} as unknown as DocumentNode<SmsStatsQuery, SmsStatsQueryVariables>;
export const SmsTemplateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SmsTemplate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"smsTemplate"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"smnType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"smnStatus"}},{"kind":"Field","name":{"kind":"Name","value":"reply"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"validUntil"}}]}}]}}]} as unknown as DocumentNode<SmsTemplateQuery, SmsTemplateQueryVariables>;
export const StartPromotionCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartPromotionCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startPromotionCampaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PromotionCampaignFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PromotionCampaignFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PromotionCampaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"smsTemplateId"}},{"kind":"Field","name":{"kind":"Name","value":"signId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextBatchAt"}},{"kind":"Field","name":{"kind":"Name","value":"pausedReason"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"smnCode"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"recipients"}},{"kind":"Field","name":{"kind":"Name","value":"duplicatesRemoved"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"unknown"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"batches"}},{"kind":"Field","name":{"kind":"Name","value":"batchesDone"}}]}}]} as unknown as DocumentNode<StartPromotionCampaignMutation, StartPromotionCampaignMutationVariables>;
export const WebhookDeliveriesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookDeliveries"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"endpointId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhookDeliveries"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"endpointId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"endpointId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"event"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"attemptCount"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"statusCode"}},{"kind":"Field","name":{"kind":"Name","value":"responseBody"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<WebhookDeliveriesQuery, WebhookDeliveriesQueryVariables>;
export const WebhookEndpointsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookEndpoints"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhookEndpoints"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookEndpointFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookEndpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookEndpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"previousSecretExpiresAt"}}]}}]} as unknown as DocumentNode<WebhookEndpointsQuery, WebhookEndpointsQueryVariables>;