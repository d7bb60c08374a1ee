import { ArrayMaxSize, ArrayMinSize, IsOptional, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { MAX_WEBHOOK_URL_LENGTH } from '../../webhooks/url-policy.js';
import { MAX_DESCRIPTION_LENGTH } from '../../webhooks/webhooks.js';
import { WebhookEvent } from './types.js';

@InputType({ description: 'A new webhook endpoint.' })
export class CreateWebhookEndpointInput {
  @Field(() => String, {
    description:
      'Where deliveries are POSTed: https (http outside production), no credentials, no fragment, never a private, ' +
      'loopback or link-local address (checked again after DNS on every delivery) unless WEBHOOK_ALLOW_PRIVATE=true.',
  })
  @Length(1, MAX_WEBHOOK_URL_LENGTH, { message: `must be 1 to ${MAX_WEBHOOK_URL_LENGTH} characters` })
  url!: string;

  @Field(() => [WebhookEvent], { description: 'The events it receives: at least one.' })
  @ArrayMinSize(1, { message: 'must name at least one event' })
  @ArrayMaxSize(4, { message: 'must name at most 4 events' })
  events!: WebhookEvent[];

  @Field(() => String, { nullable: true, description: `Your note, at most ${MAX_DESCRIPTION_LENGTH} characters.` })
  @IsOptional()
  @Length(0, MAX_DESCRIPTION_LENGTH, { message: `must be at most ${MAX_DESCRIPTION_LENGTH} characters` })
  description?: string | null;
}
