import { Kind, type ASTNode } from 'graphql';

/** Every kind of value a document can write literally; only `Variable` is left out. */
export const LITERAL_KINDS = [
  Kind.INT,
  Kind.FLOAT,
  Kind.STRING,
  Kind.BOOLEAN,
  Kind.NULL,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
] as const;

const LITERALS = new Set<string>(LITERAL_KINDS);

/** Whether the node is a value written literally in the document (not a variable). */
export function isLiteral(node: ASTNode): boolean {
  return LITERALS.has(node.kind);
}
