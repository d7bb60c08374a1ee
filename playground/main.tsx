// The self-hosted playground: GraphiQL and its explorer, bundled at build time (scripts/build-playground.mjs)
// and served by the service itself. No request leaves for a CDN.
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
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
const fetcher = createGraphiQLFetcher({ url: endpoint.href, subscriptionUrl });
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
