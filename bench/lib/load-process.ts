// The load generator, in a process of its own: runs autocannon jobs at the same time (a saturating one,
// and optionally a paced one beside it) and prints their results as one JSON line.
import autocannon from 'autocannon';

interface Job {
  readonly url: string;
  readonly body: string;
  readonly connections: number;
  readonly seconds: number;
  /** Requests per second across all connections; absent: as fast as answers come. */
  readonly rate?: number;
}

const jobs = JSON.parse(process.argv[2]!) as Job[];
const results = await Promise.all(
  jobs.map((job) =>
    autocannon({
      url: job.url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: job.body,
      connections: job.connections,
      duration: job.seconds,
      ...(job.rate !== undefined && { overallRate: job.rate }),
    }),
  ),
);
console.log(
  JSON.stringify({
    load: results.map((result) => ({
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      p50: result.latency.p50,
      p99: result.latency.p99,
    })),
  }),
);
process.exit(0);
