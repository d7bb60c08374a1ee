import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { WebhookAttempt, WebhookDeliveryRecord, WebhookEndpointRecord } from '../../webhooks/endpoint-store.js';
import { PageInfo } from '../page-info.js';

export enum WebhookEvent {
  MESSAGE_DELIVERY_CHANGED = 'MESSAGE_DELIVERY_CHANGED',
  REPLY_RECEIVED = 'REPLY_RECEIVED',
  OPT_OUT_CHANGED = 'OPT_OUT_CHANGED',
  CAMPAIGN_STATUS_CHANGED = 'CAMPAIGN_STATUS_CHANGED',
}

registerEnumType(WebhookEvent, {
  name: 'WebhookEvent',
  description: 'What a webhook endpoint is told of (docs/api.md, "Webhooks", shows each body).',
  valuesConfig: {
    MESSAGE_DELIVERY_CHANGED: { description: 'A message reached its final delivery status (once per message).' },
    REPLY_RECEIVED: { description: 'A number you sent to in the last 72 hours replied.' },
    OPT_OUT_CHANGED: { description: 'A number was opted out or back in (by you, or by its reply).' },
    CAMPAIGN_STATUS_CHANGED: { description: 'A campaign changed status (started, paused, resumed, completed...).' },
  },
});

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a delivery stands.',
  valuesConfig: {
    PENDING: { description: 'Not yet answered with a 2xx; tried again at nextAttemptAt.' },
    SUCCEEDED: { description: 'An attempt was answered with a 2xx.' },
    FAILED: { description: 'No attempt succeeded within 24 hours; given up.' },
  },
});

@ObjectType({
  simpleResolvers: true,
  description: 'Where your backend is told of events, signed per Standard Webhooks.',
})
export class WebhookEndpoint {
  @Field(() => ID, { description: 'The endpoint id (we_...).' })
  id!: string;

  @Field(() => String, { description: 'Where deliveries are POSTed.' })
  url!: string;

  @Field(() => [WebhookEvent], { description: 'The events it receives.' })
  events!: WebhookEvent[];

  @Field(() => String, { nullable: true, description: 'Your note.' })
  description?: string | undefined;

  @Field(() => DateTimeResolver, { description: 'When it was created.' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'After a rotation: until when the previous secret also signs (a second v1 signature).',
  })
  previousSecretExpiresAt?: Date | undefined;

  static from(record: WebhookEndpointRecord, now: Date): WebhookEndpoint {
    const until = record.previousSecret?.until;
    return Object.assign(new WebhookEndpoint(), {
      id: record.id,
      url: record.url,
      events: [...record.events] as WebhookEvent[],
      description: record.description,
      createdAt: record.createdAt,
      previousSecretExpiresAt: until && until.getTime() > now.getTime() ? until : undefined,
    });
  }
}

@ObjectType({ simpleResolvers: true, description: 'An endpoint with its signing secret, shown this once.' })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint, { description: 'The endpoint.' })
  endpoint!: WebhookEndpoint;

  @Field(() => String, {
    description:
      'The Standard Webhooks secret (whsec_...) that signs from now on. Shown only here: keep it; rotate to get a new one.',
  })
  secret!: string;
}

@ObjectType('WebhookAttempt', { simpleResolvers: true, description: 'One try to deliver.' })
export class WebhookAttemptRecord {
  @Field(() => DateTimeResolver, { description: 'When it was sent.' })
  at!: Date;

  @Field(() => Int, { description: 'Milliseconds until the answer was read (or the attempt ended).' })
  durationMs!: number;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; none when it did not answer." })
  statusCode?: number | undefined;

  @Field(() => String, {
    nullable: true,
    description: 'The first 1024 characters of the answer (at most 4 KiB are read).',
  })
  responseBody?: string | undefined;

  @Field(() => String, {
    nullable: true,
    description: 'Why there was no answer: timeout, refused address, connection error.',
  })
  error?: string | undefined;

  static from(attempt: WebhookAttempt): WebhookAttemptRecord {
    return Object.assign(new WebhookAttemptRecord(), attempt);
  }
}

@ObjectType({ simpleResolvers: true, description: 'One event on its way to one endpoint.' })
export class WebhookDelivery {
  @Field(() => ID, { description: 'The webhook-id header of every attempt (msg_...).' })
  id!: string;

  @Field(() => WebhookEvent, { description: 'Which event.' })
  event!: WebhookEvent;

  @Field(() => WebhookDeliveryStatus, { description: 'Where it stands.' })
  status!: WebhookDeliveryStatus;

  @Field(() => DateTimeResolver, { description: 'When the event was queued.' })
  createdAt!: Date;

  @Field(() => Int, { description: 'Attempts made.' })
  attemptCount!: number;

  @Field(() => [WebhookAttemptRecord], { description: 'The last 10 attempts, oldest first.' })
  attempts!: WebhookAttemptRecord[];

  @Field(() => DateTimeResolver, { nullable: true, description: 'When it is tried next (PENDING only).' })
  nextAttemptAt?: Date | undefined;

  static from(record: WebhookDeliveryRecord): WebhookDelivery {
    return Object.assign(new WebhookDelivery(), {
      id: record.id,
      event: record.type as WebhookEvent,
      status: record.status as WebhookDeliveryStatus,
      createdAt: record.createdAt,
      attemptCount: record.attemptCount,
      attempts: record.attempts.map((attempt) => WebhookAttemptRecord.from(attempt)),
      nextAttemptAt: record.status === 'PENDING' ? record.nextAttemptAt : undefined,
    });
  }
}

@ObjectType({ simpleResolvers: true, description: 'One delivery, with its cursor.' })
export class WebhookDeliveryEdge {
  @Field(() => String, { description: 'Pass as `after` to read on from this delivery.' })
  cursor!: string;

  @Field(() => WebhookDelivery, { description: 'The delivery.' })
  node!: WebhookDelivery;
}

@ObjectType({
  simpleResolvers: true,
  description: "One page of an endpoint's deliveries, newest first (a Relay connection).",
})
export class WebhookDeliveryPage {
  @Field(() => [WebhookDeliveryEdge], { description: 'The deliveries of this page, with their cursors.' })
  edges!: WebhookDeliveryEdge[];

  @Field(() => [WebhookDelivery], { description: 'The deliveries of this page.' })
  nodes!: WebhookDelivery[];

  @Field(() => PageInfo, { description: 'Where this page starts and ends.' })
  pageInfo!: PageInfo;
}
