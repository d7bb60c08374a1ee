import { Field, ObjectType } from 'type-graphql';
import { badUserInput } from './validation.js';

@ObjectType({
  simpleResolvers: true,
  description:
    "Where a page starts and ends, and whether another follows (Relay's PageInfo). Paging is forward only: " +
    '`first` and `after`.',
})
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether another page follows.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, {
    description: 'Whether items come before this page (it was read with `after`). Paging back is not offered.',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "The first edge's cursor; null for an empty page." })
  startCursor?: string | undefined;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor?: string | undefined;
}

/** An edge as every connection serves it: the item and the cursor to read on after it. */
export interface EdgeOf<T> {
  readonly cursor: string;
  readonly node: T;
}

/**
 * A connection's fields from its edges: `nodes` beside `edges` (the same items, without cursors),
 * and the page info. `endCursor` is the last edge's, or where the store stopped reading (it may have
 * skipped items a filter left out), or `after` on an empty page, so a poll can go on from it.
 */
export function connectionOf<T>(
  edges: ReadonlyArray<EdgeOf<T>>,
  hasNextPage: boolean,
  after: string | null | undefined,
  endCursor: string | undefined = edges.at(-1)?.cursor,
): { edges: EdgeOf<T>[]; nodes: T[]; pageInfo: PageInfo } {
  return {
    edges: [...edges],
    nodes: edges.map((edge) => edge.node),
    pageInfo: Object.assign(new PageInfo(), {
      hasNextPage,
      hasPreviousPage: after != null,
      startCursor: edges[0]?.cursor,
      endCursor: endCursor ?? after ?? undefined,
    }),
  };
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
  const cursorAt = (position: number) => Buffer.from(`${kind}:${position}`).toString('base64url');
  return {
    /** Where a page starts: 0 without a cursor. */
    offset(after: string | null | undefined): number {
      if (after == null) return 0;
      const match = pattern.exec(after.length <= 32 ? Buffer.from(after, 'base64url').toString() : '');
      if (!match) throw notACursor();
      return Number(match[1]);
    },
    /** The edges of `items` read from `offset`: each cursor reads on after its item. */
    edges<T>(offset: number, items: readonly T[]): EdgeOf<T>[] {
      return items.map((node, index) => ({ cursor: cursorAt(offset + index + 1), node }));
    },
  };
}
