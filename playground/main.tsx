// The self-hosted playground: GraphiQL and its explorer, bundled at build time (scripts/build-playground.mjs)
// and served by the service itself. No request leaves for a CDN.
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { parse } from 'graphql';
import { createRoot } from 'react-dom/client';
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
  return toolkitFetcher({ ...params, operationName }, { ...options, ...(documentAST && { documentAST }) });
};
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
  />,
);
