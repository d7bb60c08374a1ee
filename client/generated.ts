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

export type Mutation = {
  __typename?: 'Mutation';
  /** Numbers that must never again receive promotional SMS: later sends hold them back as SmsFailed OPTED_OUT. Nothing changes when any number is invalid (BAD_USER_INPUT). Scope sms:optout:write. */
  addOptOuts: OptOutsPayload;
  /** Sends one promotional SMS template to up to 1000 phone numbers (Huawei Cloud SMN PromotionSmsPublish). Nothing is sent when any input rule fails (BAD_USER_INPUT). A call that fails with delivery UNKNOWN may have reached phones: do not repeat it blindly. Needs scope sms:promotion:send; refused with RATE_LIMITED over the caller's recipient quota and OUTSIDE_SEND_WINDOW outside the promotional hours. */
  publishPromotionSms: PublishPromotionSmsPayload;
  /** Numbers that opted back in. Nothing changes when any number is invalid. Scope sms:optout:write. */
  removeOptOuts: OptOutsPayload;
};


export type MutationAddOptOutsArgs = {
  input: OptOutsInput;
};


export type MutationPublishPromotionSmsArgs = {
  input: PublishPromotionSmsInput;
};


export type MutationRemoveOptOutsArgs = {
  input: OptOutsInput;
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

/** Where an opt-out came from. */
export type OptOutSource =
  /** Added through addOptOuts. */
  | 'MANUAL'
  /** The recipient replied to a message (an unsubscribe keyword such as "TD"). */
  | 'SMS_REPLY';

/** Phone numbers to opt out, or back in. */
export type OptOutsInput = {
  /** Phone numbers, 1 to 10000, each valid by the same rules as a send. Compared in canonical form: "13912345678", "8613912345678" and "+8613912345678" are one number. */
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
export type PromotionSmsRequest = {
  __typename?: 'PromotionSmsRequest';
  /** Messages DELIVERED. */
  delivered: Scalars['Int']['output'];
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
  /** Phone numbers, 1 to 1000 (counted as given, before duplicates are removed). International numbers start with "+" and the country code (E.164); China mobile numbers may omit "+" or "+86". Exact duplicates are removed before sending (first occurrence kept); "18888888888" and "+8618888888888" are two different numbers. */
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
  /** One entry per given number (1 to 10000), in the given order. Scope sms:read. */
  optOuts: Array<OptOut>;
  /** The limits publishPromotionSms enforces. Needs scope sms:read. */
  promotionSmsLimits: PromotionSmsLimits;
  /** Everything known about one publishPromotionSms call, by its requestId: its messages and their delivery; null when unknown, aged out of the send log, or sent under another tenant. Scope sms:read. */
  promotionSmsRequest?: Maybe<PromotionSmsRequest>;
  /** A message this service sent for your tenant, by SMN message id; null when it is unknown, has aged out of the send log, or was sent under another tenant. Needs scope sms:read. */
  sentSms?: Maybe<SmsSent>;
};


export type QueryOptOutsArgs = {
  endpoints: Array<Scalars['String']['input']>;
};


export type QueryPromotionSmsRequestArgs = {
  requestId: Scalars['String']['input'];
};


export type QuerySentSmsArgs = {
  messageId: Scalars['ID']['input'];
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
  /** Why it failed: an SMN error code (e.g. SMN.0167, number does not exist); NO_RESULT when SMN returned no entry for this number; or held back before SMN: OPTED_OUT (the number opted out) or DAILY_LIMIT_REACHED (it had its PER_NUMBER_DAILY_LIMIT messages today). */
  code: Scalars['String']['output'];
  /** The phone number, exactly as it was sent. */
  endpoint: Scalars['String']['output'];
  /** SMN's explanation of the failure. */
  message: Scalars['String']['output'];
};

/** A message SMN accepted for delivery (an Sms_commit_result with a message_id). A federation entity: other subgraphs may hold only its messageId and let the router fetch the rest from this service. */
export type SmsSent = {
  __typename?: 'SmsSent';
  /** Whether it reached the phone, from SMN delivery reports (callbacks or polling; they may take up to 72 hours). SUBMITTED until a report arrives. */
  delivery: SmsDelivery;
  /** The phone number, exactly as it was sent. */
  endpoint: Scalars['String']['output'];
  /** The extend code it was sent with, when one was given. */
  extendCode?: Maybe<Scalars['String']['output']>;
  /** SMN message id; delivery-status callbacks and the send-status report refer to it. */
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

export type Subscription = {
  __typename?: 'Subscription';
  /** Each change of delivery status of a message of this request, as it happens (over WebSocket, graphql-ws). Scope sms:read. */
  smsDeliveryUpdates: SmsSent;
};


export type SubscriptionSmsDeliveryUpdatesArgs = {
  requestId: Scalars['String']['input'];
};

export type AddOptOutsMutationVariables = Exact<{
  input: OptOutsInput;
}>;


export type AddOptOutsMutation = { __typename?: 'Mutation', addOptOuts: { __typename?: 'OptOutsPayload', changed: number, unchanged: number } };

export type OptOutsQueryVariables = Exact<{
  endpoints: Array<Scalars['String']['input']> | Scalars['String']['input'];
}>;


export type OptOutsQuery = { __typename?: 'Query', optOuts: Array<{ __typename?: 'OptOut', endpoint: string, optedOut: boolean, source?: OptOutSource | null, reason?: string | null, since?: string | null }> };

export type PromotionSmsLimitsQueryVariables = Exact<{ [key: string]: never; }>;


export type PromotionSmsLimitsQuery = { __typename?: 'Query', promotionSmsLimits: { __typename?: 'PromotionSmsLimits', maxEndpoints: number, extendCodeMaxBytes: number, extendSrcIdMaxDigits: number } };

export type PromotionSmsRequestQueryVariables = Exact<{
  requestId: Scalars['String']['input'];
}>;


export type PromotionSmsRequestQuery = { __typename?: 'Query', promotionSmsRequest?: { __typename?: 'PromotionSmsRequest', requestId: string, submittedAt: string, pending: number, delivered: number, undelivered: number, unknown: number, messages: Array<{ __typename?: 'SmsSent', messageId: string, endpoint: string, delivery: { __typename?: 'SmsDelivery', status: DeliveryStatus, carrierCode?: string | null, reportedAt?: string | null, deliveredAt?: string | null } }> } | null };

export type PublishPromotionSmsMutationVariables = Exact<{
  input: PublishPromotionSmsInput;
}>;


export type PublishPromotionSmsMutation = { __typename?: 'Mutation', publishPromotionSms: { __typename?: 'PublishPromotionSmsPayload', requestId: string, sentCount: number, failedCount: number, suppressedCount: number, duplicatesRemoved: number, replayed: boolean, results: Array<
      | { __typename: 'SmsFailed', endpoint: string, code: string, message: string }
      | { __typename: 'SmsSent', endpoint: string, messageId: string, requestId: string, smsTemplateId: string, submittedAt: string }
    > } };

export type RemoveOptOutsMutationVariables = Exact<{
  input: OptOutsInput;
}>;


export type RemoveOptOutsMutation = { __typename?: 'Mutation', removeOptOuts: { __typename?: 'OptOutsPayload', changed: number, unchanged: number } };

export type SentSmsQueryVariables = Exact<{
  messageId: Scalars['ID']['input'];
}>;


export type SentSmsQuery = { __typename?: 'Query', sentSms?: { __typename?: 'SmsSent', messageId: string, endpoint: string, requestId: string, smsTemplateId: string, signId?: string | null, extendCode?: string | null, submittedAt: string, delivery: { __typename?: 'SmsDelivery', status: DeliveryStatus, carrierCode?: string | null, reportedAt?: string | null, deliveredAt?: string | null } } | null };

export type SmsDeliveryUpdatesSubscriptionVariables = Exact<{
  requestId: Scalars['String']['input'];
}>;


export type SmsDeliveryUpdatesSubscription = { __typename?: 'Subscription', smsDeliveryUpdates: { __typename?: 'SmsSent', messageId: string, endpoint: string, delivery: { __typename?: 'SmsDelivery', status: DeliveryStatus, carrierCode?: string | null, reportedAt?: string | null, deliveredAt?: string | null } } };


export const AddOptOutsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddOptOuts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"OptOutsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addOptOuts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changed"}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"}}]}}]}}]} as unknown as DocumentNode<AddOptOutsMutation, AddOptOutsMutationVariables>;
export const OptOutsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OptOuts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"endpoints"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"optOuts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"endpoints"},"value":{"kind":"Variable","name":{"kind":"Name","value":"endpoints"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"optedOut"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"since"}}]}}]}}]} as unknown as DocumentNode<OptOutsQuery, OptOutsQueryVariables>;
export const PromotionSmsLimitsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PromotionSmsLimits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promotionSmsLimits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"maxEndpoints"}},{"kind":"Field","name":{"kind":"Name","value":"extendCodeMaxBytes"}},{"kind":"Field","name":{"kind":"Name","value":"extendSrcIdMaxDigits"}}]}}]}}]} as unknown as DocumentNode<PromotionSmsLimitsQuery, PromotionSmsLimitsQueryVariables>;
export const PromotionSmsRequestDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PromotionSmsRequest"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"requestId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promotionSmsRequest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"requestId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"requestId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"submittedAt"}},{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"unknown"}},{"kind":"Field","name":{"kind":"Name","value":"messages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"delivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"carrierCode"}},{"kind":"Field","name":{"kind":"Name","value":"reportedAt"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<PromotionSmsRequestQuery, PromotionSmsRequestQueryVariables>;
export const PublishPromotionSmsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PublishPromotionSms"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PublishPromotionSmsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"publishPromotionSms"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"sentCount"}},{"kind":"Field","name":{"kind":"Name","value":"failedCount"}},{"kind":"Field","name":{"kind":"Name","value":"suppressedCount"}},{"kind":"Field","name":{"kind":"Name","value":"duplicatesRemoved"}},{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"results"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SmsSent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"smsTemplateId"}},{"kind":"Field","name":{"kind":"Name","value":"submittedAt"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SmsFailed"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}}]} as unknown as DocumentNode<PublishPromotionSmsMutation, PublishPromotionSmsMutationVariables>;
export const RemoveOptOutsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveOptOuts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"OptOutsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeOptOuts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changed"}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"}}]}}]}}]} as unknown as DocumentNode<RemoveOptOutsMutation, RemoveOptOutsMutationVariables>;
export const SentSmsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SentSms"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"messageId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sentSms"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"messageId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"messageId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"smsTemplateId"}},{"kind":"Field","name":{"kind":"Name","value":"signId"}},{"kind":"Field","name":{"kind":"Name","value":"extendCode"}},{"kind":"Field","name":{"kind":"Name","value":"submittedAt"}},{"kind":"Field","name":{"kind":"Name","value":"delivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"carrierCode"}},{"kind":"Field","name":{"kind":"Name","value":"reportedAt"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}}]}}]}}]}}]} as unknown as DocumentNode<SentSmsQuery, SentSmsQueryVariables>;
export const SmsDeliveryUpdatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"SmsDeliveryUpdates"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"requestId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"smsDeliveryUpdates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"requestId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"requestId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"delivery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"carrierCode"}},{"kind":"Field","name":{"kind":"Name","value":"reportedAt"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}}]}}]}}]}}]} as unknown as DocumentNode<SmsDeliveryUpdatesSubscription, SmsDeliveryUpdatesSubscriptionVariables>;