// The limit, in a process of its own: as many signed PromotionSmsPublish calls as LOOPS concurrent loops
// make, with the project's signer and wire body. `http`: over node:http with a keep-alive agent, the
// cheapest correct call (the answer read whole and parsed, a non-200 an error). `got`: the service's own
// SMN client (got, its retry policy, its agent). Prints one JSON line: operations, CPU (this process,
// from /proc), and the latency of calls at a fixed rate.
import http from 'node:http';
import { atRate, limitClient, promotionSend, saturate, type SmnTarget } from './limit.js';
import { cpuMs } from './proc.js';
import { sign } from '../../src/smn/signer.js';
import { promotionPath, promotionRequestBody, type PromotionSend } from '../../src/smn/wire.js';

interface Spec {
  readonly client: 'http' | 'got';
  readonly target: SmnTarget;
  readonly size: number;
  readonly loops: number;
  readonly seconds: number;
  readonly rate: number;
}

const spec = JSON.parse(process.argv[2]!) as Spec;

function httpCaller(target: SmnTarget, loops: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: loops });
  const url = new URL(promotionPath(target.projectId), target.url);
  const credentials = { ak: target.ak, sk: target.sk };
  return (send: PromotionSend) => {
    const body = JSON.stringify(promotionRequestBody(send));
    const headers = sign(
      { method: 'POST', url, headers: { 'content-type': 'application/json;charset=UTF-8' }, body },
      credentials,
    );
    return new Promise<unknown>((resolve, reject) => {
      const request = http.request(
        url,
        { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode !== 200) reject(new Error(`SMN answered ${response.statusCode}: ${text}`));
            else resolve(JSON.parse(text));
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  };
}

const send = promotionSend(spec.size);
const got = spec.client === 'got' ? limitClient(spec.target) : undefined;
const viaHttp = spec.client === 'http' ? httpCaller(spec.target, spec.loops) : undefined;
const call = () => (got ? got.publishPromotion(send) : viaHttp!(send));

await saturate(call, spec.loops, 2);
const before = cpuMs(process.pid);
const { operations, perSecond } = await saturate(call, spec.loops, spec.seconds);
const cpuPerOp = (cpuMs(process.pid) - before) / operations;
const { p50, p99 } = await atRate(call, spec.rate, 10);
got?.close();
console.log(JSON.stringify({ limit: { operations, perSecond, cpuPerOp, p50, p99 } }));
process.exit(0);
