import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';

export interface UnacceptingListener {
  readonly port: number;
  close(): void;
}

/**
 * A TCP port whose accept queue is full, so a new connection attempt hangs in the connect phase:
 * the real-world shape of an overloaded or black-holed server. Node always accepts, so the
 * listening socket is held by python3 (present on every machine these tests run on).
 */
export async function startUnacceptingListener(): Promise<UnacceptingListener> {
  const script = [
    'import socket, sys, time',
    's = socket.socket()',
    's.bind(("127.0.0.1", 0))',
    's.listen(0)',
    'print(s.getsockname()[1], flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
  });
  const fillers = Array.from({ length: 3 }, () => net.connect(port, '127.0.0.1').on('error', () => undefined));
  // listen(0) queues one connection: once a filler is connected, the queue is full and the rest hang.
  await Promise.any(fillers.map((socket) => once(socket, 'connect')));
  return {
    port,
    close() {
      fillers.forEach((socket) => socket.destroy());
      child.kill();
    },
  };
}
