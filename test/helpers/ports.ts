import { createServer } from 'node:http';
import { closeServer, listen } from '../../src/util/listen.js';

/** A loopback port nothing listens on right now (for a server a test starts later, or never). */
export async function freePort(): Promise<number> {
  const server = createServer();
  const url = await listen(server, 0, '127.0.0.1');
  await closeServer(server);
  return Number(new URL(url).port);
}
