import { DateTimeResolver } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { OptOutLedgerEntry } from '../../history/history-store.js';
import type { MessagesPage, StatsRow } from '../../history/history.js';
import type { SentMessage } from '../../send/send-log.js';
import { OptOutSource } from '../opt-outs/types.js';
import { connectionOf, PageInfo } from '../page-info.js';
import { SmsDelivery } from '../sent-sms/sms-delivery.js';

export enum SmsStatsGrouping {
  HOUR = 'HOUR',
  DAY = 'DAY',
  TEMPLATE = 'TEMPLATE',
  CAMPAIGN = 'CAMPAIGN',
}

registerEnumType(SmsStatsGrouping, {
  name: 'SmsStatsGrouping',
  description: 'What smsStats counts per.',
  valuesConfig: {
    HOUR: { description: 'Each UTC hour with messages (at most 31 days).' },
    DAY: { description: 'Each UTC day with messages.' },
    TEMPLATE: { description: 'Each template sent.' },
    CAMPAIGN: { description: 'Each campaign; direct sends (publishPromotionSms) under the key "".' },
  },
});

export enum OptOutAction {
  ADDED = 'ADDED',
  REMOVED = 'REMOVED',
}

registerEnumType(OptOutAction, {
  name: 'OptOutAction',
  description: 'What one change did to a number on the opt-out list.',
  valuesConfig: {
    ADDED: { description: 'Opted out (addOptOuts, or an unsubscribe reply).' },
    REMOVED: { description: 'Opted back in (removeOptOuts).' },
  },
});

@ObjectType({
  simpleResolvers: true,
  description: 'A message this service sent for your tenant, as the history keeps it.',
})
export class SmsHistoryEntry {
  @Field(() => String, { description: 'SMN message id.' })
  messageId!: string;

  @Field(() => String, { description: "SMN's request_id of the call that sent it." })
  requestId!: string;

  @Field(() => String, {
    description: 'The number it was sent to (canonical form); `erased:<hash>` once erased by eraseEndpointHistory.',
  })
  endpoint!: string;

  @Field(() => String, { description: 'The template sent.' })
  smsTemplateId!: string;

  @Field(() => ID, { nullable: true, description: 'The campaign that sent it; null for a direct publishPromotionSms.' })
  campaignId?: string | undefined;

  @Field(() => DateTimeResolver, { description: 'When the batch was submitted to SMN.' })
  submittedAt!: Date;

  @Field(() => SmsDelivery, { description: 'What the delivery reports said; SUBMITTED until one arrived.' })
  delivery!: SmsDelivery;

  static from(message: SentMessage): SmsHistoryEntry {
    return Object.assign(new SmsHistoryEntry(), {
      messageId: message.messageId,
      requestId: message.requestId,
      endpoint: message.endpoint,
      smsTemplateId: message.smsTemplateId,
      campaignId: message.campaignId,
      submittedAt: message.submittedAt,
      delivery: SmsDelivery.from(message.delivery),
    });
  }
}

@ObjectType({ simpleResolvers: true, description: 'One message of an smsHistory page, with where it stands.' })
export class SmsHistoryEdge {
  @Field(() => String, { description: 'Pass as `after` to read on from this message.' })
  cursor!: string;

  @Field(() => SmsHistoryEntry, { description: 'The message.' })
  node!: SmsHistoryEntry;
}

@ObjectType({ simpleResolvers: true, description: 'A page of smsHistory, newest first.' })
export class SmsHistoryPage {
  @Field(() => [SmsHistoryEdge], { description: 'The messages with their cursors.' })
  edges!: SmsHistoryEdge[];

  @Field(() => [SmsHistoryEntry], { description: 'The messages, without cursors.' })
  nodes!: SmsHistoryEntry[];

  @Field(() => PageInfo, { description: 'Whether another page follows, and the cursor to read it from.' })
  pageInfo!: PageInfo;

  static from(page: MessagesPage, after: string | null | undefined): SmsHistoryPage {
    const edges = page.edges.map((edge) =>
      Object.assign(new SmsHistoryEdge(), { cursor: edge.cursor, node: SmsHistoryEntry.from(edge.node) }),
    );
    return Object.assign(new SmsHistoryPage(), connectionOf(edges, page.hasNextPage, after, page.endCursor));
  }
}

@ObjectType({
  simpleResolvers: true,
  description: 'Counts of one bucket. sent = delivered + undelivered + pending + unknown; suppressed were never sent.',
})
export class SmsStatsBucket {
  @Field(() => String, {
    description:
      'The start of the UTC hour or day (ISO 8601), the template id, or the campaign id ("" for direct sends).',
  })
  key!: string;

  @Field(() => Int, { description: 'Messages SMN accepted.' })
  sent!: number;

  @Field(() => Int, { description: 'Messages DELIVERED.' })
  delivered!: number;

  @Field(() => Int, { description: 'Messages FAILED, EXPIRED or REJECTED.' })
  undelivered!: number;

  @Field(() => Int, { description: 'Messages still SUBMITTED (no report yet).' })
  pending!: number;

  @Field(() => Int, { description: 'Messages whose carrier reported UNKNOWN.' })
  unknown!: number;

  @Field(() => Int, { description: 'Numbers held back (opted out, daily limit): counted, never sent.' })
  suppressed!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'delivered / (delivered + undelivered), 0 to 1; null when both are 0.',
  })
  deliveryRate?: number | null;

  static from(row: StatsRow): SmsStatsBucket {
    return Object.assign(new SmsStatsBucket(), row);
  }
}

@ObjectType({ simpleResolvers: true, description: "One change of a number's opt-out state." })
export class OptOutChange {
  @Field(() => OptOutAction, { description: 'Opted out (ADDED) or back in (REMOVED).' })
  action!: OptOutAction;

  @Field(() => OptOutSource, { description: 'Where the change came from.' })
  source!: OptOutSource;

  @Field(() => String, { nullable: true, description: 'The reason given with an opt-out, if any.' })
  reason?: string | undefined;

  @Field(() => DateTimeResolver, { description: 'When it changed.' })
  at!: Date;

  @Field(() => String, { nullable: true, description: "The caller's `sub` that made it; null for a reply." })
  by?: string | undefined;

  static from(entry: OptOutLedgerEntry): OptOutChange {
    return Object.assign(new OptOutChange(), {
      action: OptOutAction[entry.action],
      source: OptOutSource[entry.source],
      reason: entry.reason,
      at: entry.at,
      by: entry.by,
    });
  }
}

@ObjectType({ simpleResolvers: true, description: 'What eraseEndpointHistory did.' })
export class EraseEndpointHistoryPayload {
  @Field(() => Int, { description: 'Messages whose number was replaced by its keyed hash.' })
  erasedMessages!: number;
}
