import { describe, expect, it, vi } from 'vitest';
import { buildSchema, GraphQLError, parse, type GraphQLSchema } from 'graphql';
import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { startApp, type TestApp } from '../helpers/app.js';
import { post } from '../helpers/graphql.js';
import { useStack } from '../helpers/stack.js';
import type * as GraphqlJit from 'graphql-jit';
import { national, SIMULATOR_ID_PREFIXES, SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';

const compileQuery = vi.hoisted(() => ({ calls: 0 }));
vi.mock('graphql-jit', async (importOriginal) => {
  const original = await importOriginal<typeof GraphqlJit>();
  return {
    ...original,
    compileQuery: (...args: Parameters<typeof original.compileQuery>) => {
      compileQuery.calls += 1;
      return original.compileQuery(...args);
    },
  };
});
const { compiledExecution, writesNoLiteral } = await import('../../src/graphql/compiled-execution.js');

const stack = useStack({ app: false });

/**
 * Ids and times differ between two sends of the same thing, and stack traces (shown outside
 * production) name the executor's own frames; everything else must not differ.
 */
function normalised(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => {
    if (key === 'stacktrace') return '<stacktrace>';
    return ['messageId', 'requestId', 'submittedAt', 'ftv1'].includes(key) && typeof value === 'string'
      ? `<${key}>`
      : value;
  });
}

const PUBLISH = `mutation($input: PublishPromotionSmsInput!) { publishPromotionSms(input: $input) {
  requestId sentCount failedCount suppressedCount duplicatesRemoved replayed
  results { __typename ... on SmsSent { messageId endpoint requestId smsTemplateId signId extendCode submittedAt campaignId
    delivery { status carrierCode reportedAt deliveredAt } } ... on SmsFailed { endpoint code message } } } }`;
