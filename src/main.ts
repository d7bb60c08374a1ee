import { spawn } from 'node:child_process';
import { totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { heapSizedChildEnv, readEntrySettings } from './config/entry.js';
import { decideHeapSizing, nodeOptionsWords, type HeapSizing } from './heap-size.js';

/**
 * Process entry. Nothing of the service is imported before the two decisions below.
 *
 * 1. The heap: V8 sizes it from the machine, not from the container, so in a 256 MiB pod it would let
 *    the heap grow past the limit and the pod be OOM-killed. Heap limits cannot change once V8 runs,
 *    so when there is a limit (and the operator gave no heap flag) this process starts the service
 *    again as its child with the flags `heap-size.ts` decides, forwards SIGTERM/SIGINT/SIGHUP to it and
 *    exits as it does. The child finds SMN_GATEWAY_HEAP_SIZED set and runs the service itself.
 *    Without a limit V8 sizes the heap from the machine and, on a large one, lets the old generation
 *    grow to ~4x what survives between full collections; the service caps that growth
 *    (`--heap-growing-percent`, a flag V8 reads while it runs, so set here, without a second process).
 * 2. Loading and wiring the service allocates a burst of long-lived objects, and V8 answers such a
 *    burst by growing its young generation to its maximum, which then stays resident while the service
 *    idles (bench/RESULTS.md, "Why the code is this way"). So the young generation is not grown while
 *    starting (growth factor 1), and is allowed to grow again (V8's default, 2) once the service
 *    listens, when load is what should size it.
 */
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

const { nodeOptions, heapSizedFlags: sizedFlags } = readEntrySettings();
const sizing = decideHeapSizing({
  constrainedMemory: process.constrainedMemory(),
  totalMemory: totalmem(),
  // In the child the flags this process added are not the operator's.
  givenFlags: [...process.execArgv, ...nodeOptionsWords(nodeOptions)].filter((flag) => !sizedFlags?.includes(flag)),
});

if (sizedFlags === undefined && sizing.flags.length > 0) runSized(sizing.flags);
else await runHere(sizing, sizedFlags ?? []);

/** Starts the service as a child with the heap flags; this process only relays signals and the exit. */
function runSized(heapFlags: readonly string[]): void {
  const child = spawn(
    process.execPath,
    [...process.execArgv, ...heapFlags, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    // Its own process group: a terminal's Ctrl-C reaches it once, through this process, not twice.
    { stdio: 'inherit', detached: true, env: heapSizedChildEnv(heapFlags) },
  );
  const relays = FORWARDED_SIGNALS.map((signal) => {
    const relay = () => void child.kill(signal);
    process.on(signal, relay);
    return [signal, relay] as const;
  });
  child.once('error', (error) => {
    process.stderr.write(`could not start the service with ${heapFlags.join(' ')}: ${error.message}\n`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => {
    for (const [name, relay] of relays) process.off(name, relay);
    if (signal === null) process.exit(code ?? 1);
    process.kill(process.pid, signal);
  });
}

/** Runs the service in this process, logging the heap it got. */
async function runHere(heapSizing: HeapSizing, startFlags: readonly string[]): Promise<void> {
  for (const flag of heapSizing.runtimeFlags) setFlagsFromString(flag);
  const heapFlags = [...startFlags, ...heapSizing.runtimeFlags];
  setFlagsFromString('--semi-space-growth-factor=1');
  const { runService } = await import('./run-service.js');
  await runService(() => setFlagsFromString('--semi-space-growth-factor=2'), {
    containerMemoryMb: heapSizing.containerMemoryMb ?? null,
    heapFlags: heapFlags.join(' ') || null,
    heapSizeLimitMb: Math.round(getHeapStatistics().heap_size_limit / (1024 * 1024)),
    reason: heapSizing.reason,
    ...(heapSizing.warning === undefined ? {} : { warning: heapSizing.warning }),
  });
}
