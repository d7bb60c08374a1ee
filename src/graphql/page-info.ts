import { Field, ObjectType } from 'type-graphql';
import { badUserInput } from './validation.js';

@ObjectType({ simpleResolvers: true, description: 'Where a page ends, and whether another follows.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether another page follows.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor?: string | undefined;
}

function notACursor(): Error {
  return badUserInput([{ field: 'after', message: 'is not a cursor this field gave' }], 'nothing was read');
}

/** `first`, checked to be 1..max (BAD_USER_INPUT otherwise). */
export function pageSize(first: number, max: number): number {
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw badUserInput([{ field: 'first', message: `must be 1 to ${max}` }], 'nothing was read');
  }
  return first;
}

/**
 * Opaque cursors over a list read by offset (campaign failures, SMN's template list): base64url of
 * `<kind>:<offset>`, so a cursor of one list is refused by another. Decoding costs at most 32 characters.
 */
export function offsetCursors(kind: string) {
  const pattern = new RegExp(`^${kind}:(\\d{1,9})$`);
  return {
    /** Where a page starts: 0 without a cursor. */
    offset(after: string | null | undefined): number {
      if (after == null) return 0;
      const match = pattern.exec(after.length <= 32 ? Buffer.from(after, 'base64url').toString() : '');
      if (!match) throw notACursor();
      return Number(match[1]);
    },
    /** The page info of `count` items read from `offset`, out of `total` (when known). */
    pageInfo(offset: number, count: number, hasMore: boolean, after: string | null | undefined): PageInfo {
      return Object.assign(new PageInfo(), {
        hasNextPage: count > 0 && hasMore,
        endCursor: count > 0 ? Buffer.from(`${kind}:${offset + count}`).toString('base64url') : (after ?? undefined),
      });
    },
  };
}
