// What the process entry (`main.ts`) reads from the environment before anything else loads: Node's
// NODE_OPTIONS and the entry's own re-exec marker. Import-free, so the entry stays small when it only
// starts the service again with heap flags; the service's configuration is read in `index.ts`.

/** Set on the child the entry starts with heap flags: those flags, space-separated. */
const HEAP_SIZED = 'SMN_GATEWAY_HEAP_SIZED';

export interface EntrySettings {
  /** NODE_OPTIONS as given: heap flags there are the operator's. */
  readonly nodeOptions: string | undefined;
  /** The heap flags this process was started with by the entry, or undefined in the entry itself. */
  readonly heapSizedFlags: readonly string[] | undefined;
}

export function readEntrySettings(env: NodeJS.ProcessEnv = process.env): EntrySettings {
  return {
    nodeOptions: env.NODE_OPTIONS,
    heapSizedFlags: env[HEAP_SIZED]?.split(' ').filter((flag) => flag !== ''),
  };
}

/** The environment of the child the entry starts with `heapFlags`: this one, marked. */
export function heapSizedChildEnv(heapFlags: readonly string[], env = process.env): NodeJS.ProcessEnv {
  return { ...env, [HEAP_SIZED]: heapFlags.join(' ') };
}
