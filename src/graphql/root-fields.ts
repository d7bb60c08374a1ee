import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

type FragmentLookup = (name: string) => FragmentDefinitionNode | undefined;

/**
 * The root field names an operation selects, once per selection, through inline fragments and
 * fragment spreads. A spread already being expanded is skipped, so a (not yet validated) fragment
 * cycle cannot loop.
 */
export function rootFields(
  selectionSet: SelectionSetNode,
  fragment: FragmentLookup,
  expanding: ReadonlySet<string> = new Set(),
): string[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, fragment, expanding);
    const name = selection.name.value;
    const definition = expanding.has(name) ? undefined : fragment(name);
    return definition ? rootFields(definition.selectionSet, fragment, new Set([...expanding, name])) : [];
  });
}

/** Fragment lookup over a parsed document (for plugins, which get the document, not a ValidationContext). */
export function fragmentsOf(document: DocumentNode): FragmentLookup {
  const byName = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  return (name) => byName.get(name);
}
