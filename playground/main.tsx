// The self-hosted playground: GraphiQL and its explorer, bundled at build time (scripts/build-playground.mjs)
// and served by the service itself. No request leaves for a CDN.
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { Kind, parse } from 'graphql';
import { createRoot } from 'react-dom/client';
import { Carry, remember, type Examples } from './carry.js';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';

interface PlaygroundConfig {
  readonly endpoint: string;
  readonly tabs: Array<{ query: string; variables?: string; headers?: string }>;
}

const config = JSON.parse(document.getElementById('playground-config')!.textContent!) as PlaygroundConfig;
const endpoint = new URL(config.endpoint, window.location.href);
// Subscriptions go over graphql-ws on the same path; the Headers tab (Authorization) travels in
// connection_init.
const subscriptionUrl = `${endpoint.protocol === 'https:' ? 'wss:' : 'ws:'}//${endpoint.host}${endpoint.pathname}`;
const toolkitFetcher = createGraphiQLFetcher({ url: endpoint.href, subscriptionUrl });
/** Operation names the document defines. */
const namesIn = (query: string) =>
  [...query.matchAll(/\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/g)].map((match) => match[1]);
// GraphiQL 4 keeps the previous tab's operation name when switching tabs: a name the document does not
// define is replaced by the document's own (when it has one operation), so each tab runs its operation,
// and the toolkit sees a subscription by its name and sends it over the WebSocket.
const fetcher: Fetcher = (params, options) => {
  const names = namesIn(params.query);
  const given = params.operationName;
  const operationName = given && names.includes(given) ? given : names.length === 1 ? names[0]! : null;
  // The document GraphiQL hands over can be the previous tab's too: the toolkit decides HTTP or WebSocket
  // from it, so it is parsed again from the query actually sent.
  let documentAST;
  try {
    documentAST = parse(params.query);
  } catch {
    documentAST = options?.documentAST;
  }
  const result = toolkitFetcher({ ...params, operationName }, { ...options, ...(documentAST && { documentAST }) });
  const subscription = documentAST?.definitions.some(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      definition.operation === 'subscription' &&
      (operationName === null || definition.name?.value === operationName),
  );
  // A subscription is handed over as it is (stopping it must reach the WebSocket at once).
  return subscription ? result : remembering(result);
};
/**
 * An answer over HTTP (a send, a create) may carry an id the next tab needs (carry.tsx): read on its
 * way to GraphiQL. The toolkit hands it over as a stream of parts (incremental delivery is on).
 */
async function remembering(result: ReturnType<Fetcher>): Promise<Awaited<ReturnType<Fetcher>>> {
  const value = await result;
  if (typeof value !== 'object' || value === null || !(Symbol.asyncIterator in value)) {
    remember(value);
    return value;
  }
  const parts = value as AsyncIterable<unknown>;
  return (async function* () {
    for await (const part of parts) {
      remember(part);
      yield part;
    }
  })() as Awaited<ReturnType<Fetcher>>;
}
const examples: Examples = new Map(config.tabs.map((tab) => [namesIn(tab.query)[0] ?? '', tab.variables]));
// GraphiQL 4 loads only the first tab's query from defaultTabs into the editors, not its variables or
// headers: hand those over as the initial values.
const [first] = config.tabs;

createRoot(document.getElementById('playground')!).render(
  <GraphiQL
    fetcher={fetcher}
    plugins={[explorerPlugin()]}
    defaultTabs={config.tabs}
    {...(first?.variables !== undefined && { variables: first.variables })}
    {...(first?.headers !== undefined && { headers: first.headers })}
    defaultEditorToolsVisibility="variables"
    shouldPersistHeaders={false}
  >
    <GraphiQL.Toolbar>
      {({ prettify, merge, copy }) => (
        <>
          {prettify}
          {merge}
          {copy}
          <Carry examples={examples} />
        </>
      )}
    </GraphiQL.Toolbar>
  </GraphiQL>,
);
