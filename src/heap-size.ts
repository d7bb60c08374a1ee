// Sizes V8's heap from the container's memory limit. Pure and import-free: `main.ts` decides with it
// before anything of the service loads, and may then start the service again with the flags.

const MiB = 1024 * 1024;

/** Outside the V8 heap: Node itself, compiled code, buffers and sockets, and the entry process (~8 MB). */
export const RESERVE_MB = 64;
/** Share of the rest the old generation may take; the young generation and fragmentation get the others. */
export const OLD_SPACE_SHARE = 0.6;
/** The least old space the service gets: it holds ~30 MB of heap once started. */
export const MIN_OLD_SPACE_MB = 64;
/** Old space a 1000-number saturation needs (bench/RESULTS.md); less is sized but warned about. */
export const NEEDED_OLD_SPACE_MB = 96;

/** V8 flags that size the heap: when the operator gave any, the operator's choice stands. */
const HEAP_FLAGS = ['--max-old-space-size', '--max-semi-space-size', '--max-heap-size'];
/**
 * Without a container limit: how far past what the last full collection kept V8 lets the old generation
 * grow before collecting again. V8 picks up to 300% on a large machine, which took the service to ~310
 * MB at saturation; 50% keeps it under 200 MB for a few percent of CPU (bench/RESULTS.md, round three).
 */
export const HEAP_GROWING_PERCENT = 50;
/** The flag that sets it; an operator who gave it keeps theirs. */
const GROWING_FLAG = '--heap-growing-percent';

export interface HeapSizingInput {
  /** `process.constrainedMemory()`: bytes, or 0 / 2^64-ish / undefined when nothing limits the process. */
  readonly constrainedMemory: number | undefined;
  /** `os.totalmem()`: a limit at or above it limits nothing. */
  readonly totalMemory: number;
  /** The Node and V8 flags already given: `process.execArgv` and the words of `NODE_OPTIONS`. */
  readonly givenFlags: readonly string[];
}

export interface HeapSizing {
  /** Flags to start the service with; empty when V8's own sizing (or the operator's) stands. */
  readonly flags: readonly string[];
  /**
   * V8 flags the service sets on itself as it starts (`v8.setFlagsFromString`): only ones V8 reads
   * while it runs, unlike the heap limits above, so they need no second process.
   */
  readonly runtimeFlags: readonly string[];
  /** The container's memory limit in MiB, when there is one. */
  readonly containerMemoryMb: number | undefined;
  /** Why these flags (or none), for the start-up log. */
  readonly reason: string;
  /** Set when the limit is below what the service needs under load. */
  readonly warning?: string;
}

/** The words of `NODE_OPTIONS` (Node splits it on spaces; quoted values do not hold heap flags). */
export function nodeOptionsWords(nodeOptions: string | undefined): string[] {
  return (nodeOptions ?? '').split(/\s+/).filter((word) => word !== '');
}

/** The first of `names` the operator set (dashes or underscores, as V8 accepts both), if any. */
function operatorFlag(givenFlags: readonly string[], names: readonly string[]): string | undefined {
  return givenFlags.find((flag) => names.includes(flag.split('=')[0]!.replaceAll('_', '-')));
}

/** The heap flag the operator set, if any. */
export function operatorHeapFlag(givenFlags: readonly string[]): string | undefined {
  return operatorFlag(givenFlags, HEAP_FLAGS);
}

/**
 * The heap flags for a memory limit of `limitMb` MiB: old space 60% of what is left after a 64 MB
 * reserve (at least 64 MB), semi-space limit/32 between 1 and 16 MB (V8's default maximum is 16).
 * 256 MiB: 115 + 8; 512 MiB: 268 + 16; 1024 MiB: 576 + 16.
 */
export function heapFlagsFor(limitMb: number): { oldSpaceMb: number; semiSpaceMb: number } {
  const oldSpaceMb = Math.max(MIN_OLD_SPACE_MB, Math.floor((limitMb - RESERVE_MB) * OLD_SPACE_SHARE));
  const semiSpaceMb = Math.min(16, Math.max(1, Math.floor(limitMb / 32)));
  return { oldSpaceMb, semiSpaceMb };
}

/** Without a limit: V8 sizes the heap, its old generation's growth capped unless the operator set heap flags. */
function withoutLimit(givenFlags: readonly string[]): HeapSizing {
  const none = { flags: [], containerMemoryMb: undefined };
  const given = operatorFlag(givenFlags, [...HEAP_FLAGS, GROWING_FLAG]);
  if (given !== undefined)
    return { ...none, runtimeFlags: [], reason: `no container memory limit: the operator set ${given}` };
  return {
    ...none,
    runtimeFlags: [`${GROWING_FLAG}=${HEAP_GROWING_PERCENT}`],
    reason: `no container memory limit: V8 sizes its heap, the old generation growing at most ${HEAP_GROWING_PERCENT}% between full collections`,
  };
}

/**
 * Decides the heap flags: without a limit V8's sizing with a capped growth (`withoutLimit`); with one,
 * flags from the limit unless the operator sized the heap.
 */
export function decideHeapSizing(input: HeapSizingInput): HeapSizing {
  const limit = input.constrainedMemory;
  if (limit === undefined || !Number.isFinite(limit) || limit <= 0 || limit >= input.totalMemory)
    return withoutLimit(input.givenFlags);
  const containerMemoryMb = Math.floor(limit / MiB);
  const given = operatorHeapFlag(input.givenFlags);
  if (given !== undefined)
    return {
      flags: [],
      runtimeFlags: [],
      containerMemoryMb,
      reason: `the operator set ${given}: the container limit is not applied`,
    };
  const { oldSpaceMb, semiSpaceMb } = heapFlagsFor(containerMemoryMb);
  const flags = [`--max-old-space-size=${oldSpaceMb}`, `--max-semi-space-size=${semiSpaceMb}`];
  const reason = `sized from the container memory limit (${containerMemoryMb} MiB)`;
  if (oldSpaceMb >= NEEDED_OLD_SPACE_MB) return { flags, runtimeFlags: [], containerMemoryMb, reason };
  const neededMb = Math.ceil(NEEDED_OLD_SPACE_MB / OLD_SPACE_SHARE) + RESERVE_MB;
  return {
    flags,
    runtimeFlags: [],
    containerMemoryMb,
    reason,
    warning:
      `the container memory limit (${containerMemoryMb} MiB) is below what the service needs under load ` +
      `(${neededMb} MiB): large sends may run out of heap`,
  };
}
