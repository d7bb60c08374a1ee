import { Field, ID, InterfaceType } from 'type-graphql';

/** Relay's Node: anything with a global id `Query.node` reads back. */
@InterfaceType('Node', {
  description:
    "An object with a global id: opaque, stable, unique across types; `node(id:)` reads it back (Relay's Node).",
})
export abstract class Node {
  @Field(() => ID, { description: 'Its global id: opaque; compare and pass it back, never parse it.' })
  id!: string;
}
