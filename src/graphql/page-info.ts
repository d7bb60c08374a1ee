import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Where a page ends, and whether another follows.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether another page follows.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor?: string | undefined;
}
