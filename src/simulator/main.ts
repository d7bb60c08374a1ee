import { loadSimulatorConfig, ConfigError } from '../config/index.js';
import { startSimulator } from './server.js';

/** Standalone simulator: `SIMULATOR_SK=... npm run simulator`. Prints one JSON line with its URL. */
try {
  const config = loadSimulatorConfig();
  const simulator = await startSimulator(config);
  process.stdout.write(
    `${JSON.stringify({
      simulator: simulator.url,
      projectId: config.projectId,
      signingCertUrl: simulator.certificateUrl,
      certificate: simulator.certificatePem,
    })}\n`,
  );
  if (config.eventsEndpoint) await simulator.events.subscribe(config.eventsEndpoint);
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
}
