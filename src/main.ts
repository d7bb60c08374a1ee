import { setFlagsFromString } from 'node:v8';

/**
 * Process entry. Loading and wiring the service allocates a burst of long-lived objects, and V8
 * answers such a burst by doubling its young generation up to 2 x 16 MB, which then stays resident
 * while the service idles (136 MB right after start instead of ~105 MB, bench/RESULTS.md). So the
 * young generation is not grown while starting (growth factor 1), and is allowed to grow again (V8's
 * default, 2) once the service listens, when load is what should size it. Nothing else is imported
 * before this runs.
 */
setFlagsFromString('--semi-space-growth-factor=1');
const { runService } = await import('./run-service.js');
await runService(() => setFlagsFromString('--semi-space-growth-factor=2'));
