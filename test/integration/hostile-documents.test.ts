import { describe, expect, it } from 'vitest';
import { MAX_FRAGMENT_NESTING } from '../../src/graphql/hardening.js';
import { post } from '../helpers/graphql.js';
import { useStack } from '../helpers/stack.js';

/** JWT auth on, introspection public: the hostile documents below need no token to be looked at. */
const stack = useStack({ auth: true });

/** `fragment F<i> on Query { ...F<i+1> ...F<i+1> }`: a naive walk expands 2^levels spreads. */
function doublingChain(levels: number, name = 'Doubling'): string {
  let source = `query ${name} { ...F0 }\n`;
  for (let i = 0; i < levels; i += 1) {
    source += `fragment F${i} on Query { ${i === levels - 1 ? '__typename' : `...F${i + 1} ...F${i + 1}`} }\n`;
  }
  return source;
}

function linearChain(levels: number): string {
  let source = 'query Chain { ...F0 }\n';
  for (let i = 0; i < levels; i += 1) {
    source += `fragment F${i} on Query { ${i === levels - 1 ? '__typename' : `...F${i + 1}`} }\n`;
  }
  return source;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

/** Median time of a trivial request in this run: the yardstick for "quickly" (a ratio, not a clock). */
async function trivialMs(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 9; i += 1) times.push((await timed(() => post(stack.app.graphqlUrl, '{ __typename }')))[1]);
  return Math.max(1, times.sort((a, b) => a - b)[4]!);
}

const errorLines = () => stack.app.logs.entries().filter((entry) => Number(entry.level) >= 50);

describe('documents built to make inspection expensive', () => {
  it('a 30-level doubling fragment chain costs about what a trivial request costs, and /healthz answers meanwhile', async () => {
    const yardstick = await trivialMs();
    const hostile = timed(() => post(stack.app.graphqlUrl, doublingChain(30)));
    const [health, healthMs] = await timed(() => fetch(`${stack.app.url}/healthz`));
    const [result, hostileMs] = await hostile;
    expect(health.status).toBe(200);
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ __typename: 'Query' });
    // The best of three, against a yardstick from the same run: a GC pause or a busy CI core must not
    // fail it; a walk that expands spreads again costs 2^30 and fails it by orders of magnitude.
    const more = [hostileMs];
    for (let run = 0; run < 2; run += 1)
      more.push((await timed(() => post(stack.app.graphqlUrl, doublingChain(30))))[1]);
    expect(Math.min(...more) / yardstick).toBeLessThan(25);
    expect(healthMs / yardstick).toBeLessThan(50);
  });

  it.each([3000, 20_000])(
    'a %i-level fragment chain is a 400 naming the limit, not a stack overflow',
    async (levels) => {
      const before = errorLines().length;
      const result = await post(stack.app.graphqlUrl, linearChain(levels));
      expect(result.status).toBe(400);
      expect(result.errors).toHaveLength(1);
      expect(result.errors?.[0]).toMatchObject({
        message: `Fragments may spread fragments at most ${MAX_FRAGMENT_NESTING} levels deep, found ${levels}.`,
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
      expect(errorLines().length).toBe(before); // a client cannot write error lines
    },
  );

  it('a chain at the limit is served', async () => {
    const result = await post(stack.app.graphqlUrl, linearChain(MAX_FRAGMENT_NESTING));
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ __typename: 'Query' });
  });

  it('a fragment cycle is refused before anything recurses through it', async () => {
    const result = await post(
      stack.app.graphqlUrl,
      'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
    );
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.message).toBe('Cannot spread fragment "A" within itself.');
  });

  it('deep nesting is refused as a 400, at validation or, deeper still, at parsing', async () => {
    const nested = (levels: number) => `{${'a{'.repeat(levels)}b${'}'.repeat(levels)}}`;
    const validation = await post(stack.app.graphqlUrl, nested(1000));
    expect(validation.status).toBe(400);
    expect(validation.errors?.[0]?.message).toBe('Syntax Error: Query depth limit of 15 exceeded, found 1001.');
    const parsing = await post(stack.app.graphqlUrl, nested(100_000));
    expect(parsing.status).toBe(400);
    expect(parsing.errors?.[0]).toMatchObject({
      message: 'Syntax Error: the document is nested too deeply to parse.',
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  });

  it('55,000 __typename aliases (1 MB) count against GRAPHQL_MAX_ALIASES, token or not', async () => {
    const aliases = Array.from({ length: 55_000 }, (_, i) => `b${i}: __typename`).join(' ');
    const result = await post(stack.app.graphqlUrl, `{ ${aliases} }`);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.message).toBe('Syntax Error: Aliases limit of 15 exceeded, found 55000.');
  });

  it('a 200 KB operation name reaches the log cut to a bounded length', async () => {
    const name = `Op${'x'.repeat(200_000)}`;
    const result = await post(
      stack.app.graphqlUrl,
      `query ${name} { __typename }`,
      {},
      { 'x-request-id': 'long-name-1' },
    );
    expect(result.status).toBe(200);
    const lines = stack.app.logs.lines.filter((line) => line.includes('long-name-1'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.length).toBeLessThan(2_000);
    expect(lines.join('\n')).toContain('more)');
  });
});
