import {
  Kind,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * How often an operation selects each root field, through inline fragments and fragment spreads.
 * Counts stop at 2 ("more than once"), and at most MAX_TRACKED_NAMES names are kept: the schema has
 * far fewer root fields, so a document past that is invalid anyway (`overflow`).
 */
export interface RootFieldCounts {
  readonly counts: ReadonlyMap<string, 1 | 2>;
  readonly overflow: boolean;
}

/** What the limits and the plugins need to know of a (not yet validated) document, computed once. */
export interface DocumentShape {
  /** The longest chain of fragment spreads (`...A` in an operation, `...B` in A, ...); 0 without spreads. */
  readonly fragmentNesting: number;
  /** The deepest field nesting written in any one definition (fragments not expanded); root fields are 1. */
  readonly selectionDepth: number;
  /** A fragment that spreads itself, directly or through others (validation refuses it). */
  readonly cycle: string | undefined;
  rootFields(operation: OperationDefinitionNode): RootFieldCounts;
}

const MAX_TRACKED_NAMES = 64;

interface Counter {
  readonly counts: Map<string, 1 | 2>;
  overflow: boolean;
}

function add(target: Counter, name: string, times: number): void {
  const next = Math.min(2, (target.counts.get(name) ?? 0) + times) as 1 | 2;
  if (!target.counts.has(name) && target.counts.size >= MAX_TRACKED_NAMES) {
    target.overflow = true;
    return;
  }
  target.counts.set(name, next);
}

function addAll(target: Counter, source: RootFieldCounts, times: number): void {
  if (source.overflow) target.overflow = true;
  for (const [name, count] of source.counts) add(target, name, count * times);
}

/** A selection set's own root fields and the fragments it spreads (inline fragments flattened). */
interface Direct {
  readonly fields: Counter;
  /** Spread name -> how often (1 or 2: more only matters as "more than once"). */
  readonly spreads: Map<string, 1 | 2>;
}

function directOf(selectionSet: SelectionSetNode): Direct {
  const direct: Direct = { fields: { counts: new Map(), overflow: false }, spreads: new Map() };
  const pending: SelectionSetNode[] = [selectionSet];
  for (let set = pending.pop(); set; set = pending.pop()) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) add(direct.fields, selection.name.value, 1);
      else if (selection.kind === Kind.INLINE_FRAGMENT) pending.push(selection.selectionSet);
      else {
        const name = selection.name.value;
        direct.spreads.set(name, Math.min(2, (direct.spreads.get(name) ?? 0) + 1) as 1 | 2);
      }
    }
  }
  return direct;
}

/** Deepest field nesting inside one definition, walked with an explicit stack (no recursion). */
function depthOf(definition: DefinitionNode): number {
  if (!('selectionSet' in definition) || !definition.selectionSet) return 0;
  let deepest = 0;
  const pending: Array<[SelectionSetNode, number]> = [[definition.selectionSet, 1]];
  for (let entry = pending.pop(); entry; entry = pending.pop()) {
    const [set, depth] = entry;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        deepest = Math.max(deepest, depth);
        if (selection.selectionSet) pending.push([selection.selectionSet, depth + 1]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        pending.push([selection.selectionSet, depth]);
      }
    }
  }
  return deepest;
}

interface FragmentFacts {
  readonly fields: RootFieldCounts;
  readonly nesting: number;
}

/**
 * Every fragment's root fields and nesting, each computed once, in dependency order (an iterative
 * depth-first walk): the cost is linear in the document's size however the spreads fan out or nest.
 */
function analyse(document: DocumentNode): DocumentShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let selectionDepth = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    selectionDepth = Math.max(selectionDepth, depthOf(definition));
  }
  const directs = new Map<string, Direct>();
  const directFor = (name: string, fragment: FragmentDefinitionNode) => {
    let direct = directs.get(name);
    if (!direct) directs.set(name, (direct = directOf(fragment.selectionSet)));
    return direct;
  };
  const facts = new Map<string, FragmentFacts>();
  const inProgress = new Set<string>();
  let cycle: string | undefined;

  const resolve = (root: string) => {
    const stack: Array<{ name: string; next: Iterator<string> }> = [];
    const enter = (name: string) => {
      const fragment = fragments.get(name);
      if (!fragment || facts.has(name)) return;
      inProgress.add(name);
      stack.push({ name, next: directFor(name, fragment).spreads.keys() });
    };
    enter(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const step = top.next.next();
      if (!step.done) {
        if (inProgress.has(step.value)) cycle ??= step.value;
        else enter(step.value);
        continue;
      }
      stack.pop();
      inProgress.delete(top.name);
      const direct = directs.get(top.name)!;
      const fields: Counter = { counts: new Map(direct.fields.counts), overflow: direct.fields.overflow };
      let nesting = 0;
      for (const [spread, times] of direct.spreads) {
        const known = facts.get(spread);
        if (!known) continue; // unknown fragment or a cycle: validation reports both
        addAll(fields, known.fields, times);
        nesting = Math.max(nesting, known.nesting);
      }
      facts.set(top.name, { fields, nesting: nesting + 1 });
    }
  };
  for (const name of fragments.keys()) resolve(name);

  const operations = new Map<OperationDefinitionNode, RootFieldCounts>();
  let fragmentNesting = 0;
  for (const known of facts.values()) fragmentNesting = Math.max(fragmentNesting, known.nesting);
  const operationFacts = (operation: OperationDefinitionNode) => {
    const direct = directOf(operation.selectionSet);
    const fields: Counter = direct.fields;
    for (const [spread, times] of direct.spreads) {
      const known = facts.get(spread);
      if (known) addAll(fields, known.fields, times);
    }
    return { fields };
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    operations.set(definition, operationFacts(definition).fields);
  }
  return {
    fragmentNesting,
    selectionDepth,
    cycle,
    rootFields(operation) {
      let fields = operations.get(operation);
      if (!fields) operations.set(operation, (fields = operationFacts(operation).fields));
      return fields;
    },
  };
}

const shapes = new WeakMap<DocumentNode, DocumentShape>();

/** The shape of a parsed document, computed on first use and shared by every rule and plugin after. */
export function documentShape(document: DocumentNode): DocumentShape {
  let shape = shapes.get(document);
  if (!shape) shapes.set(document, (shape = analyse(document)));
  return shape;
}