const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  __typename ... on SmsSent { messageId endpoint delivery { status } } } }`;

/** Operations whose answers (data, errors, extensions, HTTP status) must be the same either way. */
const CASES: Array<{ name: string; query: string; variables?: unknown; headers?: Record<string, string> }> = [
  {
    name: 'a mixed batch: sent, SMN failures, a duplicate',
    query: PUBLISH,
    variables: {
      input: {
        endpoints: [
          SIMULATOR_NUMBERS.delivered,
          national(SIMULATOR_NUMBERS.noSuchNumber),
          '+447700900123',
          national(SIMULATOR_NUMBERS.frequencyLimited),
          SIMULATOR_NUMBERS.delivered,
        ],
        smsTemplateId: 'tpl_same',
        signId: 'sign_demo',
      },
    },
  },
  {
    name: 'variables that do not coerce',
    query: PUBLISH,
    variables: { input: { endpoints: 'not-a-list', smsTemplateId: 7, surprise: true } },
  },
  { name: 'a missing variable', query: PUBLISH, variables: {} },
  {
    name: 'input rules (TypeGraphQL validation)',
    query: PUBLISH,
    variables: { input: { endpoints: ['+86 138 abc'], smsTemplateId: '' } },
  },
  {
    name: 'SMN refuses the template',
    query: PUBLISH,
    variables: {
      input: {
        endpoints: [SIMULATOR_NUMBERS.delivered],
        smsTemplateId: `${SIMULATOR_ID_PREFIXES.notPromotionTemplate}_same`,
      },
    },
  },
  {
    name: 'entities: unknown, malformed, and failing items at the end of the list',
    query: ENTITIES,
    variables: {
      representations: [
        { __typename: 'SmsSent', messageId: 'never-sent' },
        { __typename: 'SmsSent' },
        { __typename: 'SmsSent', messageId: 42 },
      ],
    },
  },
  {
    name: 'a query with a fragment and an alias',
    query: '{ l: promotionSmsLimits { ...F } } fragment F on PromotionSmsLimits { maxEndpoints }',
  },
  { name: 'introspection', query: '{ __type(name: "SmsCommitResult") { kind possibleTypes { name } } }' },
  {
    name: 'field timings asked for by a router (ftv1)',
    query: PUBLISH,
    variables: { input: { endpoints: ['+8613812345679'], smsTemplateId: 'tpl_same' } },
    headers: { 'apollo-federation-include-trace': 'ftv1' },
  },
];

async function answers(app: TestApp) {
  const out: Record<string, unknown> = {};
  for (const { name, query, variables, headers } of CASES) {
    const result = await post(app.graphqlUrl, query, variables, headers);
    out[name] = { status: result.status, body: normalised(result.text) };
  }
  return out;
}

describe('compiled execution (graphql-jit through Apollo) answers exactly as graphql-js does', () => {
  it('the same data, errors, extensions and statuses over HTTP, with the compiler really used', async () => {
    const compiled = await startApp(stack.env({ GRAPHQL_COMPILED_EXECUTION: 'true' }));
    const interpreted = await startApp(stack.env({ GRAPHQL_COMPILED_EXECUTION: 'false' }));
    try {
      const before = compileQuery.calls;
      const viaCompiler = await answers(compiled);
      // One per distinct document without string literals (the ftv1 request and the introspection
      // query with its "SmsCommitResult" literal go to graphql-js): PUBLISH, ENTITIES, the fragment.
      expect(compileQuery.calls - before).toBe(3);
      const viaGraphqlJs = await answers(interpreted);
      expect(viaCompiler).toEqual(viaGraphqlJs);
      // The comparison means something: the cases do fail, refuse and succeed.
      const statuses = Object.values(viaCompiler).map((answer) => (answer as { status: number }).status);
      expect(statuses).toContain(400);
      expect(JSON.stringify(viaCompiler)).toContain('SMN_REJECTED');
      expect(JSON.stringify(viaCompiler)).toContain('"<ftv1>"');
      // Each document is compiled once: asking again compiles nothing.
      const after = compileQuery.calls;
      await answers(compiled);
      expect(compileQuery.calls).toBe(after);
    } finally {
      await compiled.close();
      await interpreted.close();
    }
  });
});

describe('the executor itself', () => {
  const schema: GraphQLSchema = buildSchema(`
    type Item { id: String! }
    type Query { items(n: Int!): [Item]! }`);
  (schema.getQueryType()!.getFields().items as { resolve?: unknown }).resolve = (_: unknown, { n }: { n: number }) =>
    Array.from({ length: n }, (_, index) =>
      index >= n - 2 ? Promise.reject(new Error(`item ${index} failed`)) : Promise.resolve({ id: String(index) }),
    );
  const document = parse('query Q($n: Int!) { items(n: $n) { id } }');
  const request = (variables: Record<string, unknown>, captureTraces = false) =>
    ({
      document,
      operation: document.definitions[0],
      operationName: 'Q',
      request: { variables },
      context: {},
      metrics: { captureTraces },
    }) as unknown as GatewayGraphQLRequestContext;

  async function executor(): Promise<GatewayExecutor> {
    const { executor } = await compiledExecution(schema).load({ apollo: {} });
    return executor!;
  }

  it('fills failed items at the end of a list with null, as graphql-js does, with real GraphQLErrors', async () => {
    const result = await (await executor())(request({ n: 4 }));
    expect(result.data).toEqual({ items: [{ id: '0' }, { id: '1' }, null, null] });
    expect(result.errors?.map((error) => [error.message, error.path, error.constructor.name])).toEqual([
      ['item 2 failed', ['items', 2], 'GraphQLError'],
      ['item 3 failed', ['items', 3], 'GraphQLError'],
    ]);
    expect(result.errors?.[0]?.originalError?.message).toBe('item 2 failed');
  });

  it('refuses variables that do not coerce without echoing them; a missing one in graphql-js words', async () => {
    const run = await executor();
    const refusal = await run(request({ n: 'four' })).catch((error: unknown) => error as GraphQLError);
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect((refusal as GraphQLError).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      http: { status: 400 },
      validationErrors: [{ field: 'n' }],
    });
    expect((refusal as GraphQLError).message).not.toContain('four');
    const missing = await run(request({}));
    expect(missing).not.toHaveProperty('data');
    expect(missing.errors?.[0]?.message).toBe('Variable "$n" of required type "Int!" was not provided.');
    expect(missing.errors?.[0]?.nodes?.[0]?.kind).toBe('VariableDefinition');
  });

  it('compiles a document once, and leaves traced requests to graphql-js', async () => {
    const run = await executor();
    const before = compileQuery.calls;
    const first = request({ n: 3 });
    await run(first);
    await run({ ...first, request: { variables: { n: 5 } } } as GatewayGraphQLRequestContext);
    expect(compileQuery.calls - before).toBe(1);
    const traced = await run(request({ n: 3 }, true));
    expect(compileQuery.calls - before).toBe(2 - 1);
    expect(traced.data).toEqual({ items: [{ id: '0' }, null, null] });
  });
});

describe('no literal of any kind reaches the compiler (graphql-jit would run it as code)', () => {
  const MARKERS = {
    date: '__MAGIC_DATE__33a9e76d_02e0_4128_8e92_3530ad3da74d',
    nan: '__MAGIC_NAN__57f286b9_4c20_487f_b409_79804ddcb4f8',
    plusInfinity: '__MAGIC_PLUS_INFINITY__bb201c39_3333_4695_b4ad_7f1722e7aa7a',
    minusInfinity: '__MAGIC_MINUS_INFINITY__71d4310a_d4a3_4a05_b1fe_e60779d24998',
  };
  const payload = (flag: string) => `${MARKERS.date}1)}; globalThis.${flag} = true; const zz = {a:new Date(1`;
  const flags = globalThis as Record<string, unknown>;
  /** A name whose evaluation is recorded: generated code that reads it ran caller input as code. */
  const trap = { name: 'jitLiteralTrap', fired: 0 };
  Object.defineProperty(globalThis, trap.name, {
    configurable: true,
    get() {
      trap.fired += 1;
      return 0;
    },
  });

  it('is a real hazard: graphql-jit 0.8.9 runs a string literal, and an enum literal given to a scalar', async () => {
    const schema = buildSchema('scalar Any\ntype Query { echo(text: String): String\n any(value: Any): String }');
    const fields = schema.getQueryType()!.getFields();
    (fields.echo as { resolve?: unknown }).resolve = (_: unknown, { text }: { text: string }) => text;
    (fields.any as { resolve?: unknown }).resolve = () => 'ok';
    const original = await vi.importActual<typeof GraphqlJit>('graphql-jit');
    const query = original.compileQuery(schema, parse(`{ echo(text: "${payload('jitRanLiteral')}") }`));
    if (original.isCompiledQuery(query)) await query.query(undefined, {}, {});
    // If these ever fail, graphql-jit stopped splicing literals into code; the guard can then be revisited.
    expect(flags.jitRanLiteral).toBe(true);
    const before = trap.fired;
    const viaEnum = original.compileQuery(schema, parse(`{ any(value: ${MARKERS.date}${trap.name}) }`));
    if (original.isCompiledQuery(viaEnum)) await viaEnum.query(undefined, {}, {});
    expect(trap.fired).toBeGreaterThan(before);
  });

  it('writesNoLiteral allows variables only: every literal kind, anywhere, keeps a document from the compiler', () => {
    const literalFree = [
      'query($n: Int!) { a(n: $n) @include(if: $on) { b(list: $list, object: $object) } }',
      '{ __typename }',
      'query($x: String) { ...F } fragment F on Query { a(n: $x) }',
    ];
    for (const text of literalFree) expect(writesNoLiteral(parse(text)), text).toBe(true);
    const values = ['"s"', '"""block"""', '1', '1.5', 'true', 'null', 'ENUM', '[$v]', '{ k: $v }', '[]', '{}'];
    const places = [
      (value: string) => `{ a(n: ${value}) }`,
      (value: string) => `{ a @include(if: ${value}) }`,
      (value: string) => `query($v: Int = ${value.includes('$') ? '1' : value}) { a(n: $v) }`,
      (value: string) => `{ ...F } fragment F on Query { a(n: ${value}) }`,
      (value: string) => `{ ...F } fragment F on Query { a @skip(if: ${value}) }`,
      (value: string) => `{ a(n: { deep: [{ deeper: ${value} }] }) }`,
    ];
    for (const place of places) {
      for (const value of values) expect(writesNoLiteral(parse(place(value))), place(value)).toBe(false);
    }
  });

  /** Each literal kind, with each of graphql-jit's markers, where a document can write it. */
  function hostileDocuments(): Array<{ name: string; query: string }> {
    const documents: Array<{ name: string; query: string }> = [];
    const entities = (representation: string) =>
      `{ _entities(representations: [${representation}]) { __typename ... on SmsSent { messageId } } }`;
    for (const [marker, prefix] of Object.entries(MARKERS)) {
      const code = `${prefix}${trap.name}`;
      documents.push(
        { name: `${marker}: enum literal in _entities`, query: entities(`{__typename: SmsSent, messageId: ${code}}`) },
        { name: `${marker}: string in _entities`, query: entities(`{__typename: "SmsSent", messageId: "${code}"}`) },
        {
          name: `${marker}: block string in _entities`,
          query: entities(`{__typename: "SmsSent", messageId: """${code}"""}`),
        },
        { name: `${marker}: object key in _entities`, query: entities(`{__typename: SmsSent, ${code}: 1}`) },
        {
          name: `${marker}: list of enums in _entities`,
          query: entities(`{__typename: SmsSent, messageId: [${code}]}`),
        },
        { name: `${marker}: enum as a whole representation`, query: entities(code) },
        { name: `${marker}: string field argument`, query: `{ smsTemplate(id: "${code}") { id } }` },
      );
    }
    documents.push(
      { name: 'string payload in a field argument', query: `{ smsTemplate(id: "${payload('viaField')}") { id } }` },
      { name: 'string payload in introspection', query: `{ __type(name: "${payload('viaIntrospection')}") { name } }` },
      { name: 'int, float, boolean, null and enum literals', query: entities('1, 1.5, true, null, SmsSent') },
      { name: 'a boolean literal in a directive', query: '{ promotionSmsLimits @include(if: true) { maxEndpoints } }' },
      {
        name: 'a literal in a fragment',
        query: `{ ...F } fragment F on Query { _entities(representations: [{__typename: SmsSent, messageId: ${MARKERS.date}${trap.name}}]) { __typename } }`,
      },
    );
    return documents;
  }

  it('over HTTP without a token: nothing compiled, nothing evaluated, answers identical to graphql-js', async () => {
    const compiled = await startApp(stack.env({ GRAPHQL_COMPILED_EXECUTION: 'true' }));
    const interpreted = await startApp(stack.env({ GRAPHQL_COMPILED_EXECUTION: 'false' }));
    try {
      const before = { compiled: compileQuery.calls, fired: trap.fired };
      for (const { name, query } of hostileDocuments()) {
        const viaCompiler = await post(compiled.graphqlUrl, query);
        const viaGraphqlJs = await post(interpreted.graphqlUrl, query);
        expect({ status: viaCompiler.status, body: normalised(viaCompiler.text) }, name).toEqual({
          status: viaGraphqlJs.status,
          body: normalised(viaGraphqlJs.text),
        });
        expect(viaCompiler.status, name).not.toBe(500);
      }
      expect(compileQuery.calls).toBe(before.compiled);
      expect(trap.fired).toBe(before.fired);
      expect(flags.viaIntrospection).toBeUndefined();
      expect(flags.viaField).toBeUndefined();
    } finally {
      await compiled.close();
      await interpreted.close();
    }
  });
});
