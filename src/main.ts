import { setFlagsFromString } from 'node:v8';

/**
 * Process entry. Loading and wiring the service allocates a burst of long-lived objects, and V8
 * answers such a burst by growing its young generation to its maximum, which then stays resident
 * while the service idles (the resident memory saved is in bench/RESULTS.md, "Why the code is this
 * way"). So the
 * young generation is not grown while starting (growth factor 1), and is allowed to grow again (V8's
 * default, 2) once the service listens, when load is what should size it. Nothing else is imported
 * before this runs.
 */
setFlagsFromString('--semi-space-growth-factor=1');
const { runService } = await import('./run-service.js');
await runService(() => setFlagsFromString('--semi-space-growth-factor=2'));
